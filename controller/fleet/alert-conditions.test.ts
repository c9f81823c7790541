import { describe, expect, it } from 'vitest'
import { ALERT_RULES, CONDITIONS } from './alert-conditions.js'

describe('the alert condition table (alert-conditions.ts)', () => {
  it('has exactly one row per alert rule kind, and no row without a rule', () => {
    const kinds = Object.keys(ALERT_RULES)
    const counts = kinds.map((k) => [k, CONDITIONS.filter((r) => r.kind === k).length])
    expect(counts.filter(([, n]) => n !== 1)).toEqual([])
    expect(CONDITIONS.length).toBe(kinds.length)
  })
})
