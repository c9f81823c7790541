import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import {
  CreatedNodeSchema,
  CreateNodeSchema,
  CreateZoneSchema,
  IdParamsSchema,
  NodeSchema,
  ZoneSchema,
} from './schemas.js'

/** Nodes: register (the secret is shown once), list, read one. */
export async function nodesRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { provisioning, nodes } = app.deps.services

  app.get('/', { schema: { response: { 200: Type.Array(NodeSchema) } } }, async () => nodes.list())

  app.get(
    '/:id',
    { schema: { params: IdParamsSchema, response: { 200: NodeSchema } } },
    async (req) => nodes.get(req.params.id),
  )

  app.post(
    '/',
    { schema: { body: CreateNodeSchema, response: { 201: CreatedNodeSchema } } },
    async (req, reply) => {
      const { node, secret } = provisioning.registerNode(req.body)
      req.log.info({ nodeId: node.id, zoneId: node.zoneId }, 'node registered')
      reply.code(201)
      return { ...nodes.get(node.id), secret }
    },
  )
}

/** Zones: the administrative tree. */
export async function zonesRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { provisioning } = app.deps.services

  app.get('/', { schema: { response: { 200: Type.Array(ZoneSchema) } } }, async () =>
    provisioning.listZones(),
  )

  app.post(
    '/',
    { schema: { body: CreateZoneSchema, response: { 201: ZoneSchema } } },
    async (req, reply) => {
      reply.code(201)
      // Ajv's type coercion turns a JSON null into '' for string fields; both mean "none".
      return provisioning.createZone({
        name: req.body.name,
        parentId: req.body.parentId || null,
        code: req.body.code || null,
      })
    },
  )
}
