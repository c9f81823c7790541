/** Cancels a timer armed on a {@link Clock}; calling it again, or after the timer fired, is a no-op. */
export type CancelTimer = () => void

/**
 * Time source and timers of the controller, injected so tests can move time by hand
 * (`testing/manual-clock.ts`). Services arm every timer here, never with the global
 * `setTimeout`/`setInterval` (test/architecture.test.ts checks).
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
  /** Calls `fn` once, `ms` from now. */
  after(ms: number, fn: () => void): CancelTimer
  /** Calls `fn` every `ms` until cancelled. A periodic timer never keeps the process alive. */
  every(ms: number, fn: () => void): CancelTimer
}

/**
 * The system clock: `Date.now()` and Node's timers. `every` timers are unref'd (a periodic sweep
 * must not hold a stopping process open); `after` timers are not (the work they finish is due).
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    const handle = setTimeout(fn, ms)
    return () => clearTimeout(handle)
  },
  every(ms, fn) {
    const handle = setInterval(fn, ms)
    handle.unref()
    return () => clearInterval(handle)
  },
}

/** The system clock's timers with another time source (a test's fixed or shifted `now`). */
export function clockWithNow(now: () => number): Clock {
  return { ...systemClock, now }
}

/**
 * A formatter of instants as ISO 8601 with the offset of `tz` (for example
 * `2026-11-27T08:00:00+08:00`), which is how instants travel in plans (PRODUCT.md: "All times are
 * instants with an offset"). Build it once per service: an `Intl.DateTimeFormat` costs ~50 µs.
 */
export function createInstantFormatter(tz: string): (ms: number) => string {
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  })
  return (ms) => {
    const parts = fmt.formatToParts(ms)
    const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00'
    const local = Date.UTC(
      Number(get('year')),
      Number(get('month')) - 1,
      Number(get('day')),
      Number(get('hour')),
      Number(get('minute')),
      Number(get('second')),
    )
    const offsetMin = Math.round((local - (ms - (ms % 1000))) / 60_000)
    const sign = offsetMin >= 0 ? '+' : '-'
    const abs = Math.abs(offsetMin)
    const off = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
    const millis = String(((ms % 1000) + 1000) % 1000).padStart(3, '0')
    return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}.${millis}${off}`
  }
}

/** One instant formatted as `createInstantFormatter(tz)` does (for one-off uses). */
export function formatInstant(ms: number, tz: string): string {
  return createInstantFormatter(tz)(ms)
}
