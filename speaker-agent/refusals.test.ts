import { describe, expect, it } from 'vitest'
import { type AgentEvent, createPayloadDecoder, MAX_PLAN_ITEMS } from '../protocol/index.js'
import { createManualClock } from '../testing/manual-clock.js'
import { createRefusals } from './refusals.js'
import { silentLogger } from './testing/tmp-dir.js'

describe('refusals', () => {
  it('reports each distinct refusal once, as events the protocol accepts', () => {
    const events: AgentEvent[] = []
    const r = createRefusals({
      clock: createManualClock(Date.parse('2026-12-06T08:00:00Z')),
      report: (e) => events.push(e),
      log: silentLogger(),
    })
    const huge = Buffer.from(
      JSON.stringify({
        v: 1,
        version: 'v9',
        items: Array.from({ length: MAX_PLAN_ITEMS + 1 }, () => ({})),
      }),
    )
    expect(r.undecodable('plan', huge, ['/items too many'])).toBe('too-large')
    expect(r.undecodable('plan', huge, ['/items too many'])).toBe('too-large')
    expect(r.undecodable('cmd', Buffer.from('not json'), ['not JSON'])).toBe('invalid')
    r.refused('cmd', 'bad-signature', { id: 'c1' })
    r.refused('plan', 'bad-signature', { id: 'v1', source: 'stored' })
    expect(events.map((e) => e.type)).toEqual([
      'plan.rejected',
      'cmd.rejected',
      'cmd.rejected',
      'plan.rejected',
    ])
    expect(events[0]).toMatchObject({
      planVersion: 'v9',
      reason: 'too-large',
      source: 'received',
      error: `plan has ${MAX_PLAN_ITEMS + 1} items; this node accepts at most ${MAX_PLAN_ITEMS}`,
    })
    expect(events[1]).toMatchObject({ cmdId: null, reason: 'invalid' })
    const decoder = createPayloadDecoder()
    expect(decoder.decode('events', JSON.stringify({ v: 1, events })).ok).toBe(true)
  })
})
