import { Writable } from 'node:stream'
import pino from 'pino'
import { describe, expect, it } from 'vitest'
import { createNodeLimits } from './node-limits.js'
import { createSampledLog } from './sampled-log.js'

function limitsAt(opts: { violationLimit?: number } = {}) {
  let now = 1_000_000
  const kicked: string[] = []
  const limits = createNodeLimits({
    now: () => now,
    telemetryMinIntervalMs: 30_000,
    maxMessagesPerMin: 60,
    maxEventsPerMin: 120,
    eventsBurst: 500,
    violationLimit: opts.violationLimit ?? 1000,
    onViolationLimit: (nodeId) => kicked.push(nodeId) > 0,
  })
  return { limits, kicked, advance: (ms: number) => (now += ms) }
}

describe('createNodeLimits', () => {
  it('keeps one telemetry sample per interval and node', () => {
    const { limits, advance } = limitsAt()
    expect(limits.admit('n1', 'telemetry')).toBe(true)
    expect(limits.admit('n1', 'telemetry')).toBe(false)
    expect(limits.admit('n2', 'telemetry')).toBe(true)
    advance(29_999)
    expect(limits.admit('n1', 'telemetry')).toBe(false)
    advance(1)
    expect(limits.admit('n1', 'telemetry')).toBe(true)
    expect(limits.stats()).toMatchObject({ limited: 2, violations: 2 })
  })

  it('lets a burst of messages through, then their rate per minute', () => {
    const { limits, advance } = limitsAt()
    for (let i = 0; i < 60; i++) expect(limits.admitMessage('n1')).toBe(true)
    expect(limits.admitMessage('n1')).toBe(false)
    expect(limits.admitMessage('n2')).toBe(true)
    advance(1000) // one token a second
    expect(limits.admitMessage('n1')).toBe(true)
    expect(limits.admitMessage('n1')).toBe(false)
  })

  it('lets a burst of events through, then their rate per minute, even across quiet spells', () => {
    const { limits, advance } = limitsAt()
    for (let i = 0; i < 5; i++) expect(limits.admit('n1', 'events', 100)).toBe(true)
    expect(limits.admit('n1', 'events', 1)).toBe(false)
    expect(limits.admit('n1', 'status')).toBe(true) // status messages carry no events
    advance(30_000) // 60 events back
    expect(limits.admit('n1', 'events', 61)).toBe(false)
    expect(limits.admit('n1', 'events', 60)).toBe(true)
    // Forgetting a quiet node must not hand it a fresh burst early.
    advance(61_000)
    limits.admitMessage('n2') // a sweep
    expect(limits.admit('n1', 'events', 200)).toBe(false)
    expect(limits.admit('n1', 'events', 120)).toBe(true)
  })

  it('asks for a disconnect after the limit of violations within a minute, then counts anew', () => {
    const { limits, kicked, advance } = limitsAt({ violationLimit: 3 })
    limits.violation('n1')
    limits.violation('n1')
    advance(60_000) // the window has passed: these two no longer count
    limits.violation('n1')
    limits.violation('n1')
    expect(kicked).toEqual([])
    limits.violation('n1')
    expect(kicked).toEqual(['n1'])
    expect(limits.stats().disconnects).toBe(1)
  })

  it('forgets quiet nodes', () => {
    const { limits, advance } = limitsAt()
    for (let i = 0; i < 100; i++) limits.admitMessage(`n${i}`)
    expect(limits.stats().tracked).toBe(100)
    advance(251_000) // the 500-event burst refills at 120 a minute
    limits.admitMessage('n0')
    expect(limits.stats().tracked).toBe(1)
  })
})

describe('createSampledLog', () => {
  it('logs one line per kind per interval, with how many it left out', () => {
    const lines: Record<string, unknown>[] = []
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>)
        cb()
      },
    })
    let now = 0
    const log = createSampledLog({ log: pino(stream), intervalMs: 10_000, now: () => now })
    for (let i = 0; i < 1000; i++) log.warn('payload', { i }, 'payload rejected')
    log.warn('topic', {}, 'message on an unexpected topic')
    now = 10_000
    log.warn('payload', { i: 1000 }, 'payload rejected')
    expect(lines.map((l) => [l.msg, l.i, l.suppressed])).toEqual([
      ['payload rejected', 0, undefined],
      ['message on an unexpected topic', undefined, undefined],
      ['payload rejected', 1000, 999],
    ])
  })
})
