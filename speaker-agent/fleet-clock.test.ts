import { describe, expect, it } from 'vitest'
import { createFleetClock } from './fleet-clock.js'
import { createManualHostClock } from './testing/manual-host-clock.js'
import { silentLogger } from './testing/tmp-dir.js'

const T0 = Date.parse('2026-11-27T08:00:00.000Z')

function setup() {
  const host = createManualHostClock(T0)
  const steps: number[] = []
  const clock = createFleetClock({
    host,
    log: silentLogger(),
    onStep: (s) => steps.push(s.stepMs),
  })
  clock.start()
  const fired: Array<{ id: string; at: number }> = []
  const at = (id: string, instant: number) =>
    clock.setTimer(instant, () => fired.push({ id, at: clock.now() }))
  return { host, clock, steps, fired, at }
}

describe('fleet clock', () => {
  it('follows the system clock before any estimate and re-arms on a forward step', async () => {
    const t = setup()
    expect(t.clock.now()).toBe(T0)
    expect(t.clock.offsetMs()).toBeNull()
    t.at('soon', T0 + 30_000)
    t.at('later', T0 + 120_000)
    await t.host.advance(10_000)
    t.host.stepWall(60_000) // NTP steps the node's clock 60 s forward
    await t.host.advance(1000) // the watchdog sees it within a second
    expect(t.steps).toEqual([60_000])
    // The instant passed by the step fires at once (its owner decides: start or report late)…
    expect(t.fired).toEqual([{ id: 'soon', at: T0 + 71_000 }])
    // …and the later one fires at its instant on the stepped clock: 49 s on, not 109 s.
    await t.host.advance(48_999)
    expect(t.fired).toHaveLength(1)
    await t.host.advance(1)
    expect(t.fired[1]).toEqual({ id: 'later', at: T0 + 120_000 })
  })

  it('waits for an instant a backward step moved away, and never fires it early', async () => {
    const t = setup()
    t.at('segment', T0 + 30_000)
    await t.host.advance(10_000)
    t.host.stepWall(-60_000)
    await t.host.advance(1000)
    expect(t.steps).toEqual([-60_000])
    await t.host.advance(19_000) // 30 s of monotonic time: the old instant
    expect(t.fired).toEqual([])
    await t.host.advance(60_000)
    expect(t.fired).toEqual([{ id: 'segment', at: T0 + 30_000 }])
  })

  it('schedules by the controller once it has an estimate, whatever the system clock does', async () => {
    const t = setup()
    // The node's system clock is 2 s behind the controller's.
    t.clock.adopt({ offsetMs: T0 + 2000 - t.host.monoNow(), uncertaintyMs: 3 })
    expect(t.clock.now()).toBe(T0 + 2000)
    expect(t.clock.offsetMs()).toBe(2000)
    expect(t.clock.uncertaintyMs()).toBe(3)
    t.at('segment', T0 + 30_000)
    t.host.stepWall(-45_000)
    await t.host.advance(27_999)
    expect(t.steps).toEqual([-45_000])
    expect(t.fired).toEqual([])
    await t.host.advance(1)
    expect(t.fired).toEqual([{ id: 'segment', at: T0 + 30_000 }])
    // The offset reported is against the (stepped) system clock.
    expect(t.clock.offsetMs()).toBe(47_000)
  })

  it('re-arms when a new estimate moves fleet time: a passed instant fires at once', async () => {
    const t = setup()
    t.at('a', T0 + 5000)
    t.at('b', T0 + 10_000)
    t.clock.adopt({ offsetMs: T0 + 7000 - t.host.monoNow(), uncertaintyMs: 1 })
    await t.host.advance(0)
    expect(t.fired.map((f) => f.id)).toEqual(['a'])
    await t.host.advance(2999)
    expect(t.fired.map((f) => f.id)).toEqual(['a'])
    await t.host.advance(1)
    expect(t.fired.map((f) => f.id)).toEqual(['a', 'b'])
  })

  it('reads whole ms like Date.now (events carry integers), and precisely on request', async () => {
    const t = setup()
    t.clock.adopt({ offsetMs: T0 - t.host.monoNow() + 0.25, uncertaintyMs: 0.5 })
    await t.host.advance(0.5)
    expect(t.clock.preciseNow()).toBe(T0 + 0.75)
    expect(t.clock.now()).toBe(T0 + 1)
  })

  it('cancels timers and leaves nothing armed after stop', async () => {
    const t = setup()
    const cancel = t.at('x', T0 + 5000)
    cancel()
    cancel()
    t.clock.stop()
    expect(t.host.pending()).toBe(0)
    await t.host.advance(10_000)
    expect(t.fired).toEqual([])
  })
})
