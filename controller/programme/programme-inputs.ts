import {
  type AnnouncementInput,
  type DayOrder,
  type DayType,
  defaultTemplate,
  type ImportedCalendar,
  type PlanAudio,
  type PlanInputs,
  type QuietHours,
  type RunningOrderItem,
  type ZoneDayTypes,
  type ZoneOrders,
} from '../../schedules/index.js'
import type { SharedRepositories } from '../repositories.js'

/** The repositories a plan's inputs are read from (templates, orders, calendars, audio, zones). */
export type PlanInputRepos = Pick<
  SharedRepositories,
  | 'announcements'
  | 'audio'
  | 'calendar'
  | 'columns'
  | 'days'
  | 'officialCalendar'
  | 'templates'
  | 'zones'
>

/** The repositories the programme module and its services use: plan inputs, nodes and plans. */
export type ProgrammeRepos = PlanInputRepos &
  Pick<SharedRepositories, 'events' | 'nodes' | 'plans' | 'programme'>

/** A template as plans read it: the stored one, or the seeded shape before the first start. */
export function templateItems(repos: PlanInputRepos, type: DayType): RunningOrderItem[] {
  return repos.templates.get<RunningOrderItem>(type)?.items ?? defaultTemplate(type)
}

/** A zone and its ancestors, nearest first (empty for a zone that no longer exists). */
export function zoneLineageOf(repos: Pick<SharedRepositories, 'zones'>, zoneId: string): string[] {
  const out: string[] = []
  let cur = repos.zones.get(zoneId)
  while (cur && !out.includes(cur.id)) {
    out.push(cur.id)
    cur = cur.parentId === null ? null : repos.zones.get(cur.parentId)
  }
  return out
}

/**
 * Everything that shapes plans of the dates from..to, read from the store: both templates, the
 * dates' own orders of the district and of zones (with their drill flag), calendar overrides of
 * the district and of zones, columns' default priorities and
 * make-good policies, announcements not cancelled, and the audio library. `quietHours` bound
 * make-goods (default: schedules' DEFAULT_QUIET_HOURS).
 */
export function loadPlanInputs(
  repos: PlanInputRepos,
  from: string,
  to: string,
  quietHours?: QuietHours,
): PlanInputs {
  const dayOrders = new Map<string, DayOrder>()
  const zoneOrders = new Map<string, ZoneOrders & { days: Map<string, DayOrder> }>()
  for (const d of repos.days.betweenAllZones<RunningOrderItem>(from, to)) {
    const order = { mode: d.mode, items: d.items, drill: d.drill === true }
    const zoneId = d.zoneId ?? ''
    if (zoneId === '') {
      dayOrders.set(d.date, order)
      continue
    }
    let zone = zoneOrders.get(zoneId)
    if (!zone) {
      zone = { lineage: zoneLineageOf(repos, zoneId), days: new Map() }
      zoneOrders.set(zoneId, zone)
    }
    zone.days.set(d.date, order)
  }
  const dayTypes = new Map<string, DayType>()
  const zoneDayTypes = new Map<string, ZoneDayTypes & { days: Map<string, DayType> }>()
  for (const o of repos.calendar.betweenAllZones(from, to)) {
    if (o.zoneId === '') {
      dayTypes.set(o.date, o.type)
      continue
    }
    let zone = zoneDayTypes.get(o.zoneId)
    if (!zone) {
      zone = { lineage: zoneLineageOf(repos, o.zoneId), days: new Map() }
      zoneDayTypes.set(o.zoneId, zone)
    }
    zone.days.set(o.date, o.type)
  }
  const official = new Map<string, { type: DayType; name: string; nameZh: string }>()
  for (const d of repos.officialCalendar.days()) official.set(d.date, d)
  const officialDays: ImportedCalendar = {
    years: new Set(repos.officialCalendar.years().map((y) => y.year)),
    days: official,
  }
  const audio = new Map<string, PlanAudio>()
  for (const a of repos.audio.list()) audio.set(a.id, a)
  const columns = new Map(
    repos.columns.list().map((c) => [
      c.id,
      {
        defaultPriority: c.defaultPriority,
        makeGood: {
          enabled: c.makeGood,
          windowMs: c.makeGoodWindowMin * 60_000,
          timeBound: c.timeBound,
        },
      },
    ]),
  )
  const announcements: AnnouncementInput[] = repos.announcements
    .between(from, to)
    .filter((a) => a.cancelledAt === null)
    .map((a) => ({
      id: a.id,
      at: Date.parse(a.at),
      audioId: a.audioId,
      title: a.title,
      zones: a.zones,
      priority: a.priority,
      drill: a.drill,
      latestStartAt: Date.parse(a.latestStartAt),
    }))
  return {
    templates: { working: templateItems(repos, 'working'), rest: templateItems(repos, 'rest') },
    dayOrders,
    zoneOrders,
    dayTypes,
    zoneDayTypes,
    officialDays,
    audio,
    columns,
    announcements,
    ...(quietHours ? { quietHours } : {}),
  }
}
