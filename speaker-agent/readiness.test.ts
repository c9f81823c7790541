import { describe, expect, it } from 'vitest'
import type { AgentEvent } from '../protocol/index.js'
import { createManualClock } from '../testing/manual-clock.js'
import { createReadiness, readinessOf } from './readiness.js'
import { item, plan } from './testing/player-harness.js'
import { silentLogger } from './testing/tmp-dir.js'

describe('readinessOf', () => {
  it('lists per date the items whose audio is not held', () => {
    const clock = createManualClock()
    const p = {
      ...plan([
        item(clock, '2026-11-27/a', 0, { sha256: '1'.repeat(64) }),
        item(clock, '2026-11-28/b', 0, { sha256: '2'.repeat(64) }),
      ]),
      dates: ['2026-11-27', '2026-11-28', '2026-11-29'],
    }
    expect(readinessOf(p, (sha) => sha.startsWith('1'))).toEqual([
      { date: '2026-11-27', ready: true, missing: [] },
      { date: '2026-11-28', ready: false, missing: ['2026-11-28/b'] },
      { date: '2026-11-29', ready: true, missing: [] },
    ])
  })
})

describe('createReadiness', () => {
  it('reports only changes and retries prefetching while files are missing', async () => {
    const clock = createManualClock()
    const events: AgentEvent[] = []
    const held = new Set<string>()
    let rounds = 0
    const r = createReadiness({
      clock,
      log: silentLogger(),
      report: (e) => events.push(e),
      has: (sha) => held.has(sha),
      retry: { baseMs: 1000, capMs: 1000 },
    })
    const p = { ...plan([item(clock, '2026-11-27/a', 0)]), dates: ['2026-11-27'] }
    const again = () => {
      rounds++
      r.afterPrefetch(p, again)
    }
    r.afterPrefetch(p, again)
    expect(events).toMatchObject([
      { type: 'readiness', planVersion: 'v1', dates: [{ ready: false }] },
    ])
    await clock.advance(1000)
    expect(rounds).toBe(1)
    expect(events).toHaveLength(1) // unchanged: not reported again
    held.add('a'.repeat(64))
    await clock.advance(1000)
    expect(events).toHaveLength(2)
    expect(events[1]).toMatchObject({ dates: [{ ready: true, missing: [] }] })
    await clock.advance(10_000)
    expect(rounds).toBe(2)
    r.stop()
    expect(clock.pending()).toBe(0)
  })
})
