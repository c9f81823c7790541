/**
 * @module resolve-plan
 * Turns templates, date orders, day-type overrides, announcements and the audio library into the
 * concrete list of segments one node plays on given dates. Pure: the caller passes dates and time
 * zone. Resolution runs in two steps so that a fleet shares the work: `resolveDates` resolves
 * what the district plays (node-independent, each item with its target zones and audience), and
 * `planForNode` keeps what reaches one node.
 */
import type { DayType, ImportedCalendar } from './calendar.js'
import { type MakeGoodPolicy, makeGoodUntil } from './make-good.js'
import { eachOrderItem } from './order-items.js'
import { type DayPlanMode, DEFAULT_PRIORITY, type RunningOrderItem } from './running-order.js'
import { DEFAULT_QUIET_HOURS, type QuietHours } from './validate-day.js'
import { sourced, type ZoneDayTypes, type ZoneOrders } from './zone-orders.js'
import { createZonedTime, type ZonedTime } from './zoned-time.js'

export { itemsForDate } from './order-items.js'
export type { ZoneDayTypes, ZoneOrders } from './zone-orders.js'

/** What the plan needs to know about one audio file. */
export interface PlanAudio {
  /** Content hash the agent verifies after download. */
  sha256: string
  /** File size in bytes. */
  sizeBytes: number
  /** Playing time in milliseconds. */
  durationMs: number
  /** Library title; a plan item whose own title is empty takes it. */
  title?: string
}

/** A date's own running order, as resolvePlan reads it. */
export interface DayOrder {
  /** 'replace' drops the template; 'add' merges with it, a same id overriding the template's. */
  mode: DayPlanMode
  /** The date's segments. */
  items: readonly RunningOrderItem[]
  /**
   * A drill day: only test nodes play the date's order (every item marked drill); all other
   * nodes play the day-type template as if the date had no order of its own.
   */
  drill?: boolean
}

/** An urgent announcement (插播) at one instant, already given its plan priority. */
export interface AnnouncementInput {
  /** Announcement id; its plan item id is `${localDate}/ann-${id}`. */
  id: string
  /** Epoch ms at which it should start. */
  at: number
  /** Audio id in the library. */
  audioId: string
  /** Title shown in reports (empty: the audio's title). */
  title: string
  /** Target zone ids; empty or absent means the whole district. */
  zones?: readonly string[]
  /** Plan priority (see ANNOUNCEMENT_PRIORITY). */
  priority: number
  /** Plays only on test nodes, and its reports are marked drill. */
  drill?: boolean
  /** Epoch ms until which a node that could not start it at `at` still plays it whole. */
  latestStartAt?: number
}

/** Everything the office has configured that shapes plans. */
export interface PlanInputs {
  /** Running orders by day type. */
  templates: { working: readonly RunningOrderItem[]; rest: readonly RunningOrderItem[] }
  /** Date-specific orders of the district keyed by 'YYYY-MM-DD'. */
  dayOrders: ReadonlyMap<string, DayOrder>
  /**
   * Zones' own orders (分级管理), by zone id: the zone's lineage (itself first, then its
   * ancestors) and its orders by date. A node plays, per date, the order of its nearest zone that
   * has one, else the district's, else its template.
   */
  zoneOrders?: ReadonlyMap<string, ZoneOrders>
  /** Office day-type overrides keyed by 'YYYY-MM-DD'; they beat the official calendar. */
  dayTypes: ReadonlyMap<string, DayType>
  /**
   * Zones' own day-type overrides (分级管理), by zone id: a node takes the day type of its nearest
   * zone with one, else `dayTypes`, else the official calendar.
   */
  zoneDayTypes?: ReadonlyMap<string, ZoneDayTypes>
  /** Official arrangements the office imported for years the package does not know. */
  officialDays?: ImportedCalendar
  /** The audio library keyed by audio id. */
  audio: ReadonlyMap<string, PlanAudio>
  /**
   * Column id → default priority (for items that name a column but no priority) and make-good
   * policy (segments of a column without one are never replayed later).
   */
  columns?: ReadonlyMap<string, { defaultPriority: number; makeGood?: MakeGoodPolicy }>
  /** Quiet hours, which make-goods never reach; default DEFAULT_QUIET_HOURS. */
  quietHours?: QuietHours
  /** Announcements; those whose local date is among the resolved dates are planned. */
  announcements?: readonly AnnouncementInput[]
}

/** The node a plan is resolved for. */
export interface PlanNode {
  /** Node id (not used by resolution; present so a node record can be passed as is). */
  id: string
  /** The node's own zone followed by all of its ancestors up to the district. */
  zoneIds: readonly string[]
  /** A test node: the only kind that plays drill items. */
  isTest?: boolean
}

/** One segment a node plays at one instant. */
export interface PlanItem {
  /** `${date}/${item.id}`: unique within a plan and stable across re-resolutions. */
  itemId: string
  /** Local date 'YYYY-MM-DD' the segment belongs to. */
  date: string
  /** Epoch ms at which to start playing. */
  startAt: number
  /** Audio id in the library. */
  audioId: string
  /** Content hash of the audio. */
  sha256: string
  /** Audio size in bytes. */
  sizeBytes: number
  /** Audio duration in milliseconds. */
  durationMs: number
  /** Segment title. */
  title: string
  /** 0–100, default 50. */
  priority: number
  /** Column (栏目) id, when the segment has one. */
  columnId?: string
  /** Set on announcements; scheduled segments leave it out. */
  kind?: 'announcement'
  /** Set on drill items (played only by test nodes). */
  drill?: true
  /** Announcements: epoch ms until which a node may still start it whole. */
  latestStartAt?: number
  /** Segments of a column with a make-good policy: epoch ms by which a make-good must end. */
  makeGoodUntil?: number
}

/** Who an item of the district's resolution is for: every node, test nodes, or the others. */
export type Audience = 'all' | 'test' | 'regular'

/** An item of the district's resolution: a plan item plus whom it reaches. */
export interface ResolvedItem extends PlanItem {
  /** Target zone ids; empty means the whole district. */
  zones: readonly string[]
  /** Which nodes it is for. */
  audience: Audience
  /** From this zone's own order: reaches only nodes in it (absent: the district's or template). */
  orderZone?: string
  /** Zones whose own order replaces this item's order for every node in them. */
  overriddenBy?: readonly string[]
  /** Zones whose own drill order replaces this item's order for their test nodes. */
  overriddenForTest?: readonly string[]
}

/** True when an item with `zones` reaches a node in `nodeZones` (its zone and ancestors). */
export function reachesNode(
  zones: readonly string[] | undefined,
  nodeZones: ReadonlySet<string>,
): boolean {
  return zones === undefined || zones.length === 0 || zones.some((z) => nodeZones.has(z))
}

/** True when a resolved item is for a node with these zones and test flag. */
export function reachesPlanNode(
  item: Pick<
    ResolvedItem,
    'zones' | 'audience' | 'orderZone' | 'overriddenBy' | 'overriddenForTest'
  >,
  nodeZones: ReadonlySet<string>,
  isTest: boolean,
): boolean {
  if (item.audience === 'test' && !isTest) return false
  if (item.audience === 'regular' && isTest) return false
  if (item.orderZone !== undefined && !nodeZones.has(item.orderZone)) return false
  if (item.overriddenBy?.some((z) => nodeZones.has(z))) return false
  if (isTest && item.overriddenForTest?.some((z) => nodeZones.has(z))) return false
  return reachesNode(item.zones, nodeZones)
}

/** Sort order of plan items: by start instant, then by item id. */
export function comparePlanItems(a: PlanItem, b: PlanItem): number {
  if (a.startAt !== b.startAt) return a.startAt - b.startAt
  return a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0
}

function segment(
  inputs: PlanInputs,
  zone: ZonedTime,
  date: string,
  item: RunningOrderItem,
  audience: Audience,
): ResolvedItem | null {
  if (item.audioId === null) return null
  const audio = inputs.audio.get(item.audioId)
  if (audio === undefined) return null
  const column = typeof item.columnId === 'string' ? inputs.columns?.get(item.columnId) : undefined
  const resolved: ResolvedItem = {
    itemId: `${date}/${item.id}`,
    date,
    startAt: zone.toInstant(date, item.start),
    audioId: item.audioId,
    sha256: audio.sha256,
    sizeBytes: audio.sizeBytes,
    durationMs: audio.durationMs,
    title: item.title || audio.title || '',
    priority: item.priority ?? column?.defaultPriority ?? DEFAULT_PRIORITY,
    zones: item.zones ?? [],
    audience,
  }
  if (typeof item.columnId === 'string') resolved.columnId = item.columnId
  if (audience === 'test') resolved.drill = true
  const until = makeGoodUntil(
    resolved.startAt,
    resolved.durationMs,
    column?.makeGood,
    inputs.quietHours ?? DEFAULT_QUIET_HOURS,
    zone,
  )
  if (until !== null) resolved.makeGoodUntil = until
  return resolved
}

function announcement(inputs: PlanInputs, date: string, a: AnnouncementInput): ResolvedItem | null {
  const audio = inputs.audio.get(a.audioId)
  if (audio === undefined) return null
  const resolved: ResolvedItem = {
    itemId: `${date}/ann-${a.id}`,
    date,
    startAt: a.at,
    audioId: a.audioId,
    sha256: audio.sha256,
    sizeBytes: audio.sizeBytes,
    durationMs: audio.durationMs,
    title: a.title || audio.title || '',
    priority: a.priority,
    kind: 'announcement',
    zones: a.zones ?? [],
    audience: a.drill ? 'test' : 'all',
  }
  if (a.drill) resolved.drill = true
  if (a.latestStartAt !== undefined) resolved.latestStartAt = a.latestStartAt
  return resolved
}

/**
 * What the district plays on `dates` (local dates in `tz`), node-independent, sorted by start then
 * itemId. Per date: template by day type, then the date's order (replace or add), then the
 * announcements of that date; items without audio or with audio unknown to the library are
 * skipped. On a drill day the order's items are for test nodes (marked drill) and the plain
 * template for the others. Duplicate dates count once. `tz` may be a zone built once by
 * `createZonedTime` and shared, which saves rebuilding the formatter (~10× faster).
 * Throws RangeError for an invalid date, start time or time zone.
 */
export function resolveDates(
  inputs: PlanInputs,
  dates: readonly string[],
  tz: string | ZonedTime,
): ResolvedItem[] {
  const zone = typeof tz === 'string' ? createZonedTime(tz) : tz
  const wanted = new Set(dates)
  const out: ResolvedItem[] = []
  const push = (r: ResolvedItem | null) => {
    if (r) out.push(r)
  }
  for (const date of wanted) {
    eachOrderItem(inputs, date, (item, r) =>
      push(sourced(segment(inputs, zone, date, item, r.audience), r.orderZone, r.over)),
    )
  }
  for (const a of inputs.announcements ?? []) {
    const date = zone.toLocalDate(a.at)
    if (wanted.has(date)) push(announcement(inputs, date, a))
  }
  return out.sort(comparePlanItems)
}

/** The items of a district resolution that reach `node`, without the targeting fields. */
export function planForNode(resolved: readonly ResolvedItem[], node: PlanNode): PlanItem[] {
  const nodeZones = new Set(node.zoneIds)
  const plan: PlanItem[] = []
  for (const r of resolved) {
    if (!reachesPlanNode(r, nodeZones, node.isTest === true)) continue
    const {
      zones: _zones,
      audience: _audience,
      orderZone: _orderZone,
      overriddenBy: _overriddenBy,
      overriddenForTest: _overriddenForTest,
      ...item
    } = r
    plan.push(item)
  }
  return plan
}

/**
 * The segments `node` plays on `dates` (local dates in `tz`), sorted by start then itemId:
 * `planForNode(resolveDates(inputs, dates, tz), node)`.
 * Throws RangeError for an invalid date, start time or time zone.
 */
export function resolvePlan(
  inputs: PlanInputs,
  node: PlanNode,
  dates: readonly string[],
  tz: string | ZonedTime,
): PlanItem[] {
  return planForNode(resolveDates(inputs, dates, tz), node)
}
