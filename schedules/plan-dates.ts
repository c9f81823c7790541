/**
 * @module plan-dates
 * Which local dates a plan covers. The caller passes the instant (STYLE rule 20: time is a
 * parameter), so this never reads a clock.
 */
import { addDays, createZonedTime, type ZonedTime } from './zoned-time.js'

/** Default number of days a plan reaches beyond today (see `planDates`). */
export const PLAN_HORIZON_DAYS = 7

/**
 * The dates a plan made at instant `fromMs` covers: today in `tz` (a zone name, or its conversions
 * from `createZonedTime`) and the `horizonDays`
 * following days, so `horizonDays + 1` dates (7 → today plus a full week ahead, so a node keeps
 * a week of programme even just before midnight).
 */
export function planDates(fromMs: number, horizonDays: number, tz: string | ZonedTime): string[] {
  if (!Number.isInteger(horizonDays) || horizonDays < 0) {
    throw new RangeError(`horizonDays must be a non-negative integer, got ${horizonDays}`)
  }
  // A zone's conversions built once by the caller save a formatter per call (issue 9).
  const zone = typeof tz === 'string' ? createZonedTime(tz) : tz
  const today = zone.toLocalDate(fromMs)
  return Array.from({ length: horizonDays + 1 }, (_, i) => addDays(today, i))
}
