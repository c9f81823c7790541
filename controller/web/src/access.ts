import type { Role } from './access-types.js'
import type { CommandKind, Zone } from './types.js'

// Pure rules of what each role may see and do in the UI (no DOM): the server enforces the same
// (controller/http/access-policy.ts); the UI only hides what would be refused.

/** Who may open each page (by its tab path) besides admin; `'any'`: every signed-in user. */
export const PAGE_ROLES: Readonly<Record<string, readonly Role[] | 'any'>> = {
  '/nodes': ['technician', 'installer'],
  '/map': ['technician', 'installer'],
  '/alerts': ['technician'],
  '/plays': ['scheduler', 'technician'],
  '/programme': ['scheduler'],
  '/calendar': ['scheduler'],
  '/audio': ['scheduler'],
  '/announcements': ['scheduler'],
  '/reports': ['scheduler'],
  '/install': ['installer'],
  '/users': [],
  '/tokens': [],
  '/audit': [],
  '/account': 'any',
}

/** Where each role starts, in order of preference. */
const HOMES = ['/nodes', '/install', '/programme', '/plays', '/account']

/** Whether the roles include `role` (admin holds every role). */
export function hasRole(roles: readonly Role[], role: Role): boolean {
  return roles.includes('admin') || roles.includes(role)
}

/** Whether these roles may open the page of a tab path; unknown pages are admin-only. */
export function mayOpen(tab: string, roles: readonly Role[]): boolean {
  if (roles.includes('admin')) return true
  const allow = PAGE_ROLES[tab]
  if (allow === 'any') return true
  return allow?.some((r) => roles.includes(r)) ?? false
}

/** The first page these roles may open: fleet for technicians, install for installers, … */
export function homeOf(roles: readonly Role[]): string {
  return HOMES.find((p) => mayOpen(p, roles)) ?? '/account'
}

/** The commands these roles may send to one node (an installer: ping and test tone). */
export function commandKindsFor(
  roles: readonly Role[],
  all: readonly CommandKind[],
): CommandKind[] {
  if (hasRole(roles, 'technician')) return [...all]
  if (roles.includes('installer')) return all.filter((k) => k === 'ping' || k === 'testTone')
  return []
}

/** Whether these roles may register, replace, retire and rotate nodes. */
export function mayProvision(roles: readonly Role[]): boolean {
  return hasRole(roles, 'installer')
}

/**
 * The zone ids a principal limited to `limit` reaches (each zone and everything below it), or
 * null when it is not limited (the whole district).
 */
export function reachable(zones: readonly Zone[], limit: readonly string[]): Set<string> | null {
  if (limit.length === 0) return null
  const children = new Map<string, string[]>()
  for (const z of zones) {
    if (!z.parentId) continue
    const list = children.get(z.parentId) ?? []
    list.push(z.id)
    children.set(z.parentId, list)
  }
  const out = new Set<string>()
  const stack = [...limit]
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    if (out.has(id)) continue
    out.add(id)
    stack.push(...(children.get(id) ?? []))
  }
  return out
}

/** Seconds as "45 秒" / "3 分 20 秒"-style parts: whole minutes and the seconds left. */
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
