import { Type } from 'typebox'
import { ROLES } from '../../roles.js'

/** A role name. */
export const RoleSchema = Type.Union(
  [
    Type.Literal('admin'),
    Type.Literal('scheduler'),
    Type.Literal('technician'),
    Type.Literal('installer'),
  ],
  { description: ROLES.join(' | ') },
)

/** Zone ids a user or token is limited to; empty means the whole district. */
export const ZonesSchema = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
  maxItems: 200,
  description: 'zone ids; a zone reaches everything below it; empty: the whole district',
})

/** Roles held (each at most once). */
export const RolesSchema = Type.Array(RoleSchema, { maxItems: ROLES.length, uniqueItems: true })

/** Body of POST /api/auth/login. */
export const LoginSchema = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
)

/** Who is logged in: answer of GET /api/auth/me and POST /api/auth/login. */
export const MeSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  roles: Type.Array(RoleSchema),
  zones: Type.Array(Type.String()),
  csrfToken: Type.Union([Type.String(), Type.Null()], {
    description: 'send as x-csrf-token with every POST/PUT/PATCH/DELETE; null with an API token',
  }),
})

/** Body of POST /api/auth/password. */
export const PasswordChangeSchema = Type.Object(
  {
    current: Type.String({ minLength: 1, maxLength: 256 }),
    next: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
)

/** Path parameter `:id`. */
export const IdParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
