import { passwordProblem } from '../access'
import type { Role, User } from '../api/types'

// Pure rules of the users page (no Vue): a user's state, and what a new user's form lacks.

/** A user's state: active, locked after failed logins, or disabled. */
export function userState(u: User, now: number): 'active' | 'locked' | 'disabled' {
  if (u.disabledAt) return 'disabled'
  if (u.lockedUntil && Date.parse(u.lockedUntil) > now) return 'locked'
  return 'active'
}

/** The server's username rule (controller/services/accounts.ts). */
export const USERNAME = /^[A-Za-z0-9._@-]{1,64}$/

/** The message key of what a new user's form lacks, or null when it can be sent. */
export function newUserProblem(f: {
  username: string
  password: string
  roles: Role[]
}): string | null {
  if (!USERNAME.test(f.username.trim())) return 'users.badName'
  const weak = passwordProblem(f.password, f.username.trim())
  if (weak) return `account.weak.${weak}`
  if (f.roles.length === 0) return 'users.needRole'
  return null
}

/** A date-time in the user's language, or null for none. */
export function dateTime(iso: string | null, locale: string): string | null {
  if (!iso) return null
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleString(locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  })
}
