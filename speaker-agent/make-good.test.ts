import { describe, expect, it } from 'vitest'
import type { PlanItem } from '../protocol/index.js'
import {
  chooseMakeGoods,
  findMisses,
  MAKE_GOOD_MARGIN_MS,
  makeGoodItem,
  makeGoodOrigin,
  missReasonOf,
  nextSlotEnd,
} from './make-good.js'

const T0 = Date.parse('2026-12-07T00:00:00Z')
const MIN = 60_000
const iso = (ms: number) => new Date(ms).toISOString()

/** A 5-minute segment at T0 + `atMin` minutes, made good within 2 h unless said otherwise. */
function seg(id: string, atMin: number, extra: Partial<PlanItem> = {}): PlanItem {
  return {
    itemId: `2026-12-07/${id}`,
    startAt: iso(T0 + atMin * MIN),
    audioId: id,
    sha256: 'a'.repeat(64),
    sizeBytes: 1,
    durationMs: 5 * MIN,
    url: `/a/${id}`,
    title: id,
    priority: 50,
    makeGoodUntil: iso(T0 + (atMin + 120) * MIN),
    ...extra,
  }
}

const none = () => false
const missInput = (items: PlanItem[], nowMin: number, startedMin = -60) => ({
  now: T0 + nowMin * MIN,
  items,
  agentStartedAt: T0 + startedMin * MIN,
  lateToleranceMs: 5000,
  played: none,
  reported: none,
  seen: () => undefined,
  playing: null,
})

describe('findMisses', () => {
  it('finds a segment due while the agent was down once its slot is over', () => {
    const items = [seg('news', 0), seg('later', 60)]
    expect(findMisses(missInput(items, 3, 2))).toEqual([]) // slot not over yet
    const misses = findMisses(missInput(items, 10, 2))
    expect(misses.map((m) => [m.item.itemId, m.reason])).toEqual([['2026-12-07/news', 'down']])
  })

  it('uses what this run saw when the agent was running at the instant, else late', () => {
    const items = [seg('a', 0), seg('b', 10), seg('c', 20)]
    const seen = new Map([['2026-12-07/a', 'offline' as const]])
    const misses = findMisses({
      ...missInput(items, 30),
      seen: (id) => seen.get(id),
      played: (id) => id === '2026-12-07/b',
    })
    expect(misses.map((m) => [m.item.itemId, m.reason])).toEqual([
      ['2026-12-07/a', 'offline'],
      ['2026-12-07/c', 'late'],
    ])
  })

  it('leaves out announcements, reported misses, the playing item and old instants', () => {
    const items = [
      seg('ann', 0, { kind: 'announcement' }),
      seg('told', 0),
      seg('now', 0),
      seg('old', -25 * 60),
    ]
    const misses = findMisses({
      ...missInput(items, 30),
      reported: (id) => id === '2026-12-07/told',
      playing: '2026-12-07/now',
    })
    expect(misses).toEqual([])
  })
})

describe('chooseMakeGoods', () => {
  const now = T0 + 10 * MIN
  const base = { now, fixed: new Map<string, number>(), busyUntil: now }

  it('puts a missed segment in the first gap that holds it whole, with margins', () => {
    const missed = seg('news', 0)
    const items = [missed, seg('a', 12), seg('b', 22)] // free: 17–22 too short (margins), 27–
    const chosen = chooseMakeGoods({ ...base, items, owed: [missed] })
    expect(chosen.get(missed.itemId)).toBe(T0 + 27 * MIN + MAKE_GOOD_MARGIN_MS)
  })

  it('uses a gap right away when one fits before the next item', () => {
    const missed = seg('news', 0)
    const chosen = chooseMakeGoods({ ...base, items: [missed, seg('a', 20)], owed: [missed] })
    expect(chosen.get(missed.itemId)).toBe(now + MAKE_GOOD_MARGIN_MS)
  })

  it('never displaces an item: no gap before makeGoodUntil means no make-good', () => {
    const missed = seg('news', 0, { makeGoodUntil: iso(T0 + 30 * MIN) })
    const items = [missed, seg('a', 12), seg('b', 18), seg('c', 24)]
    expect(chooseMakeGoods({ ...base, items, owed: [missed] }).size).toBe(0)
  })

  it('waits for the playback going on, and keeps two make-goods apart', () => {
    const m1 = seg('m1', 0)
    const m2 = seg('m2', 1)
    const chosen = chooseMakeGoods({
      ...base,
      items: [m1, m2],
      owed: [m2, m1],
      busyUntil: now + MIN,
    })
    const first = now + MIN + MAKE_GOOD_MARGIN_MS
    expect(chosen.get(m1.itemId)).toBe(first)
    expect(chosen.get(m2.itemId)).toBe(first + 5 * MIN + MAKE_GOOD_MARGIN_MS)
  })

  it('keeps fixed make-goods and plans around them', () => {
    const m1 = seg('m1', 0)
    const m2 = seg('m2', 1)
    const fixed = new Map([[m1.itemId, now - MIN]])
    const chosen = chooseMakeGoods({ ...base, items: [m1, m2], owed: [m1, m2], fixed })
    expect([...chosen]).toEqual([[m2.itemId, now + 4 * MIN + MAKE_GOOD_MARGIN_MS]])
  })

  it('ignores segments without makeGoodUntil (time-bound columns, quiet hours)', () => {
    const { makeGoodUntil: _u, ...weather } = seg('weather', 0)
    expect(chooseMakeGoods({ ...base, items: [weather], owed: [weather] }).size).toBe(0)
  })
})

describe('make-good items and events', () => {
  it('gives the player a lowest-priority item of its own id, mapped back to the segment', () => {
    const item = makeGoodItem(seg('news', 0), T0 + 30 * MIN)
    expect(item).toMatchObject({ itemId: '2026-12-07/news#make-good1', priority: 0 })
    expect(item.startAt).toBe(iso(T0 + 30 * MIN))
    expect(item.makeGoodUntil).toBeUndefined()
    expect(makeGoodOrigin(item.itemId)).toBe('2026-12-07/news')
    expect(makeGoodOrigin('2026-12-07/news#make-good12')).toBe('2026-12-07/news')
    expect(makeGoodOrigin('2026-12-07/news')).toBeNull()
    expect(makeGoodOrigin('2026-12-07/news#make-goodx')).toBeNull()
  })

  it.each([
    [{ type: 'play.failed', reason: 'download' }, true, 'no-audio'],
    [{ type: 'play.failed', reason: 'download' }, false, 'offline'],
    [{ type: 'play.failed', reason: 'interrupted' }, true, 'interrupted'],
    [{ type: 'play.interrupted', reason: 'preempted' }, true, 'interrupted'],
    [{ type: 'play.failed', reason: 'late' }, true, 'late'],
    [{ type: 'play.started' }, true, undefined],
  ])('maps %j (connected %s) to %s', (event, connected, reason) => {
    expect(missReasonOf(event, connected)).toBe(reason)
  })

  it('re-checks just after the next unsettled slot is over', () => {
    const items = [seg('a', 0), seg('b', 10)]
    expect(nextSlotEnd(items, T0, 5000, none)).toBe(T0 + 5 * MIN + 5001)
    expect(nextSlotEnd(items, T0, 5000, (id) => id.endsWith('/a'))).toBe(T0 + 15 * MIN + 5001)
  })
})
