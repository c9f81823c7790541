import type { Logger } from 'pino'
import {
  addDays,
  createZonedTime,
  dayType,
  isValidDate,
  recordedDayType,
  resolveDates,
  zoneDayTypesOn,
} from '../../schedules/index.js'
import { ChorusError } from '../errors.js'
import type { Clock, EventBus, PlayReported } from '../platform/index.js'
import { loadPlanInputs, type PlanInputRepos } from '../programme/index.js'
import type { SharedRepositories } from '../repositories.js'
import { withinZones } from './day-scope.js'
import { deviationFigures } from './deviation.js'
import { createLiveTitles } from './live-titles.js'
import { createPlays } from './plays.js'
import {
  dayTotals,
  emptyTotals,
  type NodeReport,
  nodeReports,
  type ReportEvent,
  type ReportNode,
  type ScheduledItem,
  TOTAL_KEYS,
  type Totals,
} from './report-day.js'

/** A play's report may take this long after the item's end before it counts as missed. */
export const REPORT_GRACE_MS = 10 * 60_000

/** Longest range a summary covers. */
export const SUMMARY_MAX_DAYS = 366

/** The district's figures of one date (test nodes and drill items left out). */
export type DayFigures = Totals & {
  date: string
  dayType: 'working' | 'rest'
  /** Speakers (non-test nodes) that existed on the date. */
  speakers: number
  /** Played segments per speaker. */
  playedPerSpeaker: number
}

/** Averages of one day type over a range. */
export interface DayTypeFigures {
  days: number
  speakerDays: number
  scheduled: number
  played: number
  avgScheduledPerSpeaker: number
  avgPlayedPerSpeaker: number
}

/** The repositories reports read: the programme's inputs as they stood, plays and nodes. */
export type ReportsRepos = PlanInputRepos &
  Pick<SharedRepositories, 'events' | 'live' | 'nodes' | 'programme' | 'reports' | 'users'>

type DayTypeName = 'working' | 'rest'

/** Whether a zone is within the caller's reach (a user limited to zones); absent: all are. */
export type Reach = (zoneId: string) => boolean

const round2 = (n: number) => Math.round(n * 100) / 100

/**
 * Proof-of-play reports: per date, every node's scheduled vs played vs made good vs failed vs
 * missed with reasons and totals per zone and column, and start deviations (fleet, segment, node); over a range, the figure the district reports (average
 * segments played per speaker on working and on rest days) and a played-vs-scheduled series.
 * Totals of finished days are cached; a late event for a day drops its cache.
 */
export function createReports(deps: {
  repos: ReportsRepos
  bus: EventBus
  clock: Clock
  log: Logger
  tz: string
  silentThresholdDb: number
  zoneLineage: (zoneId: string) => string[]
}) {
  const { repos } = deps
  const zone = createZonedTime(deps.tz)
  const log = deps.log.child({ module: 'reports' })
  const liveTitles = createLiveTitles({ repos, zone })

  function checkDate(date: string): void {
    if (!isValidDate(date)) throw new ChorusError('BAD_REQUEST', `not a date: ${date}`)
  }

  /** The date's items, the district's day type and those of zones with their own override. */
  function scheduledOn(date: string): {
    items: ScheduledItem[]
    dayType: DayTypeName
    zoneDayTypes: Record<string, DayTypeName>
  } {
    const stored = repos.programme.datesBetween<ScheduledItem>(date, date)[0]
    if (stored) return stored
    // Never published (beyond the horizon, or before this controller ran): today's programme.
    const inputs = loadPlanInputs(repos, date, date)
    return {
      items: resolveDates(inputs, [date], zone),
      dayType: dayType(date, inputs.dayTypes, inputs.officialDays).type,
      zoneDayTypes: zoneDayTypesOn(inputs, date),
    }
  }

  /**
   * The day type a report of `date` shows: the district's, or for a user limited to zones
   * (`reach`) their zones' (the highest zones it reaches) when those agree, else the district's.
   */
  function typeFor(day: ReturnType<typeof scheduledOn>, reach?: Reach): DayTypeName {
    if (!reach) return day.dayType
    const tops = repos.zones.list().filter((z) => reach(z.id) && !(z.parentId && reach(z.parentId)))
    const types = new Set(tops.map((z) => recordedDayType(day, deps.zoneLineage(z.id))))
    return types.size === 1 ? ([...types][0] as DayTypeName) : day.dayType
  }

  /** From the node's enrollment or first connection, whichever came first; null: neither yet. */
  function accountableFrom(n: { enrolledAt: string | null; firstOnlineAt: string | null }) {
    const at = [n.enrolledAt, n.firstOnlineAt]
      .filter((x): x is string => x !== null)
      .map(Date.parse)
    return at.length ? Math.min(...at) : null
  }

  function nodesOn(date: string, dayEndIso: string): ReportNode[] {
    const dayStartIso = new Date(zone.toInstant(date, '00:00:00')).toISOString()
    return repos.nodes
      .list()
      .filter((n) => {
        // A node answers for the day only once installed (enrolled or first online) before its
        // end, and until its retirement: one registered from the survey sheet is not listed yet.
        const from = accountableFrom(n)
        return (
          from !== null &&
          from < Date.parse(dayEndIso) &&
          (n.retiredAt === null || n.retiredAt >= dayStartIso)
        )
      })
      .map((n) => ({
        id: n.id,
        name: n.name,
        zoneId: n.zoneId,
        lineage: deps.zoneLineage(n.zoneId),
        isTest: n.isTest,
        online: n.online,
        accountableFrom: accountableFrom(n),
        accountableUntil: n.retiredAt === null ? null : Date.parse(n.retiredAt),
      }))
  }

  function offlineCheck(fromIso: string, toIso: string) {
    const byNode = new Map<string, { at: number; online: boolean }[]>()
    for (const c of repos.reports.presence(fromIso, toIso)) {
      const list = byNode.get(c.nodeId) ?? []
      list.push({ at: Date.parse(c.at), online: c.to === 'online' })
      byNode.set(c.nodeId, list)
    }
    return (nodeId: string, at: number): boolean => {
      let online = false
      for (const c of byNode.get(nodeId) ?? []) {
        if (c.at > at) break
        online = c.online
      }
      return !online
    }
  }

  /** Every node's report of `date` and the date's totals. */
  function compute(date: string) {
    const start = zone.toInstant(date, '00:00:00')
    const endIso = new Date(zone.toInstant(addDays(date, 1), '00:00:00')).toISOString()
    const day = scheduledOn(date)
    const { items } = day
    const nodes = nodesOn(date, endIso)
    const events = new Map<string, ReportEvent[]>()
    for (const p of repos.events.playsOn(date)) {
      const list = events.get(p.nodeId) ?? []
      list.push(p)
      events.set(p.nodeId, list)
    }
    const reports = nodeReports({
      date,
      now: deps.clock.now(),
      silentDb: deps.silentThresholdDb,
      graceMs: REPORT_GRACE_MS,
      scheduled: items,
      nodes,
      events,
      offlineAt: offlineCheck(new Date(start).toISOString(), endIso),
      audioTitle: (id) => repos.audio.get(id)?.title ?? '',
      liveTitle: liveTitles.lookup(),
    })
    return { day, nodes, items, reports, ...dayTotals(reports, nodes) }
  }

  /** Start deviations of the date: the fleet's, per segment (worst first too) and per node. */
  function deviationOf(date: string, items: readonly ScheduledItem[], nodes: ReportNode[]) {
    const fleet = new Set(nodes.filter((n) => !n.isTest).map((n) => n.id))
    const f = deviationFigures(repos.events.startsOn(date), fleet)
    const byId = new Map(items.map((i) => [i.itemId, i]))
    const liveOf = liveTitles.lookup()
    const segments = [...f.byItem]
      .map(([itemId, stats]) => {
        const item = byId.get(itemId)
        const live = item ? null : liveOf(itemId)
        return {
          itemId,
          title: item?.title ?? live?.title ?? '',
          scheduledAt: item ? new Date(item.startAt).toISOString() : (live?.live.openedAt ?? null),
          ...stats,
        }
      })
      .sort((a, b) => ((a.scheduledAt ?? '') < (b.scheduledAt ?? '') ? -1 : 1))
    const worst = [...segments].sort((a, b) => b.p95 - a.p95 || b.max - a.max).slice(0, 5)
    return { fleet: f.fleet, segments, worst, byNode: f.byNode }
  }

  /**
   * GET /api/reports/deviation: how in step the fleet started the date's segments; with `reach`,
   * only the nodes in the zones it accepts (a user limited to zones).
   */
  function deviation(date: string, reach?: Reach) {
    checkDate(date)
    const endIso = new Date(zone.toInstant(addDays(date, 1), '00:00:00')).toISOString()
    const mine = nodesOn(date, endIso).filter((n) => !reach || reach(n.zoneId))
    const d = deviationOf(date, scheduledOn(date).items, mine)
    const ids = new Set(mine.map((n) => n.id))
    const nodes = [...d.byNode]
      .filter(([nodeId]) => !reach || ids.has(nodeId))
      .map(([nodeId, stats]) => ({ nodeId, ...stats }))
    return { date, fleet: d.fleet, segments: d.segments, worst: d.worst, nodes }
  }

  /**
   * GET /api/reports/day; with `reach`, only the nodes in the zones it accepts (a user limited
   * to zones), their totals and the zones it reaches.
   */
  function day(date: string, reach?: Reach) {
    checkDate(date)
    const all = compute(date)
    const c = reach ? { ...all, ...withinZones(all, reach) } : all
    const dev = deviationOf(date, c.items, c.nodes)
    const zoneNames = new Map(repos.zones.list().map((z) => [z.id, z.name]))
    const columnNames = new Map(repos.columns.list().map((col) => [col.id, col.name]))
    return {
      date,
      dayType: typeFor(c.day, reach),
      speakers: c.speakers,
      totals: c.totals,
      drill: c.drill,
      byZone: [...c.byZone].map(([zoneId, t]) => ({
        zoneId,
        name: zoneNames.get(zoneId) ?? zoneId,
        ...t,
      })),
      byColumn: [...c.byColumn].map(([columnId, t]) => ({
        columnId,
        name: columnId === null ? null : (columnNames.get(columnId) ?? columnId),
        ...t,
      })),
      deviation: { fleet: dev.fleet, segments: dev.segments },
      nodes: c.reports.map((r: NodeReport) => ({
        ...r,
        zoneName: zoneNames.get(r.zoneId) ?? r.zoneId,
        dayType: recordedDayType(c.day, deps.zoneLineage(r.zoneId)),
        deviation: dev.byNode.get(r.nodeId) ?? null,
      })),
    }
  }

  function figures(date: string, reach?: Reach): DayFigures {
    const all = compute(date)
    const c = reach ? { ...all, ...withinZones(all, reach) } : all
    const playedPerSpeaker = c.speakers > 0 ? round2(c.totals.played / c.speakers) : 0
    return {
      date,
      dayType: typeFor(c.day, reach),
      speakers: c.speakers,
      ...c.totals,
      playedPerSpeaker,
    }
  }

  /**
   * GET /api/reports/summary: per-day figures and the averages per day type; with `reach`, of
   * the nodes in the zones it accepts only (computed each time: the cache holds the district's).
   */
  function summary(from: string, to: string, reach?: Reach) {
    checkDate(from)
    checkDate(to)
    if (to < from) throw new ChorusError('BAD_REQUEST', `"to" (${to}) is before "from" (${from})`)
    const days: string[] = []
    for (let d = from; d <= to; d = addDays(d, 1)) {
      days.push(d)
      if (days.length > SUMMARY_MAX_DAYS) {
        throw new ChorusError('BAD_REQUEST', `a summary covers at most ${SUMMARY_MAX_DAYS} days`)
      }
    }
    const today = zone.toLocalDate(deps.clock.now())
    const cached = reach
      ? new Map<string, DayFigures>()
      : repos.reports.cachedDays<DayFigures>(from, to)
    const series = days.map((d) => {
      const hit = cached.get(d)
      if (hit) return hit
      if (reach) return figures(d, reach)
      const f = figures(d)
      // A finished day whose reports are in: keep it (a late event drops it again).
      if (d < today && f.pending === 0) {
        repos.reports.cacheDay(d, f, new Date(deps.clock.now()).toISOString())
      }
      return f
    })
    const byType = (type: 'working' | 'rest'): DayTypeFigures => {
      const list = series.filter((s) => s.dayType === type && s.speakers > 0)
      const speakerDays = list.reduce((n, s) => n + s.speakers, 0)
      const scheduled = list.reduce((n, s) => n + s.scheduled, 0)
      const played = list.reduce((n, s) => n + s.played, 0)
      return {
        days: list.length,
        speakerDays,
        scheduled,
        played,
        avgScheduledPerSpeaker: speakerDays > 0 ? round2(scheduled / speakerDays) : 0,
        avgPlayedPerSpeaker: speakerDays > 0 ? round2(played / speakerDays) : 0,
      }
    }
    const totals = emptyTotals()
    for (const s of series) for (const k of TOTAL_KEYS) totals[k] += s[k] ?? 0
    return { from, to, working: byType('working'), rest: byType('rest'), totals, days: series }
  }

  const plays = createPlays({
    repos,
    scheduled: (date) => scheduledOn(date).items,
    audioTitle: (id) => repos.audio.get(id)?.title ?? null,
    live: liveTitles,
  })

  // Today's local date and the instants it spans, so that a burst of plays formats it once.
  let today = { date: '', from: 0, to: 0 }
  const todayAt = (now: number): string => {
    if (now < today.from || now >= today.to) {
      const date = zone.toLocalDate(now)
      const next = addDays(date, 1)
      today = { date, from: zone.toInstant(date, '00:00:00'), to: zone.toInstant(next, '00:00:00') }
    }
    return today.date
  }
  const onPlay = (p: PlayReported) => {
    // Only finished days are cached, so only their late events matter.
    if (p.date && p.date < todayAt(deps.clock.now())) repos.reports.invalidateDay(p.date)
  }

  return {
    day,
    deviation,
    /** GET /api/plays: a page of a date's plays with titles and node names. */
    plays: plays.page,
    /** GET /api/nodes/:id/plays: a node's latest plays with titles, newest first. */
    nodePlays: plays.recent,
    /** Today's local date. */
    today: () => zone.toLocalDate(deps.clock.now()),
    summary,
    start(): void {
      deps.bus.on('playReported', onPlay)
    },
    stop(): void {
      deps.bus.off('playReported', onPlay)
      log.debug('reports stopped')
    },
  }
}

/** The reports service. */
export type Reports = ReturnType<typeof createReports>
