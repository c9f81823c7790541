import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import {
  ColumnSchema,
  CreateColumnSchema,
  ColumnIdParamsSchema as IdParams,
  PatchColumnSchema,
} from '../../../../contract/index.js'

/** Columns: list, create, edit, delete (refused while a template or future date uses one). */
export async function columnsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { columns } = app.deps.services

  app.get('/', { schema: { response: { 200: Type.Array(ColumnSchema) } } }, async () =>
    columns.list(),
  )

  app.get('/:id', { schema: { params: IdParams, response: { 200: ColumnSchema } } }, async (req) =>
    columns.get(req.params.id),
  )

  app.post(
    '/',
    { schema: { body: CreateColumnSchema, response: { 201: ColumnSchema } } },
    async (req, reply) => {
      reply.code(201)
      return columns.create(req.body)
    },
  )

  app.patch(
    '/:id',
    { schema: { params: IdParams, body: PatchColumnSchema, response: { 200: ColumnSchema } } },
    async (req) => columns.update(req.params.id, req.body),
  )

  app.delete(
    '/:id',
    { schema: { params: IdParams, response: { 204: Type.Null() } } },
    async (req, reply) => {
      await columns.remove(req.params.id)
      reply.code(204)
      return null
    },
  )
}
