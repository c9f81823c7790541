import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import {
  BulkNodesSchema,
  CreatedNodeSchema,
  CreateNodeSchema,
  CreateZoneSchema,
  CsvSchema,
  DivisionSchema,
  EnrollmentIssuedSchema,
  IdParamsSchema,
  ImportNodesResultSchema,
  ImportNodesSchema,
  ImportZonesSchema,
  NoContentSchema,
  NodeSchema,
  NodesPageSchema,
  NodesQuerySchema,
  PatchNodeSchema,
  PatchZoneSchema,
  ReplacedNodeSchema,
  ReplaceNodeSchema,
  RotatedNodeSchema,
  SetupZonesSchema,
  SpeakerWarningSchema,
  UNPAGED_NODES_MAX,
  ZoneSchema,
} from '../../../../contract/index.js'
import { ChorusError } from '../../../errors.js'
import { toCsv } from '../../../http/csv.js'
import { reaches, reachOf } from '../../../http/plugins/auth.js'
import { renderBundleQr, zonesWithin } from '../../../provisioning/index.js'

/** Whether the request named any query parameter (defaults fill limit and offset in). */
const hasPaging = (url: string) => url.includes('?') && url.split('?')[1] !== ''

/**
 * Nodes: register (secret and provisioning bundle shown once), list, read one; issue a fresh
 * enrollment bundle, replace the hardware, retire, rotate the secret.
 */
export async function nodesRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { provisioning, nodes, speakers, commands } = app.deps.services

  // A user limited to zones sees only the nodes in them. With any query parameter: one page,
  // filtered and sorted by the server, with the total. Without: the whole list as the old web UI
  // reads it, capped at UNPAGED_NODES_MAX (the header x-total-count tells what was left out).
  app.get(
    '/',
    {
      schema: {
        querystring: NodesQuerySchema,
        response: { 200: Type.Union([Type.Array(NodeSchema), NodesPageSchema]) },
      },
    },
    async (req, reply) => {
      const query = req.query
      const scoped = provisioning
        .listZones()
        .map((z) => z.id)
        .filter((id) => reaches(req, id))
      const all = provisioning.listZones().length === scoped.length
      const zones = all ? null : scoped
      if (!hasPaging(req.url)) {
        const page = nodes.page({ limit: UNPAGED_NODES_MAX, offset: 0 }, zones)
        reply.header('x-total-count', String(page.total))
        return page.items
      }
      const { ids, ...filters } = query
      return nodes.page(
        {
          ...filters,
          ...(ids === undefined ? {} : { ids: [...new Set(ids.split(','))] }),
          limit: query.limit ?? 100,
          offset: query.offset ?? 0,
        },
        zones,
      )
    },
  )

  app.get(
    '/:id',
    { schema: { params: IdParamsSchema, response: { 200: NodeSchema } } },
    async (req) => nodes.get(req.params.id),
  )

  // Edit a speaker: name, zone, position, serial, notes. Moving it needs the target zone in scope.
  app.patch(
    '/:id',
    {
      schema: {
        params: IdParamsSchema,
        body: PatchNodeSchema,
        response: {
          200: Type.Object({ node: NodeSchema, warnings: Type.Array(SpeakerWarningSchema) }),
        },
      },
    },
    async (req) => {
      if (req.body.zone !== undefined && !reaches(req, speakers.zoneOf(req.body.zone).id)) {
        throw new ChorusError('OUT_OF_SCOPE', 'that zone is outside your zones')
      }
      const { warnings } = speakers.edit(req.params.id, req.body)
      return { node: nodes.get(req.params.id), warnings }
    },
  )

  // The survey sheet: every speaker the user may see, as CSV (Chinese headers unless lang=en).
  app.get(
    '/export',
    {
      schema: {
        querystring: Type.Object({
          lang: Type.Optional(Type.Union([Type.Literal('zh'), Type.Literal('en')])),
          retired: Type.Optional(Type.Boolean()),
        }),
        response: { 200: CsvSchema },
      },
    },
    async (req, reply) => {
      const list = speakers
        .list()
        .filter((n) => (req.query.retired || !n.retiredAt) && reaches(req, n.zoneId))
      const { header, rows } = speakers.sheet(list, req.query.lang ?? 'zh')
      reply.type('text/csv; charset=utf-8')
      reply.header('content-disposition', 'attachment; filename="chorus-speakers.csv"')
      return toCsv(header, rows)
    },
  )

  app.post(
    '/import',
    { schema: { body: ImportNodesSchema, response: { 200: ImportNodesResultSchema } } },
    async (req) => {
      const result = speakers.importSheet(req.body.csv, {
        apply: req.body.apply === true,
        mayTouch: (zoneId) => reaches(req, zoneId),
      })
      if (result.applied) await provisioning.accountsApplied()
      return result
    },
  )

  // One action on the speakers of a filtered list: move to a zone, retire, or send a command.
  app.post(
    '/bulk',
    {
      schema: {
        body: BulkNodesSchema,
        response: {
          200: Type.Object({
            count: Type.Integer(),
            batchId: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (req) => {
      const p = req.principal
      const roles = p?.kind === 'user' ? p.roles : []
      const may = (...r: string[]) =>
        roles.includes('admin') || r.some((x) => roles.includes(x as never))
      for (const id of req.body.ids) {
        const n = speakers.get(id)
        if (!n) throw new ChorusError('NODE_NOT_FOUND', `no node ${id}`)
        if (!reaches(req, n.zoneId))
          throw new ChorusError('OUT_OF_SCOPE', `${n.name} is outside your zones`)
      }
      const { ids, action } = req.body
      if (action === 'command') {
        if (!may('technician')) throw new ChorusError('FORBIDDEN', 'only technicians send commands')
        if (!req.body.command)
          throw new ChorusError('BAD_REQUEST', 'a command action needs command')
        const sent = commands.toNodes(ids, req.body.command)
        return { count: sent.commands.length, batchId: sent.batchId }
      }
      if (!may('installer'))
        throw new ChorusError('FORBIDDEN', 'only installers move or retire speakers')
      if (action === 'move') {
        if (!req.body.zone) throw new ChorusError('BAD_REQUEST', 'a move needs zone')
        if (!reaches(req, speakers.zoneOf(req.body.zone).id)) {
          throw new ChorusError('OUT_OF_SCOPE', 'that zone is outside your zones')
        }
        return { count: speakers.moveAll(ids, req.body.zone).length, batchId: null }
      }
      for (const id of ids) provisioning.retireNode(id)
      await provisioning.accountsApplied()
      return { count: ids.length, batchId: null }
    },
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

  // A user limited to zones: their subtrees, and the zones above them only as a path.
  app.get('/', { schema: { response: { 200: Type.Array(ZoneSchema) } } }, async (req) => {
    const reach = reachOf(req)
    return reach ? zonesWithin(zones.list(), reach) : zones.list()
  })

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

  app.delete(
    '/:id',
    { schema: { params: IdParamsSchema, response: { 204: NoContentSchema } } },
    async (req, reply) => {
      zones.remove(req.params.id)
      return reply.code(204).send(null)
    },
  )
}
