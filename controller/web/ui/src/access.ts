import type { Role } from './api/types'

// Pure rules of who may open which page (no DOM, no Vue): the server enforces the same
// (controller/http/access-policy.ts); the UI only hides and refuses what would be refused.

/** Who may open a page besides admin: some roles, or `'any'` logged-in user. */
export type PageRoles = readonly Role[] | 'any'

/** Whether the roles include `role` (admin holds every role). */
export function hasRole(roles: readonly Role[], role: Role): boolean {
  return roles.includes('admin') || roles.includes(role)
}

/** Whether these roles may open a page that admits `allow`; an empty list: admin only. */
export function mayOpen(allow: PageRoles, roles: readonly Role[]): boolean {
  if (roles.includes('admin') || allow === 'any') return true
  return allow.some((r) => roles.includes(r))
}

/** What the route guard does with a navigation. */
export type Decision =
  | { kind: 'open' }
  | { kind: 'login'; redirect: string }
  | { kind: 'forbidden'; from: string }
  | { kind: 'home'; to: string }

/** A page as the guard sees it: public (login, 404) or admitting some roles. */
export interface Guarded {
  public?: boolean
  roles?: PageRoles
}

/**
 * The route guard's rule: a public page opens; without a session → the login (keeping where the
 * user was going); with one, a page the roles do not admit → "no access"; the login page while
 * logged in → the home page.
 */
export function decide(
  page: Guarded,
  target: string,
  me: { readonly roles: readonly Role[] } | null,
  home: (roles: readonly Role[]) => string,
  isLogin = false,
): Decision {
  if (isLogin && me) return { kind: 'home', to: home(me.roles) }
  if (page.public) return { kind: 'open' }
  if (!me) return { kind: 'login', redirect: target }
  return mayOpen(page.roles ?? [], me.roles)
    ? { kind: 'open' }
    : { kind: 'forbidden', from: target }
}

/** Where to go after a login: the page asked for, if it is one of ours, else home. */
export function afterLogin(redirect: unknown, home: string): string {
  if (typeof redirect !== 'string' || !redirect.startsWith('/') || redirect.startsWith('//')) {
    return home
  }
  return redirect === '/login' ? home : redirect
}

/** Seconds as whole minutes and the seconds left ("3 分 20 秒"). */
export function waitParts(sec: number): { min: number; sec: number } {
  const s = Math.max(0, Math.ceil(sec))
  return { min: Math.floor(s / 60), sec: s % 60 }
}

/** Why a new password cannot be used, or null: length, and not containing the username. */
export function passwordProblem(
  password: string,
  username: string,
): 'short' | 'long' | 'username' | null {
  if (password.length < 10) return 'short'
  if (password.length > 256) return 'long'
  if (username && password.toLowerCase().includes(username.toLowerCase())) return 'username'
  return null
}
