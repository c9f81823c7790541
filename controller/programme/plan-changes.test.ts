import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { createEventBus, type ProgrammeChange } from '../platform/events.js'
import { createPlanChanges, type PlanTimers } from './plan-changes.js'
import type { PlanScope } from './plan-scope.js'

/** Timers that fire only when the test moves time. */
function manualTimers() {
  let now = 0
  let seq = 0
  const timers = new Map<number, { at: number; fn: () => void }>()
  const settle = () => new Promise<void>((r) => setImmediate(r))
  const api: PlanTimers & { advance(ms: number): Promise<void>; now(): number } = {
    setTimeout(fn, ms) {
      const id = seq++
      timers.set(id, { at: now + ms, fn })
      return id
    },
    clearTimeout(h) {
      timers.delete(h as number)
    },
    now: () => now,
    async advance(ms) {
      const target = now + ms
      await settle()
      for (;;) {
        const due = [...timers.entries()]
          .filter(([, t]) => t.at <= target)
          .sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0]
        if (!due) break
        timers.delete(due[0])
        now = due[1].at
        due[1].fn()
        await settle()
      }
      now = target
      await settle()
    },
  }
  return api
}

function setup(replan: (reason: string, scope: PlanScope) => Promise<unknown>) {
  const timers = manualTimers()
  const bus = createEventBus()
  const changes = createPlanChanges({
    bus,
    log: pino({ level: 'silent' }),
    replan,
    debounceMs: 300,
    maxWaitMs: 2500,
    retryMs: 30_000,
    timers,
    now: timers.now,
  })
  changes.start()
  const day = (date: string, extra: Partial<ProgrammeChange> = {}): void => {
    bus.emit('programmeChanged', {
      what: 'day',
      dates: [date],
      zones: 'all',
      reason: `day ${date}`,
      ...extra,
    })
  }
  return { timers, bus, changes, day }
}

describe('plan publication (programmeChanged listener)', () => {
  it('coalesces an autosave storm into one re-plan of the union of what changed', async () => {
    const calls: PlanScope[] = []
    const { timers, day } = setup(async (_r, scope) => {
      calls.push(scope)
    })
    // Ten saves in 2 s (an editor autosaving): one re-plan, after the last.
    for (let i = 0; i < 10; i++) {
      day(`2026-12-0${i % 3 === 0 ? 7 : 8}`)
      await timers.advance(200)
    }
    await timers.advance(5000)
    expect(calls).toHaveLength(1)
    expect(calls[0]?.dates).toEqual(['2026-12-07', '2026-12-08'])
  })

  it('re-plans at most maxWaitMs after the first change of a burst that goes on', async () => {
    const at: number[] = []
    const { timers, day } = setup(async () => {
      at.push(timers.now())
    })
    for (let i = 0; i < 20; i++) {
      day('2026-12-07')
      await timers.advance(200)
    }
    expect(at[0]).toBe(2500)
  })

  it('re-plans once the burst goes quiet, and not before', async () => {
    const calls: PlanScope[] = []
    const { timers, day } = setup(async (_r, scope) => {
      calls.push(scope)
    })
    day('2026-12-07')
    await timers.advance(299)
    expect(calls).toHaveLength(0)
    await timers.advance(1)
    expect(calls).toEqual([{ dates: ['2026-12-07'], zones: 'all' }])
  })

  it('sends an urgent change at once, and ignores a change that no plan uses', async () => {
    const calls: PlanScope[] = []
    const { timers, bus, day } = setup(async (_r, scope) => {
      calls.push(scope)
    })
    bus.emit('programmeChanged', { what: 'column', dates: [], zones: 'all', reason: 'new column' })
    await timers.advance(5000)
    expect(calls).toHaveLength(0)
    day('2026-12-07', { what: 'announcement', zones: ['z-west'], urgent: true })
    await timers.advance(0)
    expect(calls).toEqual([{ dates: ['2026-12-07'], zones: ['z-west'] }])
  })

  it('runs one re-plan at a time and re-plans changes made during one after it', async () => {
    const calls: PlanScope[] = []
    let release: () => void = () => {}
    const { timers, day, changes } = setup(async (_r, scope) => {
      calls.push(scope)
      if (calls.length === 1) await new Promise<void>((r) => (release = r))
    })
    day('2026-12-07')
    await timers.advance(300)
    day('2026-12-08')
    day('2026-12-09')
    await timers.advance(5000)
    expect(calls).toHaveLength(1)
    release()
    await timers.advance(0)
    expect(calls).toHaveLength(2)
    expect(calls[1]).toEqual({ dates: ['2026-12-08', '2026-12-09'], zones: 'all' })
    await changes.idle()
  })

  it('reports a failure (alert on, then off) and retries until a re-plan succeeds', async () => {
    let fail = true
    const calls: PlanScope[] = []
    const { timers, bus, day, changes } = setup(async (_r, scope) => {
      calls.push(scope)
      if (fail) throw new Error('audio row missing')
    })
    const seen: boolean[] = []
    bus.on('planPublicationChanged', (e) => seen.push(e.failed))
    day('2026-12-07')
    await timers.advance(300)
    expect(seen).toEqual([true])
    expect(changes.failure()?.message).toBe('audio row missing')
    await timers.advance(30_000)
    expect(calls).toHaveLength(2)
    expect(calls[1]).toEqual({ dates: ['2026-12-07'], zones: 'all' })
    fail = false
    await timers.advance(30_000)
    expect(seen).toEqual([true, false])
    expect(changes.failure()).toBeNull()
    expect(changes.stats()).toMatchObject({ replans: 3, failures: 2, pending: false })
  })

  it('stops listening at stop; what was pending is left for the next start', async () => {
    const calls: PlanScope[] = []
    const { timers, day, changes } = setup(async (_r, scope) => {
      calls.push(scope)
    })
    day('2026-12-07')
    await changes.stop()
    day('2026-12-08')
    await timers.advance(5000)
    expect(calls).toHaveLength(0)
  })
})
