/**
 * @module zoned-time
 * Pure civil-time arithmetic: 'YYYY-MM-DD' dates, 'HH:MM:SS' times and epoch-millisecond
 * instants in an IANA time zone, using only `Intl.DateTimeFormat` (no clock, no I/O).
 * Dates are valid in years 0001–9999; instants convert from 0001-01-02 to 9999-12-30 UTC, so
 * that no zone's local date leaves that range.
 */

/** Milliseconds in a civil day without a DST change. */
export const DAY_MS = 86_400_000

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d):([0-5]\d)$/
// Instants whose local date stays inside 0001-01-01 … 9999-12-31 in every zone (±14 h).
const MIN_INSTANT = utcMs(1, 1, 2)
const MAX_INSTANT = utcMs(9999, 12, 30)

/** Wall-clock fields as UTC milliseconds; setUTCFullYear avoids Date.UTC's 0–99 → 19xx rule. */
function utcMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const date = new Date(0)
  date.setUTCFullYear(y, mo - 1, d)
  date.setUTCHours(h, mi, s, 0)
  return date.getTime()
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

function parseDate(s: string): [number, number, number] | null {
  const m = DATE_RE.exec(s)
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return null
  // Day 0 of the next month is the last day of this one.
  const lastDay = new Date(utcMs(y, mo + 1, 0)).getUTCDate()
  return d > lastDay ? null : [y, mo, d]
}

function requireDate(s: string): [number, number, number] {
  const parsed = parseDate(s)
  if (!parsed) throw new RangeError(`invalid date '${s}', expected YYYY-MM-DD`)
  return parsed
}

function requireTime(s: string): [number, number, number] {
  const m = TIME_RE.exec(s)
  if (!m) throw new RangeError(`invalid time '${s}', expected HH:MM:SS`)
  return [Number(m[1]), Number(m[2]), Number(m[3])]
}

function inRange(ms: number): number {
  if (!Number.isFinite(ms) || ms < MIN_INSTANT || ms > MAX_INSTANT) {
    throw new RangeError(`instant ${ms} is outside 0001-01-02 … 9999-12-30 UTC`)
  }
  return ms
}

function formatUtcDate(ms: number): string {
  const d = new Date(ms)
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
}

/** True when `s` is a real calendar date written 'YYYY-MM-DD' (years 0001–9999). */
export function isValidDate(s: string): boolean {
  return parseDate(s) !== null
}

/** True when `s` is a time of day written 'HH:MM:SS' (00:00:00–23:59:59). */
export function isValidTime(s: string): boolean {
  return TIME_RE.test(s)
}

/** True when the runtime's Intl knows `tz` as a time zone (IANA names such as 'Asia/Shanghai'). */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

/** Day of the week of a 'YYYY-MM-DD' date: 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): 0 | 1 | 2 | 3 | 4 | 5 | 6 {
  const [y, mo, d] = requireDate(date)
  return new Date(utcMs(y, mo, d)).getUTCDay() as 0 | 1 | 2 | 3 | 4 | 5 | 6
}

/** The date `n` calendar days after `date` (negative `n` goes back). */
export function addDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`day count must be an integer, got ${n}`)
  const [y, mo, d] = requireDate(date)
  const result = formatUtcDate(utcMs(y, mo, d) + n * DAY_MS)
  requireDate(result) // the result must stay inside years 0001–9999 too
  return result
}

/** Conversions bound to one time zone; build once and reuse (a formatter costs ~50 µs). */
export interface ZonedTime {
  /** The zone's IANA name as given. */
  readonly tz: string
  /** Epoch ms of a local date and time; see `localDateTimeToInstant` for DST gaps and folds. */
  toInstant(date: string, time: string): number
  /** Local 'YYYY-MM-DD' of an instant. */
  toLocalDate(ms: number): string
  /** Local 'HH:MM:SS' of an instant (milliseconds dropped). */
  toLocalTime(ms: number): string
  /** UTC offset in ms at an instant (Asia/Shanghai: 28 800 000). */
  offsetAt(ms: number): number
}

/** Build conversions for one zone (memo: one small entry per date seen); RangeError if unknown. */
export function createZonedTime(tz: string): ZonedTime {
  let fmt: Intl.DateTimeFormat
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
  } catch (cause) {
    throw new RangeError(`unknown time zone '${tz}'`, { cause })
  }

  /** Local wall-clock fields of an instant, as if they were UTC, in whole seconds. */
  const wallMs = (ms: number): number => {
    inRange(ms)
    const f = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 }
    for (const part of fmt.formatToParts(ms)) {
      if (part.type in f) f[part.type as keyof typeof f] = Number(part.value)
    }
    // Older ICU builds printed midnight as 24 with hour12: false; h23 and % 24 keep it at 0.
    return utcMs(f.year, f.month, f.day, f.hour % 24, f.minute, f.second)
  }

  const offsetAt = (ms: number): number => wallMs(ms) - (ms - (((ms % 1000) + 1000) % 1000))

  // Per date: the zone's offset when it is the same a day before, at noon and two days after,
  // else null. Almost every date is steady, so a plan of hundreds of items costs a few formats.
  const steady = new Map<string, number | null>()
  const steadyOffset = (date: string, midnight: number): number | null => {
    let offset = steady.get(date)
    if (offset === undefined) {
      const [a, b, c] = [-DAY_MS, DAY_MS / 2, 2 * DAY_MS].map((dt) =>
        offsetAt(Math.min(Math.max(midnight + dt, MIN_INSTANT), MAX_INSTANT)),
      )
      offset = a === b && b === c ? (a as number) : null
      steady.set(date, offset)
    }
    return offset
  }

  const toInstant = (date: string, time: string): number => {
    const [y, mo, d] = requireDate(date)
    const [h, mi, s] = requireTime(time)
    const local = utcMs(y, mo, d, h, mi, s)
    const offset = steadyOffset(date, utcMs(y, mo, d))
    if (offset !== null) return inRange(local - offset)
    // Offsets a day either side bracket any transition near `local`. A candidate is right when
    // the zone really shows `local` at it; in a fold both are, and the earlier one wins.
    const before = offsetAt(Math.max(local - DAY_MS, MIN_INSTANT))
    const after = offsetAt(Math.min(local + DAY_MS, MAX_INSTANT))
    const fits = [local - before, local - after].filter((t) => wallMs(t) === local)
    if (fits.length > 0) return Math.min(...fits)
    // In a gap (spring forward) the time does not exist: move it forward by the gap, as
    // Temporal's 'compatible' disambiguation does (Berlin 02:30 → 03:30 CEST).
    return local - before
  }

  return {
    tz,
    toInstant,
    toLocalDate: (ms) => formatUtcDate(wallMs(ms)),
    toLocalTime: (ms) => {
      const d = new Date(wallMs(ms))
      return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
    },
    offsetAt,
  }
}

/**
 * Epoch ms at which the wall clock in `tz` shows `date` `time`. A time skipped by a DST gap is
 * moved forward by the gap; a time repeated by a fold resolves to its first (earlier) instant.
 */
export function localDateTimeToInstant(date: string, time: string, tz: string): number {
  return createZonedTime(tz).toInstant(date, time)
}

/** The local 'YYYY-MM-DD' in `tz` at instant `ms`. */
export function instantToLocalDate(ms: number, tz: string): string {
  return createZonedTime(tz).toLocalDate(ms)
}

/** The local 'HH:MM:SS' in `tz` at instant `ms`. */
export function instantToLocalTime(ms: number, tz: string): string {
  return createZonedTime(tz).toLocalTime(ms)
}
