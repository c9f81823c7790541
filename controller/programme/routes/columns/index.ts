import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { SEGMENT_PRIORITY_MAX } from '../../../../schedules/index.js'

/** A column (栏目). */
export const ColumnSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  colour: Type.String(),
  defaultPriority: Type.Integer(),
  makeGood: Type.Boolean({ description: 'Missed segments are replayed later (补播)' }),
  makeGoodWindowMin: Type.Integer({ description: 'Make-good window after the instant, minutes' }),
  timeBound: Type.Boolean({ description: 'Weather, warnings…: never made good' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
})

const fields = {
  name: Type.String({ minLength: 1, maxLength: 50 }),
  colour: Type.String({ pattern: '^#[0-9A-Fa-f]{6}$', description: '#rrggbb' }),
  defaultPriority: Type.Integer({ minimum: 0, maximum: SEGMENT_PRIORITY_MAX }),
  makeGood: Type.Boolean(),
  makeGoodWindowMin: Type.Integer({ minimum: 5, maximum: 720 }),
  timeBound: Type.Boolean(),
}

const CreateColumnSchema = Type.Object(
  {
    name: fields.name,
    colour: fields.colour,
    defaultPriority: Type.Optional(fields.defaultPriority),
    makeGood: Type.Optional(fields.makeGood),
    makeGoodWindowMin: Type.Optional(fields.makeGoodWindowMin),
    timeBound: Type.Optional(fields.timeBound),
  },
  { additionalProperties: false },
)

const PatchColumnSchema = Type.Object(
  {
    name: Type.Optional(fields.name),
    colour: Type.Optional(fields.colour),
    defaultPriority: Type.Optional(fields.defaultPriority),
    makeGood: Type.Optional(fields.makeGood),
    makeGoodWindowMin: Type.Optional(fields.makeGoodWindowMin),
    timeBound: Type.Optional(fields.timeBound),
  },
  { additionalProperties: false },
)

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })

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
