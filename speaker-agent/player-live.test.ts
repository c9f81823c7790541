import { describe, expect, it } from 'vitest'
import { isoAt } from './clock.js'
import type { LivePrepare } from './player-rules.js'
import { clockSink, item, plan, setupPlayer } from './testing/player-harness.js'

const SEGMENT = 50
const RELAY = 70
const URGENT = 80
const VOICE = 90
const EMERGENCY = 95

/** A live item `live:<id>` sounding `ms` from `inMs`, joined through a clock-paced sink. */
function live(
  t: ReturnType<typeof setupPlayer>,
  id: string,
  inMs: number,
  ms: number,
  priority: number,
) {
  const durations = new Map([[`/live/${id}`, ms]])
  const sink = clockSink(t.clock, durations)
  const joins: number[] = []
  const startAt = t.clock.now() + inMs
  const prepare: LivePrepare = async () => {
    joins.push(t.clock.now())
    const prepared = await sink.prepare(`/live/${id}`, { name: `live_${id}` })
    return { ok: true, prepared, startAt, offsetMs: 0 }
  }
  const it = item(t.clock, `live:${id}`, inMs, {
    durationMs: ms,
    priority,
    latestStartAt: isoAt(startAt + ms),
  })
  return { item: it, prepare, joins }
}

describe('player: live sessions in the priority order', () => {
  it('live voice cuts a segment, which resumes in progress when the session ends', async () => {
    const t = setupPlayer()
    t.player.setPlan(plan([item(t.clock, 'news', 0, { durationMs: 60_000, priority: SEGMENT })]))
    await t.clock.advance(10_000)
    const v = live(t, 'v1', 1000, 5000, VOICE)
    t.player.startLive(v.item, v.prepare)
    await t.clock.advance(1000)
    expect(t.player.playing()).toBe('live:v1')
    // A new plan while on air changes nothing for the live item.
    t.player.setPlan(
      plan([item(t.clock, 'news', -11_000, { durationMs: 60_000, priority: SEGMENT })], 'v2'),
    )
    await t.clock.advance(5000)
    expect(t.player.playing()).toBe('news')
    expect(t.summary()).toEqual([
      'news play.started',
      'news play.interrupted',
      'live:v1 play.started',
      'live:v1 play.finished',
      'news play.started',
    ])
    expect(t.events[1]).toMatchObject({ reason: 'preempted', byItemId: 'live:v1' })
    expect(t.events[2]).toMatchObject({ deviationMs: 0 })
    expect(t.events[4]).toMatchObject({ offsetMs: 16_000 })
  })

  it('an urgent announcement waits for live voice; an emergency cuts it and it rejoins', async () => {
    const t = setupPlayer()
    const v = live(t, 'v2', 0, 30_000, VOICE)
    t.player.startLive(v.item, v.prepare)
    await t.clock.advance(2000)
    const urgent = item(t.clock, 'urgent', 0, {
      durationMs: 3000,
      priority: URGENT,
      kind: 'announcement',
      latestStartAt: isoAt(t.clock.now() + 600_000),
    })
    t.player.setPlan(plan([urgent]))
    await t.clock.advance(1000)
    expect(t.player.playing()).toBe('live:v2') // not cut by the urgent one
    const emergency = item(t.clock, 'emergency', 0, {
      durationMs: 4000,
      priority: EMERGENCY,
      kind: 'announcement',
    })
    t.player.setPlan(plan([urgent, emergency], 'v2'))
    await t.clock.advance(0)
    expect(t.player.playing()).toBe('emergency')
    await t.clock.advance(4000)
    expect(t.player.playing()).toBe('live:v2') // joined again, where the session is
    expect(v.joins).toHaveLength(2)
    // (This test sink plays a join whole; a real stream joins where the session is.)
    await t.clock.advance(34_000)
    expect(t.summary()).toEqual([
      'live:v2 play.started',
      'live:v2 play.interrupted',
      'emergency play.started',
      'emergency play.finished',
      'live:v2 play.started',
      'live:v2 play.finished',
      'urgent play.started',
      'urgent play.finished',
    ])
    expect(t.events[1]).toMatchObject({ reason: 'preempted', byItemId: 'emergency' })
  })

  it('an urgent announcement cuts a live relay', async () => {
    const t = setupPlayer()
    const r = live(t, 'r1', 0, 30_000, RELAY)
    t.player.startLive(r.item, r.prepare)
    await t.clock.advance(2000)
    t.player.setPlan(
      plan([
        item(t.clock, 'urgent', 0, { durationMs: 3000, priority: URGENT, kind: 'announcement' }),
      ]),
    )
    await t.clock.advance(0)
    expect(t.player.playing()).toBe('urgent')
    expect(t.events[1]).toMatchObject({ type: 'play.interrupted', byItemId: 'urgent' })
  })

  it('live.stop drops a waiting live item and cuts a sounding one after the grace', async () => {
    const t = setupPlayer()
    t.player.setPlan(
      plan([
        item(t.clock, 'emergency', 0, {
          durationMs: 10_000,
          priority: EMERGENCY,
          kind: 'announcement',
        }),
      ]),
    )
    await t.clock.advance(0)
    const held = live(t, 'h', 0, 30_000, VOICE)
    t.player.startLive(held.item, held.prepare)
    await t.clock.advance(1000)
    t.player.stopLive('live:h', 2000)
    expect(t.summary()).toEqual(['emergency play.started', 'live:h failed interrupted'])
    await t.clock.advance(9000)
    const on = live(t, 'on', 0, 60_000, VOICE)
    t.player.startLive(on.item, on.prepare)
    await t.clock.advance(3000)
    expect(t.player.playing()).toBe('live:on')
    t.player.stopLive('live:on', 2000)
    await t.clock.advance(1999)
    expect(t.player.playing()).toBe('live:on') // what the node holds plays out
    await t.clock.advance(1)
    expect(t.player.playing()).toBeNull()
    expect(t.events.at(-1)).toMatchObject({ type: 'play.interrupted', reason: 'stopped' })
  })
})
