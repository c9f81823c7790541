import { afterEach, describe, expect, it, vi } from 'vitest'
import { createManualClock } from '../testing/manual-clock.js'
import { createSystemClock, MAX_TIMEOUT_MS } from './clock.js'

describe('system clock', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('re-arms a timer whose instant is beyond the longest setTimeout delay', () => {
    vi.useFakeTimers({ now: 0 })
    const clock = createSystemClock()
    const fired: number[] = []
    clock.setTimer(2 * MAX_TIMEOUT_MS + 1000, () => fired.push(Date.now()))
    vi.advanceTimersByTime(MAX_TIMEOUT_MS)
    vi.advanceTimersByTime(MAX_TIMEOUT_MS)
    expect(fired).toEqual([])
    vi.advanceTimersByTime(1000)
    expect(fired).toEqual([2 * MAX_TIMEOUT_MS + 1000])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('never fires a cancelled timer, even after a re-arm', () => {
    vi.useFakeTimers({ now: 0 })
    const clock = createSystemClock()
    const fn = vi.fn()
    const cancel = clock.setTimer(MAX_TIMEOUT_MS + 5, fn)
    vi.advanceTimersByTime(MAX_TIMEOUT_MS)
    cancel()
    vi.advanceTimersByTime(10)
    expect(fn).not.toHaveBeenCalled()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('fires a timer for a past instant at once', () => {
    const clock = createSystemClock()
    const fn = vi.fn()
    clock.setTimer(clock.now() - 10, fn)
    expect(fn).toHaveBeenCalledOnce()
  })
})

describe('manual clock', () => {
  it('fires timers in instant order and moves time to each instant', async () => {
    const clock = createManualClock(1000)
    const seen: Array<[string, number]> = []
    clock.setTimer(1300, () => seen.push(['b', clock.now()]))
    clock.setTimer(1100, () => seen.push(['a', clock.now()]))
    const cancel = clock.setTimer(1200, () => seen.push(['x', clock.now()]))
    cancel()
    await clock.advance(500)
    expect(seen).toEqual([
      ['a', 1100],
      ['b', 1300],
    ])
    expect(clock.now()).toBe(1500)
  })
})
