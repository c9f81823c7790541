import type { Logger } from 'pino'
import {
  addDays,
  type DayType,
  type DayTypeSource,
  dayTypeFor,
  isValidDate,
  itemsForDate,
  orderSourceFor,
} from '../../schedules/index.js'
import { ChorusError } from '../errors.js'
import type { Clock, EventBus } from '../platform/index.js'
import { loadPlanInputs, type PlanInputRepos, zoneLineageOf } from './programme-inputs.js'
import type { Templates } from './templates.js'

/** Most dates one range override may change (two months). */
const MAX_RANGE = 62

/** Whose answer a date's day type is at a zone. */
export interface TypeFrom {
  /** A zone's override (this zone's or an ancestor's), the district's, the official calendar, Mon–Fri. */
  kind: 'zone' | 'district' | 'official' | 'weekday'
  /** The zone whose override decides ('' otherwise). */
  zoneId: string
  zoneName: string | null
}

/** One date of the month view, as nodes of one zone ('' the district) live it. */
export interface CalendarDay {
  date: string
  /** The zone whose calendar this is; '' the district's (issue 11). */
  zone: string
  zoneName: string | null
  type: DayType
  /** 'override' (the office, at any level), 'official' (China's calendar) or 'weekday' (Mon–Fri). */
  source: DayTypeSource
  /** Whose answer `type` is: this zone's or an ancestor's override, the district's, official. */
  typeFrom: TypeFrom
  /** This zone (the district at '') has its own override of the date. */
  ownOverride: boolean
  holidayName?: string
  holidayNameZh?: string
  /** The office's note on the override that decides. */
  note: string | null
  /** An official make-up working day (调休上班) on what would be a weekend. */
  makeUp: boolean
  /** This zone (the district at '') has its own running order of the date. */
  hasOwnOrder: boolean
  /** Zones with their own order of the date (migration 020: it plays in their subtree). */
  zoneOrders: { zoneId: string; zoneName: string }[]
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
 * The calendar the office sees, the district's or a zone's: each date's day type (the nearest
 * zone's override → the district's → official → Mon–Fri) and whose answer it is, whether it has
 * its own order, and its segment count; overriding a day type re-plans the zone's subtree (the
 * district's: every node).
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

  /** A zone id or code → its id; '' or absent: the district. */
  function zoneId(ref: string | undefined): string {
    if (ref === undefined || ref === '') return ''
    const zone = repos.zones.resolve(ref)
    if (!zone) throw new ChorusError('ZONE_NOT_FOUND', `no zone ${ref}`)
    return zone.id
  }
  const zoneName = (id: string) => (id === '' ? null : (repos.zones.get(id)?.name ?? null))

  function days(from: string, to: string, zone: string): CalendarDay[] {
    const inputs = loadPlanInputs(repos, from, to)
    const lineage = zone === '' ? [] : zoneLineageOf(repos, zone)
    const notes = new Map<string, string | null>()
    for (const o of repos.calendar.betweenAllZones(from, to))
      notes.set(`${o.zoneId}|${o.date}`, o.note)
    const announcements = new Map<string, number>()
    for (const a of repos.announcements.between(from, to)) {
      if (a.cancelledAt === null) announcements.set(a.date, (announcements.get(a.date) ?? 0) + 1)
    }
    const zoneOrders = (date: string) =>
      [...(inputs.zoneOrders ?? [])]
        .filter(([, z]) => z.days.has(date))
        .map(([zoneId]) => ({ zoneId, zoneName: zoneName(zoneId) ?? zoneId }))
    const out: CalendarDay[] = []
    for (let date = from; date <= to; date = addDays(date, 1)) {
      const { zoneId: by, ...info } = dayTypeFor(inputs, date, lineage)
      const own =
        zone === '' ? inputs.dayOrders.get(date) : inputs.zoneOrders?.get(zone)?.days.get(date)
      // What the zone's nodes play (a drill order counted, as on test nodes).
      const source = orderSourceFor(inputs, date, lineage, true)
      const order = source.kind === 'template' ? undefined : source.order
      const items = itemsForDate(
        inputs,
        date,
        order ? { order, type: info.type } : { withOrder: false, type: info.type },
      )
      const typeFrom: TypeFrom =
        by === undefined
          ? { kind: info.source === 'weekday' ? 'weekday' : 'official', zoneId: '', zoneName: null }
          : { kind: by === '' ? 'district' : 'zone', zoneId: by, zoneName: zoneName(by) }
      out.push({
        date,
        zone,
        zoneName: zoneName(zone),
        ...info,
        typeFrom,
        ownOverride: by === zone,
        note: by === undefined ? null : (notes.get(`${by}|${date}`) ?? null),
        makeUp: info.source === 'official' && info.type === 'working' && !!info.holidayNameZh,
        hasOwnOrder: own !== undefined,
        zoneOrders: zoneOrders(date),
        mode: own?.mode ?? null,
        drill: own?.drill === true,
        segmentCount: items.filter((i) => i.audioId !== null && inputs.audio.has(i.audioId)).length,
        slotCount: items.length,
        targetCount: deps.templates.targetCount(info.type),
        announcementCount: announcements.get(date) ?? 0,
      })
    }
    return out
  }

  /** Every date of `month` ('YYYY-MM') for a zone (id or code; absent: the district). */
  function month(
    month: string,
    zoneRef?: string,
  ): { month: string; zone: string; days: CalendarDay[] } {
    const first = `${month}-01`
    if (!/^\d{4}-\d{2}$/.test(month) || !isValidDate(first)) {
      throw new ChorusError('BAD_REQUEST', `not a month: ${month} (use YYYY-MM)`)
    }
    const zone = zoneId(zoneRef)
    let last = first
    while (addDays(last, 1).startsWith(month)) last = addDays(last, 1)
    return { month, zone, days: days(first, last, zone) }
  }

  function checkDate(date: string): void {
    if (!isValidDate(date)) throw new ChorusError('BAD_REQUEST', `not a date: ${date}`)
  }

  function day(date: string, zoneRef?: string): CalendarDay {
    checkDate(date)
    const zone = zoneId(zoneRef)
    return days(date, date, zone)[0] as CalendarDay
  }

  /** Re-plans dates: a zone's override reaches only the nodes of its subtree. */
  function changed(dates: string[], zone: string, reason: string): void {
    deps.bus.emit('programmeChanged', {
      what: 'calendar',
      dates,
      zones: zone === '' ? 'all' : [zone],
      reason: `calendar${zone ? ` of zone ${zone}` : ''}: ${reason}`,
    })
  }

  /** Makes a date a working or rest day for a zone (or the district), whatever is above it. */
  async function setType(
    date: string,
    type: DayType,
    note?: string | null,
    zoneRef?: string,
  ): Promise<CalendarDay> {
    checkDate(date)
    const zone = zoneId(zoneRef)
    repos.calendar.put({
      zoneId: zone,
      date,
      type,
      note: note?.trim() || null,
      updatedAt: new Date(deps.clock.now()).toISOString(),
    })
    log.info({ date, type, zone }, 'day type overridden')
    changed([date], zone, `${date} set to ${type}`)
    return day(date, zone)
  }

  /** Removes a date's override of a zone (or the district): what is above it decides again. */
  async function clear(date: string, zoneRef?: string): Promise<CalendarDay> {
    checkDate(date)
    const zone = zoneId(zoneRef)
    if (repos.calendar.delete(date, zone)) {
      log.info({ date, zone }, 'day type override removed')
      changed([date], zone, `${date} override removed`)
    }
    return day(date, zone)
  }

  /**
   * Sets (or, with `type` null, clears) the override of several dates at once for a zone (or the
   * district), in one transaction and one plan refresh: the office selects a range on the calendar.
   */
  async function setRange(
    dates: readonly string[],
    type: DayType | null,
    note?: string | null,
    zoneRef?: string,
  ): Promise<CalendarDay[]> {
    const unique = [...new Set(dates)].sort()
    if (unique.length === 0 || unique.length > MAX_RANGE) {
      throw new ChorusError('BAD_REQUEST', `give 1 to ${MAX_RANGE} dates`)
    }
    for (const d of unique) checkDate(d)
    const zone = zoneId(zoneRef)
    const updatedAt = new Date(deps.clock.now()).toISOString()
    repos.calendar.putMany(unique, type, note?.trim() || null, updatedAt, zone)
    log.info(
      { from: unique[0], to: unique.at(-1), count: unique.length, type, zone },
      'day types set',
    )
    changed(unique, zone, `${unique.length} dates ${type ?? 'cleared'}`)
    return unique.map((d) => day(d, zone))
  }

  return { month, day, setType, clear, setRange }
}

/** The calendar service. */
export type Calendar = ReturnType<typeof createCalendar>
