/**
 * @module report-day
 * Proof of play for one date, as a pure function of what was scheduled, what nodes reported and
 * when they were offline: per node scheduled vs played vs failed vs missed with reasons, and
 * totals per zone and per column. The district's totals leave out test nodes and drill items.
 */
import { type Audience, reachesPlanNode } from '../../schedules/index.js'
import type { LivePlay, LiveTitle } from './live-titles.js'
import { type Outcome, outcomeOf, type PlayStatus, settleStale } from './play-outcome.js'

/** A scheduled item of the date, as stored in the date's programme (schedules' ResolvedItem). */
export interface ScheduledItem {
  itemId: string
  startAt: number
  durationMs: number
  audioId: string
  title: string
  columnId?: string
  kind?: 'announcement'
  drill?: true
  zones: readonly string[]
  audience: Audience
  /** Zone orders (issue 11): see schedules' ResolvedItem. */
  orderZone?: string
  overriddenBy?: readonly string[]
  overriddenForTest?: readonly string[]
}

/** A node as the report needs it. */
export interface ReportNode {
  id: string
  name: string
  zoneId: string
  /** Its zone and every ancestor, nearest first. */
  lineage: readonly string[]
  isTest: boolean
  online: boolean
  /**
   * The span the node answers for (ms): from its enrollment or first connection, whichever came
   * first (null: never installed, so never accountable) until its retirement (null: still active).
   */
  accountableFrom: number | null
  accountableUntil: number | null
}

/** Whether a node answers for an item scheduled at `at` (ms). */
export function accountableAt(node: ReportNode, at: number): boolean {
  if (node.accountableFrom === null || at < node.accountableFrom) return false
  return node.accountableUntil === null || at < node.accountableUntil
}

/** One item's line in a node's report. */
export type ItemReport = Outcome & {
  itemId: string
  title: string
  columnId: string | null
  /** `live`: a live session the node sounded (issue 13; `live` says which). */
  kind: 'segment' | 'announcement' | 'live'
  scheduledAt: string
  live?: LivePlay
}

/** Counts of outcomes. */
export interface Totals {
  scheduled: number
  /** Played at its instant (a make-good never counts here). */
  played: number
  /** Missed at its instant and played later (补播). */
  madeGood: number
  silent: number
  interrupted: number
  failed: number
  missed: number
  pending: number
  /** How often each reason occurred (failure, interruption or missed reason). */
  reasons: Record<string, number>
}

/** One node's report of the date. */
export type NodeReport = Totals & {
  nodeId: string
  name: string
  zoneId: string
  isTest: boolean
  online: boolean
  items: ItemReport[]
}

/** A stored play event; `body` holds the event as the agent sent it. */
export interface ReportEvent {
  itemId: string | null
  type: string
  reason: string | null
  at: string
  body: Record<string, unknown>
}

/** Everything the day report is computed from. */
export interface DayReportInput {
  date: string
  now: number
  silentDb: number
  /** After an item's end, how long its report may take before it counts as missed. */
  graceMs: number
  scheduled: readonly ScheduledItem[]
  nodes: readonly ReportNode[]
  /** Play events of the date by node id, oldest first. */
  events: ReadonlyMap<string, readonly ReportEvent[]>
  /** Whether a node was offline at an instant. */
  offlineAt: (nodeId: string, at: number) => boolean
  /** Title of an audio id, for items reported but no longer scheduled. */
  audioTitle: (audioId: string) => string
  /** The title of a live session's item (`live:<id>`), else null. */
  liveTitle?: (itemId: string) => LiveTitle | null
}

/** An empty set of totals. */
export function emptyTotals(): Totals {
  return {
    scheduled: 0,
    played: 0,
    madeGood: 0,
    silent: 0,
    interrupted: 0,
    failed: 0,
    missed: 0,
    pending: 0,
    reasons: {},
  }
}

/** Adds one item's outcome to totals. */
export function addOutcome(t: Totals, status: PlayStatus, reason: string | null): void {
  t.scheduled++
  t[status === 'playing' ? 'pending' : status]++
  if (reason) t.reasons[reason] = (t.reasons[reason] ?? 0) + 1
}

/** The counted outcomes of a report, in report order. */
export const TOTAL_KEYS = [
  'scheduled',
  'played',
  'madeGood',
  'silent',
  'interrupted',
  'failed',
  'missed',
  'pending',
] as const

/** Adds totals `b` into `a`. */
export function addTotals(a: Totals, b: Totals): void {
  for (const k of TOTAL_KEYS) a[k] += b[k] ?? 0
  for (const [r, n] of Object.entries(b.reasons)) a.reasons[r] = (a.reasons[r] ?? 0) + n
}

type ItemFacts = Pick<ScheduledItem, 'itemId' | 'title' | 'startAt' | 'durationMs'> & {
  columnId?: string | undefined
  kind?: 'announcement' | 'live' | undefined
  drill?: true | undefined
  live?: LivePlay | undefined
}

function itemReport(
  input: DayReportInput,
  node: ReportNode,
  item: ItemFacts,
  events: readonly ReportEvent[],
): ItemReport {
  const found = outcomeOf(
    events.map((e) => ({ type: e.type, reason: e.reason, body: { ...e.body, at: e.at } })),
    input.silentDb,
  )
  const due = item.startAt + item.durationMs + input.graceMs <= input.now
  const outcome: Outcome = found
    ? settleStale(found, due)
    : {
        status: due ? 'missed' : 'pending',
        reason: due ? (input.offlineAt(node.id, item.startAt) ? 'offline' : 'noReport') : null,
        playedMs: 0,
        rmsDb: null,
        startedAt: null,
        interrupted: false,
        drill: false,
        makeGoodAt: null,
      }
  return {
    ...outcome,
    drill: item.drill === true || outcome.drill,
    itemId: item.itemId,
    title: item.title,
    columnId: item.columnId ?? null,
    kind: item.kind ?? 'segment',
    scheduledAt: new Date(item.startAt).toISOString(),
    ...(item.live ? { live: item.live } : {}),
  }
}

/** Every node's report of the date, in the order of `nodes`. */
export function nodeReports(input: DayReportInput): NodeReport[] {
  return input.nodes.map((node) => {
    const zones = new Set(node.lineage)
    const mine = input.events.get(node.id) ?? []
    const byItem = new Map<string, ReportEvent[]>()
    for (const e of mine) {
      if (!e.itemId) continue
      const list = byItem.get(e.itemId) ?? []
      list.push(e)
      byItem.set(e.itemId, list)
    }
    const items: ItemReport[] = []
    const seen = new Set<string>()
    for (const s of input.scheduled) {
      if (!reachesPlanNode(s, zones, node.isTest)) continue
      seen.add(s.itemId)
      // Before installation or after retirement a node is not blamed (played events still show).
      if (!accountableAt(node, s.startAt) && !byItem.has(s.itemId)) continue
      items.push(itemReport(input, node, s, byItem.get(s.itemId) ?? []))
    }
    // Played under an earlier version of the programme, then edited away: still proof of play.
    for (const [itemId, events] of byItem) {
      if (seen.has(itemId)) continue
      const first = events[0]?.body ?? {}
      const audioId = typeof first.audioId === 'string' ? first.audioId : ''
      const scheduledAt = Date.parse(String(first.scheduledAt ?? events[0]?.at))
      const live = input.liveTitle?.(itemId) ?? null
      items.push(
        itemReport(
          input,
          node,
          {
            itemId,
            title: live?.title ?? input.audioTitle(audioId),
            startAt: scheduledAt,
            durationMs: 0,
            ...(itemId.includes('/ann-') ? { kind: 'announcement' as const } : {}),
            ...(live ? { kind: 'live' as const, live: live.live } : {}),
            ...(first.drill === true ? { drill: true as const } : {}),
          },
          events,
        ),
      )
    }
    items.sort((a, b) =>
      a.scheduledAt < b.scheduledAt ? -1 : a.scheduledAt > b.scheduledAt ? 1 : 0,
    )
    const totals = emptyTotals()
    for (const i of items) addOutcome(totals, i.status, i.reason)
    return {
      nodeId: node.id,
      name: node.name,
      zoneId: node.zoneId,
      isTest: node.isTest,
      online: node.online,
      ...totals,
      items,
    }
  })
}

/** Totals of the district, per zone (rolled up to every ancestor) and per column. */
export function dayTotals(reports: readonly NodeReport[], nodes: readonly ReportNode[]) {
  const lineage = new Map(nodes.map((n) => [n.id, n.lineage]))
  const totals = emptyTotals()
  const drill = emptyTotals()
  const byZone = new Map<string, Totals & { nodes: number }>()
  const byColumn = new Map<string | null, Totals>()
  let speakers = 0
  for (const r of reports) {
    if (!r.isTest) speakers++
    for (const zoneId of lineage.get(r.nodeId) ?? [r.zoneId]) {
      const z = byZone.get(zoneId) ?? { ...emptyTotals(), nodes: 0 }
      if (!r.isTest) z.nodes++
      byZone.set(zoneId, z)
    }
    for (const i of r.items) {
      if (i.drill) {
        addOutcome(drill, i.status, i.reason)
        continue
      }
      if (r.isTest) continue
      addOutcome(totals, i.status, i.reason)
      for (const zoneId of lineage.get(r.nodeId) ?? [r.zoneId]) {
        addOutcome(byZone.get(zoneId) as Totals, i.status, i.reason)
      }
      const c = byColumn.get(i.columnId) ?? emptyTotals()
      addOutcome(c, i.status, i.reason)
      byColumn.set(i.columnId, c)
    }
  }
  return { speakers, totals, drill, byZone, byColumn }
}
