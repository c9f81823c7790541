import { createHash, randomBytes } from 'node:crypto'
import { ChorusError } from '../errors.js'
import type { Clock, EventBus } from '../platform/index.js'
import type { SharedRepositories } from '../repositories.js'
import type { Accounts } from './accounts.js'
import type { Audit, AuditActor } from './audit.js'
import type { TokenRecord } from './repositories/tokens-repository.js'
import { isRole, type Role, type UserPrincipal } from './roles.js'

/** `last_used_at` is written at most this often per token. */
export const TOKEN_TOUCH_MS = 60_000

/** Every API token starts with this, so that secret scanners and people recognise one. */
export const TOKEN_PREFIX = 'chorus_'

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

/** A token as the API shows it: never its value (shown once) nor its hash. */
export interface TokenView {
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

/** What creating a token takes. */
export interface TokenInput {
  name: string
  roles: Role[]
  zones?: string[]
  expiresAt?: string
}

const view = (t: TokenRecord): TokenView => ({
  id: t.id,
  name: t.name,
  owner: t.username,
  roles: t.roles.filter(isRole),
  zones: t.zones,
  createdAt: t.createdAt,
  expiresAt: t.expiresAt,
  lastUsedAt: t.lastUsedAt,
  revokedAt: t.revokedAt,
})

/**
 * API tokens for scripts (`Authorization: Bearer <token>`): 256 random bits shown once, stored
 * as SHA-256, limited to roles the creator holds (an admin may grant any) and to zones within
 * the creator's scope, optionally expiring, revocable. A token acts for its owner: it loses a
 * role the owner loses, and dies with a disabled or deleted owner.
 */
export function createApiTokens(deps: {
  repos: Pick<SharedRepositories, 'tokens' | 'zones'>
  clock: Clock
  audit: Audit
  accounts: Accounts
  bus: EventBus
}) {
  const { repos, clock, audit, accounts } = deps
  const isAdmin = (p: { roles: readonly string[] }) => p.roles.includes('admin')

  function create(
    by: AuditActor,
    owner: UserPrincipal,
    input: TokenInput,
  ): { token: string; view: TokenView } {
    const roles = [...new Set(input.roles)]
    const missing = roles.filter((r) => !owner.roles.includes(r))
    if (!isAdmin(owner) && missing.length > 0) {
      throw new ChorusError('TOKEN_INVALID', `you do not hold the roles ${missing.join(', ')}`)
    }
    const zones = [...new Set(input.zones ?? owner.zones)]
    for (const z of zones) {
      if (!repos.zones.get(z)) throw new ChorusError('TOKEN_INVALID', `unknown zone ${z}`)
      if (!accounts.inScope(owner.zones, z)) {
        throw new ChorusError('TOKEN_INVALID', `zone ${z} is outside your zones`)
      }
    }
    if (owner.zones.length > 0 && zones.length === 0) {
      throw new ChorusError('TOKEN_INVALID', 'a token cannot reach beyond your zones')
    }
    let expiresAt: string | null = null
    if (input.expiresAt !== undefined) {
      const ms = Date.parse(input.expiresAt)
      if (Number.isNaN(ms) || ms <= clock.now()) {
        throw new ChorusError('TOKEN_INVALID', 'expiresAt must be an instant in the future')
      }
      expiresAt = new Date(ms).toISOString()
    }
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`
    const id = `tok-${randomBytes(5).toString('hex')}`
    repos.tokens.insert({
      id,
      tokenHash: sha256(token),
      userId: owner.userId,
      name: input.name,
      roles,
      zones,
      createdAt: new Date(clock.now()).toISOString(),
      expiresAt,
    })
    const created = repos.tokens.get(id)
    if (!created) throw new ChorusError('TOKEN_NOT_FOUND', `no token ${id}`)
    const v = view(created)
    audit.record({ by, action: 'token.create', target: id, after: v })
    return { token, view: v }
  }

  /** An admin sees every token; anyone else their own. */
  function list(p: UserPrincipal): TokenView[] {
    return repos.tokens.list(isAdmin(p) ? undefined : p.userId).map(view)
  }

  /** Revokes a token (its owner or an admin); TOKEN_NOT_FOUND for anyone else's. */
  function revoke(by: AuditActor, p: UserPrincipal, id: string): void {
    const t = repos.tokens.get(id)
    if (!t || (!isAdmin(p) && t.userId !== p.userId)) {
      throw new ChorusError('TOKEN_NOT_FOUND', `no token ${id}`)
    }
    repos.tokens.revoke(id, new Date(clock.now()).toISOString())
    audit.record({ by, action: 'token.revoke', target: id, before: view(t) })
    deps.bus.emit('accessChanged', { userId: t.userId })
  }

  /**
   * The principal a bearer token acts as, or null (unknown, revoked, expired, owner gone).
   * `touch: false` checks without recording a use (an open live stream re-checking).
   */
  function authenticate(token: string, opts: { touch?: boolean } = {}): UserPrincipal | null {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null
    const t = repos.tokens.byHash(sha256(token))
    if (!t || t.revokedAt) return null
    const now = clock.now()
    if (t.expiresAt && Date.parse(t.expiresAt) <= now) return null
    const owner = accounts.record(t.userId)
    if (!owner || owner.disabledAt) return null
    const ownerRoles = accounts.rolesOf(owner)
    const tokenRoles = t.roles.filter(isRole)
    const roles = ownerRoles.includes('admin')
      ? tokenRoles
      : tokenRoles.filter((r) => ownerRoles.includes(r))
    // Zones: the token's, but never beyond the owner's present scope.
    let zones = t.zones.length > 0 ? t.zones : owner.zones
    if (owner.zones.length > 0) {
      zones = zones.filter((z) => accounts.inScope(owner.zones, z))
      if (zones.length === 0) return null
    }
    if (
      opts.touch !== false &&
      (!t.lastUsedAt || now - Date.parse(t.lastUsedAt) >= TOKEN_TOUCH_MS)
    ) {
      repos.tokens.markUsed(t.id, new Date(now).toISOString())
    }
    return {
      kind: 'user',
      via: 'token',
      userId: owner.id,
      username: owner.username,
      roles,
      zones,
      token: { id: t.id, name: t.name },
    }
  }

  /**
   * Issues a token for a user by name, without a request (the demo, tests): acts as the user's
   * full roles. Throws USER_NOT_FOUND for an unknown user.
   */
  function issueFor(by: AuditActor, username: string, input: TokenInput) {
    const user = accounts.byUsername(username)
    if (!user) throw new ChorusError('USER_NOT_FOUND', `no user ${username}`)
    const owner: UserPrincipal = {
      kind: 'user',
      via: 'token',
      userId: user.id,
      username: user.username,
      roles: accounts.rolesOf(user),
      zones: user.zones,
    }
    return create(by, owner, input)
  }

  return { create, list, revoke, authenticate, issueFor }
}

/** The API tokens service. */
export type ApiTokens = ReturnType<typeof createApiTokens>
