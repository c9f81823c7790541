import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { USERNAME_PATTERN } from '../../accounts.js'
import { actorOf } from '../../audit.js'
import { IdParamsSchema, RoleSchema, RolesSchema, ZonesSchema } from '../auth/schemas.js'

/** A user account as the API shows it: never the password hash. */
export const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  roles: Type.Array(RoleSchema),
  zones: Type.Array(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  passwordChangedAt: Type.String(),
  lastLoginAt: Type.Union([Type.String(), Type.Null()]),
  disabledAt: Type.Union([Type.String(), Type.Null()]),
  lockedUntil: Type.Union([Type.String(), Type.Null()], {
    description: 'while logins are locked after failures',
  }),
})

const Password = Type.String({ minLength: 1, maxLength: 256, description: 'at least 10 chars' })

const CreateUserSchema = Type.Object(
  {
    username: Type.String({ pattern: USERNAME_PATTERN }),
    password: Password,
    roles: RolesSchema,
    zones: Type.Optional(ZonesSchema),
  },
  { additionalProperties: false },
)

const PatchUserSchema = Type.Object(
  {
    roles: Type.Optional(RolesSchema),
    zones: Type.Optional(ZonesSchema),
    password: Type.Optional(Password),
    disabled: Type.Optional(Type.Boolean()),
    unlock: Type.Optional(Type.Boolean({ description: 'clear a lockout after failed logins' })),
  },
  { additionalProperties: false },
)

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
