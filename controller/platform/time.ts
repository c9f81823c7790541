/** Time source of the controller; tests may pass their own. */
export interface Clock {
  now(): number
}

/** The system clock. */
export const systemClock: Clock = { now: () => Date.now() }

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
