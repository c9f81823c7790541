import type { Logger } from 'pino'
import {
  addDays,
  type DayType,
  type DayTypeSource,
  dayType,
  isValidDate,
  itemsForDate,
} from '../../schedules/index.js'
import { ChorusError } from '../errors.js'
import type { Clock, EventBus } from '../platform/index.js'
import { loadPlanInputs, type PlanInputRepos } from './programme-inputs.js'
import type { Templates } from './templates.js'

/** Most dates one range override may change (two months). */
const MAX_RANGE = 62

/** One date of the month view. */
export interface CalendarDay {
  date: string
  type: DayType
  /** 'override' (the office), 'official' (China's calendar) or 'weekday' (Mon–Fri fallback). */
  source: DayTypeSource
  holidayName?: string
  holidayNameZh?: string
  /** The office's note on its override. */
  note: string | null
  /** An official make-up working day (调休上班) on what would be a weekend. */
  makeUp: boolean
  hasOwnOrder: boolean
  mode: 'replace' | 'add' | null
  drill: boolean
  /** Segments with audio the date plays (empty slots not counted). */
  segmentCount: number
  /** Every slot of the date's running order, empty ones included. */
  slotCount: number
  /** Segments expected on a day of this type. */
  targetCount: number
  /** Announcements filed under the date, not cancelled. */
  announcementCount: number
}

/**
 * The calendar the office sees: each date's day type (override → official → Mon–Fri), whether it
 * has its own order, and its segment count; overriding a day type refreshes plans.
 */
export function createCalendar(deps: {
  repos: PlanInputRepos
  bus: EventBus
  clock: Clock
  log: Logger
  templates: Templates
}) {
  const { repos } = deps
  const log = deps.log.child({ module: 'calendar' })

  function days(from: string, to: string): CalendarDay[] {
    const inputs = loadPlanInputs(repos, from, to)
    const notes = new Map(repos.calendar.between(from, to).map((o) => [o.date, o.note]))
    const announcements = new Map<string, number>()
    for (const a of repos.announcements.between(from, to)) {
      if (a.cancelledAt === null) announcements.set(a.date, (announcements.get(a.date) ?? 0) + 1)
    }
    const out: CalendarDay[] = []
    for (let date = from; date <= to; date = addDays(date, 1)) {
      const info = dayType(date, inputs.dayTypes, inputs.officialDays)
      const order = inputs.dayOrders.get(date)
      const items = itemsForDate(inputs, date)
      out.push({
        date,
        ...info,
        note: notes.get(date) ?? null,
        makeUp: info.source === 'official' && info.type === 'working' && !!info.holidayNameZh,
        hasOwnOrder: order !== undefined,
        mode: order?.mode ?? null,
        drill: order?.drill === true,
        segmentCount: items.filter((i) => i.audioId !== null && inputs.audio.has(i.audioId)).length,
        slotCount: items.length,
        targetCount: deps.templates.targetCount(info.type),
        announcementCount: announcements.get(date) ?? 0,
      })
    }
    return out
  }

  /** Every date of `month` ('YYYY-MM'). */
  function month(month: string): { month: string; days: CalendarDay[] } {
    const first = `${month}-01`
    if (!/^\d{4}-\d{2}$/.test(month) || !isValidDate(first)) {
      throw new ChorusError('BAD_REQUEST', `not a month: ${month} (use YYYY-MM)`)
    }
    let last = first
    while (addDays(last, 1).startsWith(month)) last = addDays(last, 1)
    return { month, days: days(first, last) }
  }

  function day(date: string): CalendarDay {
    if (!isValidDate(date)) throw new ChorusError('BAD_REQUEST', `not a date: ${date}`)
    return days(date, date)[0] as CalendarDay
  }

  /** Makes a date a working or rest day whatever the official calendar says. */
  async function setType(date: string, type: DayType, note?: string | null): Promise<CalendarDay> {
    day(date)
    repos.calendar.put({
      date,
      type,
      note: note?.trim() || null,
      updatedAt: new Date(deps.clock.now()).toISOString(),
    })
    log.info({ date, type }, 'day type overridden')
    deps.bus.emit('programmeChanged', {
      what: 'calendar',
      dates: [date],
      zones: 'all',
      reason: `calendar ${date} set to ${type}`,
    })
    return day(date)
  }

  /** Removes a date's override: the official calendar decides again. */
  async function clear(date: string): Promise<CalendarDay> {
    day(date)
    if (repos.calendar.delete(date)) {
      log.info({ date }, 'day type override removed')
      deps.bus.emit('programmeChanged', {
        what: 'calendar',
        dates: [date],
        zones: 'all',
        reason: `calendar ${date} override removed`,
      })
    }
    return day(date)
  }

  /**
   * Sets (or, with `type` null, clears) the override of several dates at once, in one
   * transaction and one plan refresh: the office selects a range on the calendar.
   */
  async function setRange(
    dates: readonly string[],
    type: DayType | null,
    note?: string | null,
  ): Promise<CalendarDay[]> {
    const unique = [...new Set(dates)].sort()
    if (unique.length === 0 || unique.length > MAX_RANGE) {
      throw new ChorusError('BAD_REQUEST', `give 1 to ${MAX_RANGE} dates`)
    }
    for (const d of unique) day(d)
    const updatedAt = new Date(deps.clock.now()).toISOString()
    repos.calendar.putMany(unique, type, note?.trim() || null, updatedAt)
    log.info({ from: unique[0], to: unique.at(-1), count: unique.length, type }, 'day types set')
    deps.bus.emit('programmeChanged', {
      what: 'calendar',
      dates: unique,
      zones: 'all',
      reason: `calendar: ${unique.length} dates ${type ?? 'cleared'}`,
    })
    return unique.map(day)
  }

  return { month, day, setType, clear, setRange }
}

/** The calendar service. */
export type Calendar = ReturnType<typeof createCalendar>
