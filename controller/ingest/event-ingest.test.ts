import { describe, expect, it, onTestFinished } from 'vitest'
import type { AgentEvent } from '../../protocol/index.js'
import { serviceFixture } from '../testing/service-fixture.js'
import { createEventIngest, INGEST_BATCH_DELAY_MS } from './event-ingest.js'

function plays(nodeId: string, from: number, n: number, at: string): AgentEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    type: 'play.failed' as const,
    id: `ev-${nodeId}-${from + i}`,
    at,
    itemId: `2026-11-27/seg-${from + i}`,
    scheduledAt: at,
    reason: 'download' as const,
  }))
}

describe('event ingest on a manual clock', () => {
  it('stores a burst as one batch when its timer fires, in one transaction, with receipts', async () => {
    const f = serviceFixture()
    const a = f.addNode('二十里铺 1号', '二十里铺镇')
    const b = f.addNode('二十里铺 2号', '二十里铺镇')
    const receipts: Array<[string, number]> = []
    let writes = 0
    const ingest = createEventIngest({
      ...f,
      tz: 'Asia/Shanghai',
      observeWrite: () => writes++,
      onCommitted: (nodeId, stored) => receipts.push([nodeId, stored.length]),
    })
    onTestFinished(() => ingest.stop())
    const reported: string[] = []
    f.bus.on('playReported', (p) => reported.push(p.eventId))
    const at = new Date(f.clock.now()).toISOString()

    ingest.add(a, plays(a, 0, 3, at))
    await f.clock.advance(INGEST_BATCH_DELAY_MS / 2)
    ingest.add(b, plays(b, 0, 2, at))
    expect(ingest.stats()).toMatchObject({ stored: 0, pending: 5 })
    expect(reported).toEqual([])

    // The first event's timer writes every event queued by then, once.
    await f.clock.advance(INGEST_BATCH_DELAY_MS / 2)
    expect(ingest.stats()).toMatchObject({ stored: 5, duplicates: 0, pending: 0 })
    expect(writes).toBe(1)
    expect(receipts).toEqual([
      [a, 3],
      [b, 2],
    ])
    expect(reported).toHaveLength(5)
    await f.clock.advance(10 * INGEST_BATCH_DELAY_MS)
    expect(writes).toBe(1)
  })

  it('counts a replayed outbox as duplicates: receipted again, stored and reported once', async () => {
    const f = serviceFixture()
    const a = f.addNode('二十里铺 3号', '二十里铺镇')
    const receipts: number[] = []
    const ingest = createEventIngest({
      ...f,
      tz: 'Asia/Shanghai',
      onCommitted: (_nodeId, stored) => receipts.push(stored.length),
    })
    onTestFinished(() => ingest.stop())
    const reported: string[] = []
    f.bus.on('playReported', (p) => reported.push(p.eventId))
    const at = new Date(f.clock.now()).toISOString()

    ingest.add(a, plays(a, 0, 4, at))
    await f.clock.advance(INGEST_BATCH_DELAY_MS)
    // No receipt reached the agent: it sends the same four again, plus one new.
    ingest.add(a, plays(a, 0, 5, at))
    await f.clock.advance(INGEST_BATCH_DELAY_MS)
    expect(ingest.stats()).toMatchObject({ stored: 5, duplicates: 4, pending: 0 })
    expect(receipts).toEqual([4, 5])
    expect(reported).toEqual(plays(a, 0, 5, at).map((e) => e.id))
  })

  it('stores an id sent twice in one batch once, and receipts it once', async () => {
    const f = serviceFixture()
    const a = f.addNode('二十里铺 4号', '二十里铺镇')
    const receipts: string[][] = []
    const ingest = createEventIngest({
      ...f,
      tz: 'Asia/Shanghai',
      onCommitted: (_nodeId, stored) => receipts.push(stored),
    })
    onTestFinished(() => ingest.stop())
    const reported: string[] = []
    f.bus.on('playReported', (p) => reported.push(p.eventId))
    const at = new Date(f.clock.now()).toISOString()
    const [e0, e1] = plays(a, 0, 2, at)
    // Two messages of one batch carry the same event (a resend before the first was receipted).
    ingest.add(a, [e0 as AgentEvent, e1 as AgentEvent])
    ingest.add(a, [e1 as AgentEvent])
    await f.clock.advance(INGEST_BATCH_DELAY_MS)
    expect(ingest.stats()).toMatchObject({ stored: 2, duplicates: 1, pending: 0 })
    expect(receipts).toEqual([[e0?.id, e1?.id]])
    expect(reported).toEqual([e0?.id, e1?.id])
    expect(f.repos.events.recentPlays(a, 10)).toHaveLength(2)
  })

  it('a commit whose receipt never left (crash, lost publish): the resend is stored once and receipted', async () => {
    const f = serviceFixture()
    const a = f.addNode('二十里铺 5号', '二十里铺镇')
    const at = new Date(f.clock.now()).toISOString()
    const first = createEventIngest({
      ...f,
      tz: 'Asia/Shanghai',
      onCommitted: () => {
        throw new Error('the process died before the receipt was published')
      },
    })
    first.add(a, plays(a, 0, 3, at))
    await f.clock.advance(INGEST_BATCH_DELAY_MS)
    expect(first.stats()).toMatchObject({ stored: 3 })
    // A new controller on the same database; the agent resends its whole outbox, plus one more.
    const receipts: string[][] = []
    const second = createEventIngest({
      ...f,
      tz: 'Asia/Shanghai',
      onCommitted: (_nodeId, stored) => receipts.push(stored),
    })
    onTestFinished(() => second.stop())
    const reported: string[] = []
    f.bus.on('playReported', (p) => reported.push(p.eventId))
    second.add(a, plays(a, 0, 4, at))
    await f.clock.advance(INGEST_BATCH_DELAY_MS)
    expect(second.stats()).toMatchObject({ stored: 1, duplicates: 3 })
    expect(receipts).toEqual([plays(a, 0, 4, at).map((e) => e.id)])
    expect(reported).toEqual([`ev-${a}-3`])
    expect(f.repos.events.recentPlays(a, 10)).toHaveLength(4)
  })
})
