import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import {
  CreateUserSchema,
  AccountIdParamsSchema as IdParamsSchema,
  PatchUserSchema,
  UserSchema,
} from '../../../../contract/index.js'
import { actorOf } from '../../audit.js'

/** Users (admin): list, read, create, change roles, zones, password, disable, unlock, delete. */
export async function usersRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { accounts } = app.deps.services

  app.get('/', { schema: { response: { 200: Type.Array(UserSchema) } } }, async () =>
    accounts.list(),
  )

  app.get(
    '/:id',
    { schema: { params: IdParamsSchema, response: { 200: UserSchema } } },
    async (req) => accounts.get(req.params.id),
  )

  app.post(
    '/',
    { schema: { body: CreateUserSchema, response: { 201: UserSchema } } },
    async (req, reply) => {
      const user = await accounts.create(actorOf(req.principal, req.ip), req.body)
      reply.code(201)
      return user
    },
  )

  app.patch(
    '/:id',
    { schema: { params: IdParamsSchema, body: PatchUserSchema, response: { 200: UserSchema } } },
    async (req) => accounts.update(actorOf(req.principal, req.ip), req.params.id, req.body),
  )

  app.delete(
    '/:id',
    { schema: { params: IdParamsSchema, response: { 204: Type.Null() } } },
    async (req, reply) => {
      accounts.remove(actorOf(req.principal, req.ip), req.params.id)
      reply.code(204)
      return null
    },
  )
}
