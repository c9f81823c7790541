import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { reaches } from '../../../http/plugins/auth.js'
import { renderBundleQr } from '../../../provisioning/bundle-qr.js'
import {
  CreatedNodeSchema,
  CreateNodeSchema,
  CreateZoneSchema,
  DivisionSchema,
  EnrollmentIssuedSchema,
  IdParamsSchema,
  ImportZonesSchema,
  NodeSchema,
  PatchZoneSchema,
  ReplacedNodeSchema,
  ReplaceNodeSchema,
  RotatedNodeSchema,
  SetupZonesSchema,
  ZoneSchema,
} from './schemas.js'

/**
 * Nodes: register (secret and provisioning bundle shown once), list, read one; issue a fresh
 * enrollment bundle, replace the hardware, retire, rotate the secret.
 */
export async function nodesRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { provisioning, nodes } = app.deps.services

  // A user limited to zones sees only the nodes in them.
  app.get('/', { schema: { response: { 200: Type.Array(NodeSchema) } } }, async (req) =>
    nodes.list().filter((n) => reaches(req, n.zone)),
  )

  app.get(
    '/:id',
    { schema: { params: IdParamsSchema, response: { 200: NodeSchema } } },
    async (req) => nodes.get(req.params.id),
  )

  app.post(
    '/',
    { schema: { body: CreateNodeSchema, response: { 201: CreatedNodeSchema } } },
    async (req, reply) => {
      const { node, secret, bundle } = provisioning.registerNode(req.body)
      await provisioning.accountsApplied()
      req.log.info({ nodeId: node.id, zoneId: node.zoneId }, 'node registered')
      reply.code(201)
      return { ...nodes.get(node.id), secret, bundle, bundleQr: await renderBundleQr(bundle) }
    },
  )

  app.post(
    '/:id/enrollment',
    { schema: { params: IdParamsSchema, response: { 201: EnrollmentIssuedSchema } } },
    async (req, reply) => {
      const bundle = provisioning.issueEnrollment(req.params.id)
      reply.code(201)
      return { id: req.params.id, bundle, bundleQr: await renderBundleQr(bundle) }
    },
  )

  app.post(
    '/:id/replace',
    {
      schema: {
        params: IdParamsSchema,
        body: ReplaceNodeSchema,
        response: { 200: ReplacedNodeSchema },
      },
      // The body is optional: no body means no new serial or notes.
      preValidation: async (req) => {
        req.body ??= {}
      },
    },
    async (req) => {
      const { node, bundle } = provisioning.replaceNode(req.params.id, req.body)
      await provisioning.accountsApplied()
      return { ...nodes.get(node.id), bundle, bundleQr: await renderBundleQr(bundle) }
    },
  )

  app.post(
    '/:id/retire',
    { schema: { params: IdParamsSchema, response: { 200: NodeSchema } } },
    async (req) => {
      const { id } = provisioning.retireNode(req.params.id)
      await provisioning.accountsApplied()
      return nodes.get(id)
    },
  )

  app.post(
    '/:id/rotate',
    { schema: { params: IdParamsSchema, response: { 200: RotatedNodeSchema } } },
    async (req) => {
      const { node, secret } = provisioning.rotateSecret(req.params.id)
      await provisioning.accountsApplied()
      return { ...nodes.get(node.id), secret }
    },
  )
}

/**
 * Zones: the administrative tree (district → 街道/镇 → 社区/村) with speaker counts; create,
 * rename, move, recode, delete (refused while in use, saying by what); a fresh install's
 * district from the bundled catalogue, or a tree imported as `code,name` CSV.
 */
export async function zonesRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { provisioning, zones } = app.deps.services

  app.get('/', { schema: { response: { 200: Type.Array(ZoneSchema) } } }, async () => zones.list())

  app.post(
    '/',
    { schema: { body: CreateZoneSchema, response: { 201: ZoneSchema } } },
    async (req, reply) => {
      reply.code(201)
      // Ajv's type coercion turns a JSON null into '' for string fields; both mean "none".
      // Creating a zone that exists (same name under the same parent) returns it.
      return provisioning.createZone({
        name: req.body.name,
        parentId: req.body.parentId || null,
        code: req.body.code || null,
      })
    },
  )

  app.get('/catalogue', { schema: { response: { 200: Type.Array(DivisionSchema) } } }, async () =>
    zones.catalogue(),
  )

  app.post(
    '/setup',
    { schema: { body: SetupZonesSchema, response: { 200: Type.Array(ZoneSchema) } } },
    async (req) => zones.setupDistrict(req.body.district, req.body.towns),
  )

  app.post(
    '/import',
    { schema: { body: ImportZonesSchema, response: { 200: Type.Array(ZoneSchema) } } },
    async (req) => zones.importCsv(req.body.csv),
  )

  app.patch(
    '/:id',
    { schema: { params: IdParamsSchema, body: PatchZoneSchema, response: { 200: ZoneSchema } } },
    async (req) =>
      zones.update(req.params.id, {
        ...req.body,
        ...(req.body.code === '' ? { code: null } : {}),
        ...(req.body.parentId === '' ? { parentId: null } : {}),
      }),
  )

  app.delete('/:id', { schema: { params: IdParamsSchema } }, async (req, reply) => {
    zones.remove(req.params.id)
    return reply.code(204).send()
  })
}
