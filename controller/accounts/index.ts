import type { Logger } from 'pino'
import type { Config } from '../config.js'
import type { Clock, EventBus } from '../platform/index.js'
import type { SharedRepositories } from '../repositories.js'
import { createAccounts } from './accounts.js'
import { createApiTokens } from './api-tokens.js'
import { createAudit } from './audit.js'
import { createLoginThrottle } from './login-throttle.js'
import { createSessions } from './sessions.js'

// The accounts module's public face: what other modules may import from it.
export { type Audit, SYSTEM_ACTOR } from './audit.js'

/**
 * People and access: users and their roles and zones, sign-in sessions with the login throttle,
 * API tokens and the audit log (docs/security.md). `start()` makes sure an admin exists.
 */
export function createAccountsModule(deps: {
  repos: Pick<SharedRepositories, 'audit' | 'sessions' | 'tokens' | 'users' | 'zones'>
  bus: EventBus
  clock: Clock
  log: Logger
  config: Pick<
    Config,
    | 'adminPassword'
    | 'loginMaxFailures'
    | 'loginLockoutSec'
    | 'sessionTtlHours'
    | 'sessionIdleMinutes'
  >
  zoneLineage: (zoneId: string) => string[]
}) {
  const { repos, bus, clock, log, config } = deps
  const audit = createAudit({ repos, clock, log })
  const throttle = createLoginThrottle({
    repos,
    clock,
    maxFailures: config.loginMaxFailures,
    lockoutMs: config.loginLockoutSec * 1000,
  })
  const accounts = createAccounts({
    repos,
    clock,
    log,
    audit,
    throttle,
    zoneLineage: deps.zoneLineage,
    bus,
  })
  const sessions = createSessions({
    repos,
    clock,
    log,
    audit,
    accounts,
    throttle,
    ttlMs: config.sessionTtlHours * 3_600_000,
    idleMs: config.sessionIdleMinutes * 60_000,
    bus,
  })
  const tokens = createApiTokens({ repos, clock, audit, accounts, bus })
  let generatedPassword: string | null = null
  return {
    name: 'accounts',
    services: { accounts, sessions, tokens, audit },
    /** The first admin's generated password: set only on the start that created it. */
    adminPassword: (): string | null => generatedPassword,
    async start(): Promise<void> {
      generatedPassword = (await accounts.ensureAdmin(config.adminPassword)).generatedPassword
    },
  }
}

/** The accounts module. */
export type AccountsModule = ReturnType<typeof createAccountsModule>
