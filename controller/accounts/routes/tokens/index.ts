import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import {
  CreatedTokenSchema,
  CreateTokenSchema,
  AccountIdParamsSchema as IdParamsSchema,
  TokenSchema,
} from '../../../../contract/index.js'
import { actorOf } from '../../audit.js'
import { userOf } from '../auth/index.js'

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
