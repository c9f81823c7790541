/**
 * @module roles
 * Who may do what (issue 5). `admin` may do everything; the other roles delegate parts of the
 * work, and a user may hold several. A user limited to zones reaches those zones and everything
 * below them (PRODUCT.md "Zones"); an empty zone list means the whole district.
 */

import { ROLES } from '../../contract/index.js'

/** Every role, in the order the UI lists them (defined by the HTTP contract). */
export { ROLES }

/** One role. */
export type Role = (typeof ROLES)[number]

/** Whether `value` names a role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

/** A logged-in user or an API token acting for one. */
export interface UserPrincipal {
  kind: 'user'
  /** How the request authenticated. */
  via: 'session' | 'token'
  userId: string
  username: string
  roles: Role[]
  /** Zone ids the principal is limited to; empty = the whole district. */
  zones: string[]
  /** SHA-256 of the session id (sessions only). */
  sessionHash?: string
  /** The session's CSRF token (sessions only). */
  csrfToken?: string
  /** The API token's id and name (tokens only). */
  token?: { id: string; name: string }
}

/** A speaker node authenticated with HTTP Basic `nodeId:secret`. */
export interface NodePrincipal {
  kind: 'node'
  nodeId: string
}

/** Whoever a request authenticated as. */
export type Principal = UserPrincipal | NodePrincipal

/**
 * Whether a principal limited to `scope` reaches `zoneId`, given the zone's lineage (the zone and
 * its ancestors). An empty scope reaches everything.
 */
export function zoneInScope(scope: readonly string[], lineage: readonly string[]): boolean {
  return scope.length === 0 || lineage.some((z) => scope.includes(z))
}
