/**
 * @module plan-dates
 * Which local dates a plan covers. The caller passes the instant (STYLE rule 20: time is a
 * parameter), so this never reads a clock.
 */
import { addDays, createZonedTime } from './zoned-time.js'

/** Default number of days a plan reaches beyond today (see `planDates`). */
export const PLAN_HORIZON_DAYS = 7

/**
 * The dates a plan made at instant `fromMs` covers: today in `tz` and the `horizonDays`
 * following days, so `horizonDays + 1` dates (7 → today plus a full week ahead, so a node keeps
 * a week of programme even just before midnight).
 */
export function planDates(fromMs: number, horizonDays: number, tz: string): string[] {
  if (!Number.isInteger(horizonDays) || horizonDays < 0) {
    throw new RangeError(`horizonDays must be a non-negative integer, got ${horizonDays}`)
  }
  const today = createZonedTime(tz).toLocalDate(fromMs)
  return Array.from({ length: horizonDays + 1 }, (_, i) => addDays(today, i))
}
