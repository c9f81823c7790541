import ICAL from 'ical.js'
import type { Logger } from 'pino'
import {
  addDays,
  dayType,
  type ImportedCalendar,
  instantToLocalDate,
  isOfficialYear,
  missingNoticeYear,
  NoticeParseError,
  noticeDays,
  type OfficialDay,
  officialYears,
  parseHolidayNotice,
} from '../../schedules/index.js'
import { ChorusError } from '../errors.js'
import type { Clock, EventBus } from '../platform/index.js'
import type {
  OfficialCalendarRepository,
  OfficialYear,
} from './repositories/official-calendar-repository.js'

/** What the office pastes or uploads: the notice's text, or an .ics calendar. */
export interface HolidayImport {
  text?: string
  ics?: string
  /** The notice's year when its title is not pasted; the .ics year when it spans several. */
  year?: number
}

/** One date whose official meaning an import changes. */
export interface HolidayChange {
  date: string
  before: { type: 'working' | 'rest'; nameZh: string | null }
  after: { type: 'working' | 'rest'; nameZh: string | null }
}

/** An import read and compared with what the calendar says today, before the office confirms. */
export interface HolidayPreview {
  year: number
  source: 'notice' | 'ics'
  days: OfficialDay[]
  warnings: string[]
  /** Where the year's data comes from today. */
  current: 'package' | 'import' | 'none'
  changes: HolidayChange[]
}

/** The state the calendar pages show: known years, imports, and the banner's year. */
export interface HolidayStatus {
  today: string
  packageYears: number[]
  imported: OfficialYear[]
  /** The year whose notice is due and missing (from 1 November for the coming year), or null. */
  missingYear: number | null
}

const MAX_INPUT = 200_000
const WORK_SUMMARY = /补班|上班|调休上班|[（(]班[)）]|\s班$/

/** Reads all-day events of an .ics calendar: "春节" rest days, "春节 补班" make-up working days. */
function parseIcs(ics: string, year: number | undefined): { year: number; days: OfficialDay[] } {
  let component: ICAL.Component
  try {
    component = new ICAL.Component(ICAL.parse(ics))
  } catch (err) {
    throw new ChorusError('HOLIDAYS_INVALID', `not an iCalendar file: ${(err as Error).message}`)
  }
  const all: OfficialDay[] = []
  for (const vevent of component.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(vevent)
    const summary = (event.summary ?? '').trim()
    if (!summary || !event.startDate) continue
    const type = WORK_SUMMARY.test(summary) ? 'working' : 'rest'
    const nameZh =
      summary
        .replace(WORK_SUMMARY, '')
        .replace(/[（(]?休[)）]?$|放假|假期.*$/g, '')
        .trim() || summary
    const first = event.startDate.toString().slice(0, 10)
    const endExclusive = event.endDate ? event.endDate.toString().slice(0, 10) : addDays(first, 1)
    for (let d = first; d < endExclusive && all.length < 1000; d = addDays(d, 1)) {
      all.push({ date: d, type, nameZh, name: nameZh })
    }
  }
  if (all.length === 0)
    throw new ChorusError('HOLIDAYS_INVALID', 'the calendar has no all-day events')
  const counts = new Map<number, number>()
  for (const d of all)
    counts.set(Number(d.date.slice(0, 4)), (counts.get(Number(d.date.slice(0, 4))) ?? 0) + 1)
  const chosen = year ?? [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0]
  const days = all.filter((d) => Number(d.date.slice(0, 4)) === chosen)
  if (chosen === undefined || days.length === 0) {
    throw new ChorusError('HOLIDAYS_INVALID', `the calendar has no events in ${year}`)
  }
  return { year: chosen, days: days.sort((a, b) => a.date.localeCompare(b.date)) }
}

/**
 * The official holiday arrangements: the package's data (chinese-days) and what the office
 * imported for years it does not know yet. An import is previewed as a diff, then stored; plans
 * of the affected dates are refreshed.
 */
export function createHolidays(deps: {
  repo: OfficialCalendarRepository
  bus: EventBus
  clock: Clock
  log: Logger
  tz: string
}) {
  const log = deps.log.child({ module: 'holidays' })
  let cache: ImportedCalendar | null = null

  /** The imported arrangements as the calendar reads them (cached until the next import). */
  function imported(): ImportedCalendar {
    if (cache === null) {
      const days = new Map<string, { type: 'working' | 'rest'; name: string; nameZh: string }>()
      for (const d of deps.repo.days()) days.set(d.date, d)
      cache = { years: new Set(deps.repo.years().map((y) => y.year)), days }
    }
    return cache
  }

  function read(input: HolidayImport): {
    year: number
    source: 'notice' | 'ics'
    days: OfficialDay[]
    warnings: string[]
  } {
    const text = input.text?.trim()
    const ics = input.ics?.trim()
    if ((text ? 1 : 0) + (ics ? 1 : 0) !== 1) {
      throw new ChorusError('HOLIDAYS_INVALID', 'give either the notice text or an .ics file')
    }
    if ((text ?? ics ?? '').length > MAX_INPUT) {
      throw new ChorusError('HOLIDAYS_INVALID', `the import is over ${MAX_INPUT} characters`)
    }
    if (ics) return { ...parseIcs(ics, input.year), source: 'ics', warnings: [] }
    try {
      const notice = parseHolidayNotice(text as string, input.year)
      return {
        year: notice.year,
        source: 'notice',
        days: noticeDays(notice),
        warnings: notice.warnings,
      }
    } catch (err) {
      if (err instanceof NoticeParseError) throw new ChorusError('HOLIDAYS_INVALID', err.message)
      throw err
    }
  }

  /** The official meaning of every special date of `year` today (without office overrides). */
  function currentOf(year: number): Map<string, HolidayChange['before']> {
    const out = new Map<string, HolidayChange['before']>()
    const cal = imported()
    for (let d = `${year - 1}-12-25`; d <= `${year}-12-31`; d = addDays(d, 1)) {
      const info = dayType(d, undefined, cal)
      if (info.holidayNameZh !== undefined)
        out.set(d, { type: info.type, nameZh: info.holidayNameZh })
    }
    return out
  }

  function ordinary(date: string): HolidayChange['before'] {
    const dow = new Date(`${date}T12:00:00Z`).getUTCDay()
    return { type: dow >= 1 && dow <= 5 ? 'working' : 'rest', nameZh: null }
  }

  function preview(input: HolidayImport): HolidayPreview {
    const parsed = read(input)
    const before = currentOf(parsed.year)
    const after = new Map(parsed.days.map((d) => [d.date, { type: d.type, nameZh: d.nameZh }]))
    const changes: HolidayChange[] = []
    for (const date of [...new Set([...before.keys(), ...after.keys()])].sort()) {
      const b = before.get(date) ?? ordinary(date)
      const a = after.get(date) ?? ordinary(date)
      // Only the type decides what plays; a renamed holiday of the same type is not a change.
      if (b.type !== a.type || (b.nameZh === null) !== (a.nameZh === null)) {
        changes.push({ date, before: b, after: a })
      }
    }
    const current = imported().years.has(parsed.year)
      ? 'import'
      : isOfficialYear(parsed.year)
        ? 'package'
        : 'none'
    return { ...parsed, current, changes }
  }

  async function apply(input: HolidayImport, actor: string): Promise<HolidayPreview> {
    const result = preview(input)
    deps.repo.replace(
      result.year,
      result.source,
      new Date(deps.clock.now()).toISOString(),
      actor,
      result.days,
    )
    cache = null
    log.info({ year: result.year, days: result.days.length, actor }, 'official holidays imported')
    const dates = result.changes.map((c) => c.date)
    deps.bus.emit('programmeChanged', {
      what: 'calendar',
      dates,
      zones: 'all',
      reason: `official holidays of ${result.year} imported`,
    })
    return result
  }

  async function remove(year: number): Promise<void> {
    if (!deps.repo.remove(year)) {
      throw new ChorusError('HOLIDAYS_NOT_FOUND', `no imported arrangement for ${year}`)
    }
    cache = null
    log.info({ year }, 'official holidays import removed')
    deps.bus.emit('programmeChanged', {
      what: 'calendar',
      dates: 'all',
      zones: 'all',
      reason: `official holidays of ${year} removed`,
    })
  }

  function status(): HolidayStatus {
    const today = instantToLocalDate(deps.clock.now(), deps.tz)
    return {
      today,
      packageYears: officialYears(),
      imported: deps.repo.years(),
      missingYear: missingNoticeYear(today, imported()),
    }
  }

  return { imported, preview, apply, remove, status }
}

/** The official holidays service. */
export type Holidays = ReturnType<typeof createHolidays>
