import { hasRole } from './access.js'
import type { Me, Role } from './access-types.js'

/** Who is signed in, and what they may do; handed to every view. */
export interface Session {
  me: Me
  /** Whether the user holds the role (admin holds every role). */
  has(role: Role): boolean
  /** Ends the session (POST api/auth/logout) and shows the login page. */
  logout(): Promise<void>
}

/** The session of a signed-in user. */
export function createSession(me: Me, logout: () => Promise<void>): Session {
  return { me, has: (role) => hasRole(me.roles, role), logout }
}
