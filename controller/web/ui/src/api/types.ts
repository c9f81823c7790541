// TODO(contract): these mirror the server's route schemas by hand until the top-level `contract/`
// folder lands on main; then import the request and response types from there and delete this.

/** A role; a user may hold several, and `admin` passes everywhere (controller/services/roles.ts). */
export type Role = 'admin' | 'scheduler' | 'technician' | 'installer'

/** Every role, in the order the forms list them. */
export const ROLES: readonly Role[] = ['admin', 'scheduler', 'technician', 'installer']

/** GET /api/auth/me and POST /api/auth/login. */
export interface Me {
  id: string
  username: string
  roles: Role[]
  /** Zone ids the user is limited to; empty: the whole district. */
  zones: string[]
  csrfToken: string | null
}

/** A zone of the district tree (GET /api/zones). */
export interface Zone {
  id: string
  name: string
  parentId: string | null
  code: string | null
}

/** A user account (GET /api/users). */
export interface User {
  id: string
  username: string
  roles: Role[]
  zones: string[]
  createdAt: string
  updatedAt: string
  passwordChangedAt: string
  lastLoginAt: string | null
  disabledAt: string | null
  lockedUntil: string | null
}

/** Body of POST /api/users. */
export interface UserRequest {
  username: string
  password: string
  roles: Role[]
  zones?: string[]
}

/** Body of PATCH /api/users/:id. */
export interface UserPatch {
  roles?: Role[]
  zones?: string[]
  password?: string
  disabled?: boolean
  unlock?: boolean
}

/** An API token as listed (never its value). */
export interface ApiToken {
  id: string
  name: string
  owner: string
  roles: Role[]
  zones: string[]
  createdAt: string
  expiresAt: string | null
  lastUsedAt: string | null
  revokedAt: string | null
}

/** Answer to POST /api/tokens: the value is shown only here. */
export interface CreatedToken extends ApiToken {
  token: string
}

/** Body of POST /api/tokens. */
export interface TokenRequest {
  name: string
  roles: Role[]
  zones?: string[]
  expiresAt?: string
}

/** One audit log entry (GET /api/audit). */
export interface AuditEntry {
  id: number
  at: string
  actor: string
  actorKind: string
  action: string
  target: string | null
  ip: string | null
  before: unknown
  after: unknown
  details: unknown
}

/** Filters of GET /api/audit. */
export interface AuditQuery {
  actor?: string
  action?: string
  from?: string
  to?: string
  limit?: number
  offset?: number
}
