/**
 * @module resolve-plan
 * Turns templates, date orders, day-type overrides and the audio library into the concrete
 * list of segments one node plays on given dates. Pure: the caller passes dates and time zone.
 */
import { type DayType, dayType } from './calendar.js'
import { type DayPlanMode, DEFAULT_PRIORITY, type RunningOrderItem } from './running-order.js'
import { createZonedTime, type ZonedTime } from './zoned-time.js'

/** What the plan needs to know about one audio file. */
export interface PlanAudio {
  /** Content hash the agent verifies after download. */
  sha256: string
  /** File size in bytes. */
  sizeBytes: number
  /** Playing time in milliseconds. */
  durationMs: number
}

/** A date's own running order, as resolvePlan reads it. */
export interface DayOrder {
  /** 'replace' drops the template; 'add' merges with it, a same id overriding the template's. */
  mode: DayPlanMode
  /** The date's segments. */
  items: readonly RunningOrderItem[]
}

/** Everything the office has configured that shapes plans. */
export interface PlanInputs {
  /** Running orders by day type. */
  templates: { working: readonly RunningOrderItem[]; rest: readonly RunningOrderItem[] }
  /** Date-specific orders keyed by 'YYYY-MM-DD'. */
  dayOrders: ReadonlyMap<string, DayOrder>
  /** Office day-type overrides keyed by 'YYYY-MM-DD'; they beat the official calendar. */
  dayTypes: ReadonlyMap<string, DayType>
  /** The audio library keyed by audio id. */
  audio: ReadonlyMap<string, PlanAudio>
}

/** The node a plan is resolved for; only `zoneIds` affects the result. */
export interface PlanNode {
  /** Node id (not used by resolution; present so a node record can be passed as is). */
  id: string
  /** The node's own zone followed by all of its ancestors up to the district. */
  zoneIds: readonly string[]
  /** Bench or test node; reserved, it does not change the plan today. */
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
}

/** The items that run on `date` before zone and audio filtering, one per id (later ids win). */
export function itemsForDate(inputs: PlanInputs, date: string): RunningOrderItem[] {
  const template = inputs.templates[dayType(date, inputs.dayTypes).type]
  const order = inputs.dayOrders.get(date)
  const base = order?.mode === 'replace' ? [] : template
  const byId = new Map<string, RunningOrderItem>()
  for (const item of [...base, ...(order?.items ?? [])]) byId.set(item.id, item)
  return [...byId.values()]
}

/** True when an item with `zones` reaches a node in `nodeZones` (its zone and ancestors). */
export function reachesNode(
  zones: readonly string[] | undefined,
  nodeZones: ReadonlySet<string>,
): boolean {
  return zones === undefined || zones.length === 0 || zones.some((z) => nodeZones.has(z))
}

/** Sort order of plan items: by start instant, then by item id. */
export function comparePlanItems(a: PlanItem, b: PlanItem): number {
  if (a.startAt !== b.startAt) return a.startAt - b.startAt
  return a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0
}

/**
 * The segments `node` plays on `dates` (local dates in `tz`), sorted by start then itemId.
 * Per date: template by day type, then the date's order (replace or add), then zone targeting;
 * items without audio or with audio unknown to the library are skipped. Duplicate dates count
 * once. `tz` may be a zone built once by `createZonedTime` and shared across many nodes, which
 * saves rebuilding the formatter and re-probing the offsets each call (~10× faster).
 * Throws RangeError for an invalid date, start time or time zone.
 */
export function resolvePlan(
  inputs: PlanInputs,
  node: PlanNode,
  dates: readonly string[],
  tz: string | ZonedTime,
): PlanItem[] {
  const zone = typeof tz === 'string' ? createZonedTime(tz) : tz
  const nodeZones = new Set(node.zoneIds)
  const plan: PlanItem[] = []
  for (const date of new Set(dates)) {
    for (const item of itemsForDate(inputs, date)) {
      if (!reachesNode(item.zones, nodeZones) || item.audioId === null) continue
      const audio = inputs.audio.get(item.audioId)
      if (audio === undefined) continue
      const planItem: PlanItem = {
        itemId: `${date}/${item.id}`,
        date,
        startAt: zone.toInstant(date, item.start),
        audioId: item.audioId,
        sha256: audio.sha256,
        sizeBytes: audio.sizeBytes,
        durationMs: audio.durationMs,
        title: item.title,
        priority: item.priority ?? DEFAULT_PRIORITY,
      }
      if (typeof item.columnId === 'string') planItem.columnId = item.columnId
      plan.push(planItem)
    }
  }
  return plan.sort(comparePlanItems)
}
