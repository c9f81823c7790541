/**
 * @module contract/accounts
 * HTTP contract of accounts: login and sessions, users, API tokens and the audit log.
 */
import { type Static, Type } from 'typebox'

/** Every role, in the order the UI lists them. */
export const ROLES = ['admin', 'scheduler', 'technician', 'installer'] as const

/** Usernames: letters, digits and `._@-`, 1–64 characters. */
export const USERNAME_PATTERN = '^[A-Za-z0-9._@-]{1,64}$'

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

/** Path parameter `:id` of users and tokens. */
export const AccountIdParamsSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
})

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

/** Body of POST /api/users. */
export const CreateUserSchema = Type.Object(
  {
    username: Type.String({ pattern: USERNAME_PATTERN }),
    password: Password,
    roles: RolesSchema,
    zones: Type.Optional(ZonesSchema),
  },
  { additionalProperties: false },
)

/** Body of PATCH /api/users/:id. */
export const PatchUserSchema = Type.Object(
  {
    roles: Type.Optional(RolesSchema),
    zones: Type.Optional(ZonesSchema),
    password: Type.Optional(Password),
    disabled: Type.Optional(Type.Boolean()),
    unlock: Type.Optional(Type.Boolean({ description: 'clear a lockout after failed logins' })),
  },
  { additionalProperties: false },
)

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

/** Body of POST /api/tokens. */
export const CreateTokenSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    roles: Type.Array(RoleSchema, { minItems: 1, maxItems: 4, uniqueItems: true }),
    zones: Type.Optional(ZonesSchema),
    expiresAt: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
)

/** Answer to POST /api/tokens: the token's value, shown this once. */
export const CreatedTokenSchema = Type.Object({
  ...TokenSchema.properties,
  token: Type.String({ description: 'shown only once; the controller keeps its SHA-256' }),
})

/** One audit log entry. */
export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actor: Type.String({ description: "username, 'node:<id>', 'system' or 'anonymous'" }),
  actorKind: Type.String({ description: 'session, token, node, system or anonymous' }),
  action: Type.String(),
  target: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  details: Type.Unknown(),
})

const Instant = Type.String({ minLength: 10, maxLength: 40, description: 'ISO date or instant' })

/** Query of GET /api/audit. */
export const AuditQuerySchema = Type.Object(
  {
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    action: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: "exact, or a prefix 'node.*'" }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    offset: Type.Optional(Type.Integer({ minimum: 0 })),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
  },
  { additionalProperties: false },
)

/** GET /api/audit: entries as JSON, or a CSV document with `format=csv`. */
export const AuditAnswerSchema = Type.Union([
  Type.Array(AuditEntrySchema),
  Type.String({ description: 'text/csv with format=csv' }),
])

/** A role. */
export type Role = (typeof ROLES)[number]
/** Who is logged in. */
export type Me = Static<typeof MeSchema>
/** A user account. */
export type User = Static<typeof UserSchema>
/** An API token as listed. */
export type Token = Static<typeof TokenSchema>
/** A freshly created API token, with its value shown once. */
export type CreatedToken = Static<typeof CreatedTokenSchema>
/** One audit log entry. */
export type AuditEntry = Static<typeof AuditEntrySchema>
