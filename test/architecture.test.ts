import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkArchitecture, formatViolation, type RuleId } from './architecture/rules.js'
import { readTree } from './architecture/tree.js'

const ROOT = resolve(import.meta.dirname, '..')

/**
 * Debt the lead empties as the work of issue 12 lands: each entry is a file that breaks a rule
 * today. New files never go here. (test/architecture/rules.test.ts proves each rule fires.)
 */
const DEBT: Partial<Record<RuleId, readonly string[]>> = {
  // Issue 12 item 1 (modules): a module hands its routes the services they need, not the repos.
  'routes-no-repos': [
    'controller/http/routes/audio/index.ts',
    'controller/http/routes/broker/index.ts',
    'controller/http/routes/monitoring/index.ts',
    'controller/http/routes/monitoring/scope.ts',
    'controller/http/routes/plays/index.ts',
  ],
  // Issue 12 item 4 (clock): timers through the injected clock.
  'services-no-transport': ['controller/services/day-boundary.ts'],
  'global-timers': [
    'controller/http/plugins/sse.ts',
    'controller/main.ts',
    'controller/mqtt/dynsec.ts',
    'controller/services/alerts.ts',
    'controller/services/commands.ts',
    'controller/services/controller-runs.ts',
    'controller/services/event-ingest.ts',
    'controller/services/fleet-monitor.ts',
    'controller/services/incidents.ts',
    'controller/services/restart-presence.ts',
    'controller/services/webhook.ts',
  ],
}

describe('architecture (STYLE.md section 3, test/architecture/rules.ts)', () => {
  const all = checkArchitecture(readTree(ROOT))
  const owed = (rule: RuleId, file: string) => DEBT[rule]?.includes(file) ?? false

  it('the repository follows every rule', () => {
    const violations = all.filter((v) => !owed(v.rule, v.file))
    expect(violations.map(formatViolation)).toEqual([])
  })

  it('every debt entry still breaks its rule (so the list only shrinks)', () => {
    const found = new Set(all.map((v) => `${v.rule} ${v.file}`))
    const stale = Object.entries(DEBT).flatMap(([rule, files]) =>
      files.filter((f) => !found.has(`${rule} ${f}`)).map((f) => `${rule} ${f}`),
    )
    expect(stale).toEqual([])
  })
})
