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
  /** An override's zone ('' the district's), when the answer took zones into account. */
  zoneId?: string
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
 * Official arrangements the office imported (the State Council's notice pasted in, or an .ics):
 * for a year listed in `years` they replace the package's data entirely.
 */
export interface ImportedCalendar {
  years: ReadonlySet<number>
  days: ReadonlyMap<string, { type: DayType; name: string; nameZh: string }>
}

/** True when the official arrangement of `year` is known, from the package or an import. */
export function isKnownYear(year: number, imported?: ImportedCalendar): boolean {
  return OFFICIAL_YEARS.has(year) || imported?.years.has(year) === true
}

/**
 * The year whose official arrangement the office should import now, or null: from 1 November
 * the coming year's notice is usually out, and until it is imported every holiday of that year
 * would play as an ordinary day.
 */
export function missingNoticeYear(today: string, imported?: ImportedCalendar): number | null {
  weekday(today) // validates
  const year = Number(today.slice(0, 4))
  if (!isKnownYear(year, imported)) return year
  if (today.slice(5) >= '11-01' && !isKnownYear(year + 1, imported)) return year + 1
  return null
}

/** The official answer for a date: imported data for an imported year, else the package's. */
function officialOf(
  date: string,
  imported: ImportedCalendar | undefined,
): { type: DayType; name: string; nameZh: string } | null | undefined {
  const own = imported?.days.get(date)
  if (own !== undefined) return own
  if (imported?.years.has(Number(date.slice(0, 4)))) return null // imported year, ordinary day
  const entry = WORKDAYS[date] ?? HOLIDAYS[date]
  if (entry === undefined) return OFFICIAL_YEARS.has(Number(date.slice(0, 4))) ? null : undefined
  const [name = '', nameZh = ''] = entry.split(',')
  return { type: WORKDAYS[date] !== undefined ? 'working' : 'rest', name, nameZh }
}

/**
 * Day type of a 'YYYY-MM-DD' date. An office override always wins; otherwise the official
 * calendar (public holidays rest, make-up working days 调休 work, other days by weekday), taken
 * from the office's import for an imported year and from the package otherwise; for a year not
 * yet published, Monday–Friday work. Holiday names are given whenever the date has one.
 */
export function dayType(
  date: string,
  overrides?: ReadonlyMap<string, DayType>,
  imported?: ImportedCalendar,
): DayTypeInfo {
  const dow = weekday(date) // also validates the date
  const official = officialOf(date, imported)
  const names: Pick<DayTypeInfo, 'holidayName' | 'holidayNameZh'> = {}
  if (official) {
    names.holidayName = official.name
    names.holidayNameZh = official.nameZh
  }
  const override = overrides?.get(date)
  if (override !== undefined) return { type: override, source: 'override', ...names }
  if (official) return { type: official.type, source: 'official', ...names }
  const type: DayType = dow >= 1 && dow <= 5 ? 'working' : 'rest'
  return { type, source: official === null ? 'official' : 'weekday' }
}
