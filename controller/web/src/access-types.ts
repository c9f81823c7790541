// Hand-written mirrors of the account, token, audit and provisioning shapes (docs/api.md,
// "Authentication", and docs/node-install.md): the UI imports no server file.
import type { NodeView } from './types.js'

/** A role; a user may hold several, and `admin` passes everywhere. */
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

/** The provisioning bundle a new node enrolls with. */
export interface Bundle {
  v: 1
  nodeId: string
  brokerUrl: string
  controllerUrl: string
  enrollmentToken: string
  expiresAt: string
  caCert: string | null
  controllerKey?: string
}

/** A node with its provisioning facts (GET /api/nodes/:id has them; NodeView leaves them out). */
export interface ProvisionedNode extends NodeView {
  serial?: string | null
  notes?: string | null
  enrolledAt?: string | null
  replacedAt?: string | null
}

/** Something that carries a bundle and its QR code (the server's SVG). */
export interface Provisioned {
  bundle: Bundle
  bundleQr: string
}

/** Answer to POST /api/nodes: the node, its secret and its bundle. */
export type CreatedNode = ProvisionedNode & Provisioned & { secret: string }

/** Answer to POST /api/nodes/:id/replace. */
export type ReplacedNode = ProvisionedNode & Provisioned

/** Answer to POST /api/nodes/:id/rotate: the new secret, shown once. */
export type RotatedNode = ProvisionedNode & { secret: string }

/** Answer to POST /api/nodes/:id/enrollment. */
export type EnrollmentIssued = Provisioned & { id: string }

/** Body of POST /api/nodes. */
export interface RegisterRequest {
  name: string
  zone: string
  lat?: number
  lon?: number
  serial?: string
  notes?: string
}
