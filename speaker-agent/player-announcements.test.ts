import { describe, expect, it } from 'vitest'
import { isoAt } from './clock.js'
import { MIN_RESUME_MS } from './player-rules.js'
import { item, plan, setupPlayer } from './testing/player-harness.js'

const URGENT = 80
const EMERGENCY = 95
const SEGMENT = 50

describe('player: announcements and the priority order', () => {
  it('cuts a segment for an announcement, says so, and resumes the segment in progress', async () => {
    const t = setupPlayer()
    const news = item(t.clock, 'news', 0, { durationMs: 60_000, priority: SEGMENT })
    t.player.setPlan(plan([news]))
    await t.clock.advance(10_000)
    const ann = item(t.clock, 'ann', 0, {
      durationMs: 5_000,
      priority: URGENT,
      kind: 'announcement',
    })
    t.player.setPlan(plan([news, ann], 'v2'))
    await t.clock.advance(0)
    expect(t.player.playing()).toBe('ann')
    await t.clock.advance(5_000)
    expect(t.player.playing()).toBe('news')
    await t.clock.advance(45_000)
    expect(t.summary()).toEqual([
      'news play.started',
      'news play.interrupted',
      'ann play.started',
      'ann play.finished',
      'news play.started',
      'news play.finished',
    ])
    expect(t.events[1]).toMatchObject({ reason: 'preempted', byItemId: 'ann', playedMs: 10_000 })
    expect(t.events[4]).toMatchObject({ offsetMs: 15_000, deviationMs: 0 })
    expect(t.events[5]).toMatchObject({ offsetMs: 15_000, playedMs: 45_000 })
    expect(t.calls.map((c) => c.opts.offsetMs)).toEqual([undefined, undefined, 15_000])
  })

  it('lets a segment due during an announcement join in progress afterwards', async () => {
    const t = setupPlayer()
    t.player.setPlan(
      plan([
        item(t.clock, 'ann', 0, { durationMs: 20_000, priority: URGENT, kind: 'announcement' }),
        item(t.clock, 'weather', 10_000, { durationMs: 30_000, priority: SEGMENT }),
      ]),
    )
    await t.clock.advance(20_000)
    expect(t.player.playing()).toBe('weather')
    expect(t.events.at(-1)).toMatchObject({ type: 'play.started', offsetMs: 10_000 })
    await t.clock.advance(20_000)
    expect(t.summary()).toEqual([
      'ann play.started',
      'ann play.finished',
      'weather play.started',
      'weather play.finished',
    ])
  })

  it('reports a segment whose whole slot an announcement covered, naming it', async () => {
    const t = setupPlayer()
    t.player.setPlan(
      plan([
        item(t.clock, 'ann', 0, { durationMs: 30_000, priority: URGENT, kind: 'announcement' }),
        item(t.clock, 'short', 5_000, { durationMs: 10_000, priority: SEGMENT }),
      ]),
    )
    await t.clock.advance(30_000)
    expect(t.summary()).toEqual([
      'ann play.started',
      'short failed interrupted',
      'ann play.finished',
    ])
    expect(t.events[1]).toMatchObject({ error: expect.stringMatching(/held up by ann/) })
    expect(15_000 - 5_000 - MIN_RESUME_MS).toBeGreaterThan(0)
  })

  it('plays emergency over urgent over a segment, then the urgent again, then the segment', async () => {
    const t = setupPlayer()
    const seg = item(t.clock, 'seg', 0, { durationMs: 120_000, priority: SEGMENT })
    const urgent = item(t.clock, 'urgent', 5_000, {
      durationMs: 10_000,
      priority: URGENT,
      kind: 'announcement',
      latestStartAt: isoAt(t.clock.now() + 600_000),
    })
    const emergency = item(t.clock, 'emergency', 8_000, {
      durationMs: 5_000,
      priority: EMERGENCY,
      kind: 'announcement',
    })
    t.player.setPlan(plan([seg, urgent, emergency]))
    await t.clock.advance(8_000)
    expect(t.player.playing()).toBe('emergency')
    await t.clock.advance(5_000)
    expect(t.player.playing()).toBe('urgent')
    await t.clock.advance(10_000)
    expect(t.player.playing()).toBe('seg')
    expect(t.summary()).toEqual([
      'seg play.started',
      'seg play.interrupted',
      'urgent play.started',
      'urgent play.interrupted',
      'emergency play.started',
      'emergency play.finished',
      'urgent play.started',
      'urgent play.finished',
      'seg play.started',
    ])
    expect(t.events.at(-1)).toMatchObject({ offsetMs: 23_000 })
  })

  it('lets two announcements of equal priority take turns instead of dropping one', async () => {
    const t = setupPlayer()
    const ann = (id: string, inMs: number) =>
      item(t.clock, id, inMs, {
        durationMs: 20_000,
        priority: URGENT,
        kind: 'announcement',
        latestStartAt: isoAt(t.clock.now() + inMs + 600_000),
      })
    t.player.setPlan(plan([ann('first', 0), ann('second', 1_000)]))
    await t.clock.advance(40_000)
    expect(t.summary()).toEqual([
      'first play.started',
      'first play.finished',
      'second play.started',
      'second play.finished',
    ])
  })

  it('never drops an equal-priority segment silently: it is reported late, naming what played', async () => {
    const t = setupPlayer()
    t.player.setPlan(
      plan([
        item(t.clock, 'a', 0, { durationMs: 30_000, priority: SEGMENT }),
        item(t.clock, 'b', 1_000, { durationMs: 10_000, priority: SEGMENT }),
      ]),
    )
    await t.clock.advance(30_000)
    expect(t.summary()).toEqual(['a play.started', 'b failed late', 'a play.finished'])
    expect(t.events[1]).toMatchObject({ error: expect.stringMatching(/a \(priority 50\)/) })
  })

  it('plays an announcement that arrives after its instant whole, until its latest start', async () => {
    const t = setupPlayer()
    const late = (id: string, agoMs: number, windowMs: number) =>
      item(t.clock, id, -agoMs, {
        durationMs: 5_000,
        priority: URGENT,
        kind: 'announcement',
        latestStartAt: isoAt(t.clock.now() - agoMs + windowMs),
      })
    t.player.setPlan(plan([late('inWindow', 60_000, 600_000), late('tooLate', 60_000, 57_000)]))
    await t.clock.advance(5_000)
    expect(t.summary()).toEqual([
      'tooLate failed late',
      'inWindow play.started',
      'inWindow play.finished',
    ])
    expect(t.calls[0]?.opts.offsetMs).toBeUndefined()
  })

  it('stops an announcement cancelled while it plays, and the programme resumes', async () => {
    const t = setupPlayer()
    const seg = item(t.clock, 'seg', 0, { durationMs: 60_000, priority: SEGMENT })
    const ann = item(t.clock, 'ann', 5_000, {
      durationMs: 30_000,
      priority: URGENT,
      kind: 'announcement',
    })
    t.player.setPlan(plan([seg, ann]))
    await t.clock.advance(10_000)
    t.player.setPlan(plan([seg], 'v2'))
    await t.clock.advance(0)
    expect(t.player.playing()).toBe('seg')
    expect(t.summary().slice(0, 5)).toEqual([
      'seg play.started',
      'seg play.interrupted',
      'ann play.started',
      'ann play.interrupted',
      'seg play.started',
    ])
    expect(t.events[3]).toMatchObject({ reason: 'cancelled' })
  })

  it('marks the events of a drill item as drill', async () => {
    const t = setupPlayer()
    t.player.setPlan(plan([item(t.clock, 'd', 0, { durationMs: 1_000, drill: true })]))
    await t.clock.advance(1_000)
    expect(t.events.map((e) => 'drill' in e && e.drill)).toEqual([true, true])
  })
})

describe('player: announcements across restarts', () => {
  it('does not play again an announcement the played log already holds', async () => {
    const played = new Map<string, number>()
    const first = setupPlayer({ played })
    const ann = item(first.clock, 'ann', 0, {
      durationMs: 2_000,
      priority: URGENT,
      kind: 'announcement',
      latestStartAt: isoAt(first.clock.now() + 600_000),
    })
    first.player.setPlan(plan([ann]))
    await first.clock.advance(2_000)
    expect(played.has('ann')).toBe(true)
    const second = setupPlayer({ played })
    second.player.setPlan(plan([{ ...ann }]))
    await second.clock.advance(1_000)
    expect(second.events).toEqual([])
  })
})
