import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { actorOf } from '../../audit.js'
import { userOf } from '../auth/index.js'
import { IdParamsSchema, RoleSchema, ZonesSchema } from '../auth/schemas.js'

/** An API token as listed: never its value nor its hash. */
export const TokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  owner: Type.String({ description: 'username the token acts for' }),
  roles: Type.Array(RoleSchema),
  zones: Type.Array(Type.String()),
  createdAt: Type.String(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
})

const CreateTokenSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    roles: Type.Array(RoleSchema, { minItems: 1, maxItems: 4, uniqueItems: true }),
    zones: Type.Optional(ZonesSchema),
    expiresAt: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
)

const CreatedTokenSchema = Type.Object({
  ...TokenSchema.properties,
  token: Type.String({ description: 'shown only once; the controller keeps its SHA-256' }),
})

/**
 * API tokens for scripts: create (the value is shown once), list (an admin sees all, others
 * their own), revoke. A token holds at most its creator's roles (an admin may grant any).
 */
export async function tokensRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { tokens } = app.deps.services

  app.get('/', { schema: { response: { 200: Type.Array(TokenSchema) } } }, async (req) =>
    tokens.list(userOf(req)),
  )

  app.post(
    '/',
    { schema: { body: CreateTokenSchema, response: { 201: CreatedTokenSchema } } },
    async (req, reply) => {
      const p = userOf(req)
      const { token, view } = tokens.create(actorOf(p, req.ip), p, {
        name: req.body.name,
        roles: req.body.roles,
        ...(req.body.zones !== undefined ? { zones: req.body.zones } : {}),
        ...(req.body.expiresAt !== undefined ? { expiresAt: req.body.expiresAt } : {}),
      })
      reply.code(201)
      return { ...view, token }
    },
  )

  app.delete(
    '/:id',
    { schema: { params: IdParamsSchema, response: { 204: Type.Null() } } },
    async (req, reply) => {
      const p = userOf(req)
      tokens.revoke(actorOf(p, req.ip), p, req.params.id)
      reply.code(204)
      return null
    },
  )
}
