import { describe, expect, it, onTestFinished } from 'vitest'
import type { PlayOptions, Prepared, Sink } from '../audio/index.js'
import type { AgentEvent } from '../protocol/index.js'
import { createManualClock } from '../testing/manual-clock.js'
import { createFleetClock } from './fleet-clock.js'
import { createPlayer } from './player.js'
import { PREROLL_MS } from './preroll.js'
import { createManualHostClock } from './testing/manual-host-clock.js'
import { clockSink, item, plan } from './testing/player-harness.js'
import { silentLogger } from './testing/tmp-dir.js'

const T0 = Date.parse('2026-11-27T08:00:00.000Z')

function playerOn(clock: Parameters<typeof createPlayer>[0]['clock'], sink: Sink) {
  const events: AgentEvent[] = []
  const player = createPlayer({
    clock,
    sink,
    cache: { ensure: async (i) => `/cache/${i.itemId}` },
    report: (e) => events.push(e),
    log: silentLogger(),
    lateToleranceMs: 5000,
    getVolume: () => 80,
  })
  onTestFinished(() => player.stop())
  const summary = () =>
    events.map((e) =>
      e.type === 'play.failed'
        ? `${e.itemId} ${e.reason}`
        : `${'itemId' in e ? e.itemId : ''} ${e.type}`,
    )
  return { player, events, summary }
}

describe('player: pre-roll', () => {
  it('prepares each item ahead of its instant and reports when its first sample came out', async () => {
    const clock = createManualClock(T0)
    const calls: { file: string; opts: PlayOptions }[] = []
    const inner = clockSink(clock, new Map([['/cache/news', 10_000]]), calls)
    const starts: number[] = []
    // An output whose first sample comes out 7 ms after the instant it was given.
    const sink: Sink = {
      ...inner,
      async prepare(file, opts) {
        const p = await inner.prepare(file, opts)
        return {
          ...p,
          start(at) {
            starts.push(at)
            const s = p.start(at)
            return { firstSampleAt: s.firstSampleAt.then((t) => t + 7), done: s.done }
          },
        } satisfies Prepared
      },
    }
    const t = playerOn(clock, sink)
    t.player.setPlan(plan([item(clock, 'news', 10_000)]))
    await clock.advance(10_000 - PREROLL_MS - 1)
    expect(calls).toEqual([])
    await clock.advance(1)
    expect(calls).toMatchObject([{ file: '/cache/news', opts: { name: 'news', volume: 80 } }])
    await clock.advance(PREROLL_MS - 1)
    expect(starts).toEqual([T0 + 10_000]) // started ahead, released at the instant
    expect(t.events).toEqual([])
    await clock.advance(1)
    expect(t.events[0]).toMatchObject({ type: 'play.started', itemId: 'news', deviationMs: 7 })
    await clock.advance(10_000)
    expect(t.summary()).toEqual(['news play.started', 'news play.finished'])
  })

  it('reports an item whose preparation outlasts the tolerance late, without blaming itself', async () => {
    const clock = createManualClock(T0)
    const inner = clockSink(clock, new Map())
    const sink: Sink = {
      ...inner,
      // A decoder that takes 8 s to be ready (a machine under heavy load).
      prepare: (file, opts) =>
        new Promise((resolve) =>
          clock.setTimer(clock.now() + 8000, () => resolve(inner.prepare(file, opts))),
        ),
    }
    const t = playerOn(clock, sink)
    t.player.setPlan(plan([item(clock, 'news', 3000)]))
    await clock.advance(12_000)
    expect(t.events).toHaveLength(1)
    expect(t.events[0]).toMatchObject({ type: 'play.failed', itemId: 'news', reason: 'late' })
    const error = (t.events[0] as { error: string }).error
    expect(error).toMatch(/not ready in time/)
    expect(error).not.toMatch(/news .*was playing/)
  })
})

describe('player on the fleet clock: steps of the node system clock', () => {
  function setup() {
    const host = createManualHostClock(T0)
    const clock = createFleetClock({ host, log: silentLogger() })
    clock.start()
    onTestFinished(() => clock.stop())
    const t = playerOn(clock, clockSink(clock, new Map()))
    return { host, clock, ...t }
  }

  it('forward step: a passed instant is reported late at once, later ones play at their instant', async () => {
    const t = setup()
    t.player.setPlan(plan([item(t.clock, 'a', 30_000), item(t.clock, 'b', 120_000)]))
    await t.host.advance(10_000)
    t.host.stepWall(60_000) // NTP corrects the node's clock by +60 s
    await t.host.advance(1000)
    // Not skipped silently, and not only 60 s later: 'a' is reported now, 40 s after its instant.
    expect(t.summary()).toEqual(['a late'])
    // 'b' starts at its instant on the corrected clock: 49 s on (the old timer: 109 s).
    await t.host.advance(48_999)
    expect(t.summary()).toEqual(['a late'])
    await t.host.advance(1)
    expect(t.summary()).toEqual(['a late', 'b play.started'])
    expect(t.events[1]).toMatchObject({ deviationMs: 0 })
  })

  it('backward step: nothing plays twice and nothing plays early', async () => {
    const t = setup()
    t.player.setPlan(plan([item(t.clock, 'a', 5000), item(t.clock, 'b', 30_000)]))
    await t.host.advance(7000) // 'a' plays (it lasts 1 s)
    expect(t.summary()).toEqual(['a play.started', 'a play.finished'])
    t.host.stepWall(-60_000)
    await t.host.advance(1000)
    await t.host.advance(25_000) // 'b''s old instant on the monotonic clock
    expect(t.clock.now()).toBe(T0 - 27_000)
    expect(t.summary()).toEqual(['a play.started', 'a play.finished'])
    await t.host.advance(57_000 - 1)
    expect(t.summary()).toEqual(['a play.started', 'a play.finished'])
    await t.host.advance(1)
    expect(t.summary()).toEqual(['a play.started', 'a play.finished', 'b play.started'])
  })
})
