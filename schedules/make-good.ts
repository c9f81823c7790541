/**
 * @module make-good
 * The office's make-good policy (补播) turned into the one instant a node needs: until when a
 * segment it missed may still be played later. Pure: the caller passes the zone.
 */
import type { QuietHours } from './validate-day.js'
import { addDays, type ZonedTime } from './zoned-time.js'

/** A column's make-good policy; absent or disabled means no make-good. */
export interface MakeGoodPolicy {
  /** Missed segments of the column are replayed later. */
  enabled: boolean
  /** How long after the segment's instant a make-good may still end, in ms. */
  windowMs: number
  /** Time-bound content (weather, warnings): never replayed later, whatever `enabled` says. */
  timeBound: boolean
}

/** Quiet windows [from, to) as instants around `ms`: the day before, of, and after its date. */
function quietWindows(ms: number, quiet: QuietHours, zone: ZonedTime): [number, number][] {
  if (quiet.start === quiet.end) return []
  const date = zone.toLocalDate(ms)
  const spansMidnight = quiet.end < quiet.start
  return [-1, 0, 1].map((k) => {
    const d = addDays(date, k)
    const from = zone.toInstant(d, `${quiet.start}:00`)
    const to = zone.toInstant(spansMidnight ? addDays(d, 1) : d, `${quiet.end}:00`)
    return [from, to]
  })
}

/**
 * The last instant by which a make-good of a segment starting at `startAt` (epoch ms) and lasting
 * `durationMs` must have ended: `startAt + windowMs`, clipped to the start of the next quiet hours.
 * Null when there is no make-good: no or a disabled policy, a time-bound column, a segment inside
 * quiet hours, or a window too short to hold the segment once after its own slot.
 */
export function makeGoodUntil(
  startAt: number,
  durationMs: number,
  policy: MakeGoodPolicy | null | undefined,
  quiet: QuietHours,
  zone: ZonedTime,
): number | null {
  if (!policy?.enabled || policy.timeBound || policy.windowMs <= 0) return null
  let until = startAt + policy.windowMs
  for (const [from, to] of quietWindows(startAt, quiet, zone)) {
    if (startAt >= from && startAt < to) return null
    if (from > startAt) until = Math.min(until, from)
  }
  return until >= startAt + 2 * durationMs ? until : null
}
