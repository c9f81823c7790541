/**
 * @module calendar
 * Working day or rest day for a civil date: office override → China's official calendar
 * (chinese-days) → Monday–Friday.
 *
 * We read chinese-days' published data file rather than calling `isWorkday()`/`getDayDetail()`:
 * those build their table and parse 'YYYY-MM-DD' with the process's local time zone, so on a
 * machine west of UTC (TZ=America/New_York) 2027-01-02 (a Saturday) reads as a working Friday
 * and, when given a local Date, 2025-10-11 (a make-up working Saturday) reads as rest. The JSON
 * (`dist/chinese-days.json`, documented in its README) is keyed by the correct dates.
 *
 * For a year the package does not know, its functions silently fall back to "Saturday and Sunday
 * are rest" with no way to tell; we detect coverage ourselves: a year is official when the data
 * holds at least one public holiday in it (chinese-days 1.5.7: 2004–2026).
 */
import official from 'chinese-days/dist/chinese-days.json' with { type: 'json' }
import { weekday } from './zoned-time.js'

/** Whether speakers run the working-day or the rest-day running order on a date. */
export type DayType = 'working' | 'rest'

/** Where a day type came from: an office override, the official calendar, or Mon–Fri. */
export type DayTypeSource = 'override' | 'official' | 'weekday'

/** The answer of `dayType`. */
export interface DayTypeInfo {
  /** Working or rest day. */
  type: DayType
  /** Who decided it. 'official' also covers plain weekdays/weekends of a published year. */
  source: DayTypeSource
  /** English name of the official holiday the date belongs to (also on make-up working days). */
  holidayName?: string
  /** Chinese name of that holiday, e.g. '国庆节'. */
  holidayNameZh?: string
}

// Entries look like "National Day,国庆节,3": English name, Chinese name, statutory days.
const HOLIDAYS: Readonly<Record<string, string>> = official.holidays
const WORKDAYS: Readonly<Record<string, string>> = official.workdays
const OFFICIAL_YEARS: ReadonlySet<number> = new Set(
  Object.keys(HOLIDAYS).map((date) => Number(date.slice(0, 4))),
)

/** The years whose official holidays and make-up working days are known, ascending. */
export function officialYears(): number[] {
  return [...OFFICIAL_YEARS].sort((a, b) => a - b)
}

/** True when China's published holiday schedule for `year` is known to the calendar. */
export function isOfficialYear(year: number): boolean {
  return OFFICIAL_YEARS.has(year)
}

/**
 * Day type of a 'YYYY-MM-DD' date. An office override always wins; otherwise the official
 * calendar (public holidays rest, make-up working days 调休 work, other days by weekday); for a
 * year not yet published, Monday–Friday work. Holiday names are given whenever the date has one.
 */
export function dayType(date: string, overrides?: ReadonlyMap<string, DayType>): DayTypeInfo {
  const dow = weekday(date) // also validates the date
  const entry = WORKDAYS[date] ?? HOLIDAYS[date]
  const names: Pick<DayTypeInfo, 'holidayName' | 'holidayNameZh'> = {}
  if (entry !== undefined) {
    const [en, zh] = entry.split(',')
    names.holidayName = en
    names.holidayNameZh = zh
  }
  const override = overrides?.get(date)
  if (override !== undefined) return { type: override, source: 'override', ...names }
  if (WORKDAYS[date] !== undefined) return { type: 'working', source: 'official', ...names }
  if (HOLIDAYS[date] !== undefined) return { type: 'rest', source: 'official', ...names }
  const type: DayType = dow >= 1 && dow <= 5 ? 'working' : 'rest'
  const source = OFFICIAL_YEARS.has(Number(date.slice(0, 4))) ? 'official' : 'weekday'
  return { type, source }
}
