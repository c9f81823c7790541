/**
 * @module zone-orders
 * Zone-level running orders and calendar overrides (分级管理): a date's order and its day-type
 * override may exist for the district and for any zone; a node plays the order of its nearest
 * zone that has one for the date, else the district's, else its template, and takes the day type
 * of its nearest zone with an override, else the district's override, else the official calendar.
 * Resolved items carry the zone whose say they follow and the zones below whose own say replaces
 * it, so one district resolution still serves every node.
 */
import { type DayType, type DayTypeInfo, dayType } from './calendar.js'
import type { DayOrder, PlanInputs, ResolvedItem } from './resolve-plan.js'

/** One zone's own orders and where the zone sits in the tree. */
export interface ZoneOrders {
  /** The zone itself, then each ancestor up to the district. */
  lineage: readonly string[]
  /** Its orders keyed by 'YYYY-MM-DD'. */
  days: ReadonlyMap<string, DayOrder>
}

/** One zone's own day-type overrides and where the zone sits in the tree. */
export interface ZoneDayTypes {
  /** The zone itself, then each ancestor up to the district. */
  lineage: readonly string[]
  /** Its overrides keyed by 'YYYY-MM-DD'. */
  days: ReadonlyMap<string, DayType>
}

/**
 * The day type nodes of a zone get on `date`: the nearest zone of `lineage` with an override
 * (`zoneId` names it), else the district's override (`zoneId` ''), else the official calendar,
 * else Monday–Friday.
 */
export function dayTypeFor(
  inputs: Pick<PlanInputs, 'dayTypes' | 'officialDays' | 'zoneDayTypes'>,
  date: string,
  lineage: readonly string[],
): DayTypeInfo {
  for (const zoneId of lineage) {
    const type = inputs.zoneDayTypes?.get(zoneId)?.days.get(date)
    if (type === undefined) continue
    const official = dayType(date, undefined, inputs.officialDays)
    const { type: _t, source: _s, ...names } = official
    return { type, source: 'override', zoneId, ...names }
  }
  const info = dayType(date, inputs.dayTypes, inputs.officialDays)
  return info.source === 'override' ? { ...info, zoneId: '' } : info
}

/**
 * Which order nodes of a zone play on `date`: the nearest zone of `lineage` (the zone, then its
 * ancestors) with an own order, else the district's order ('district'), else the template. A
 * drill order of a zone counts for test nodes only.
 */
export function orderSourceFor(
  inputs: PlanInputs,
  date: string,
  lineage: readonly string[],
  isTest = false,
):
  | { kind: 'zone'; zoneId: string; order: DayOrder }
  | { kind: 'district'; order: DayOrder }
  | {
      kind: 'template'
    } {
  for (const zoneId of lineage) {
    const order = inputs.zoneOrders?.get(zoneId)?.days.get(date)
    if (order && (!order.drill || isTest)) return { kind: 'zone', zoneId, order }
  }
  const order = inputs.dayOrders.get(date)
  if (order && (!order.drill || isTest)) return { kind: 'district', order }
  return { kind: 'template' }
}

/** True when a zone has its own say on `date` for every node in it: a day type or an order. */
function decidesForAll(inputs: PlanInputs, date: string, zoneId: string): boolean {
  if (inputs.zoneDayTypes?.get(zoneId)?.days.has(date)) return true
  const order = inputs.zoneOrders?.get(zoneId)?.days.get(date)
  return order !== undefined && !order.drill
}

/** The zones with an own order or day-type override on `date`, each with its lineage. */
export function zonesWithSay(inputs: PlanInputs, date: string): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>()
  for (const [zoneId, z] of inputs.zoneOrders ?? []) {
    if (z.days.has(date)) out.set(zoneId, z.lineage)
  }
  for (const [zoneId, z] of inputs.zoneDayTypes ?? []) {
    if (z.days.has(date) && !out.has(zoneId)) out.set(zoneId, z.lineage)
  }
  return out
}

/**
 * The zones with their own say on `date` that `exclude` does not name: `all` those whose order
 * (not a drill) or day-type override replaces what is above them for every node, `test` those with
 * only a drill order (it replaces it for their test nodes).
 */
export function zonesDeciding(inputs: PlanInputs, date: string, exclude: readonly string[]) {
  const all: string[] = []
  const test: string[] = []
  for (const zoneId of zonesWithSay(inputs, date).keys()) {
    if (exclude.includes(zoneId)) continue
    ;(decidesForAll(inputs, date, zoneId) ? all : test).push(zoneId)
  }
  return { all, test }
}

/**
 * What nodes below a level play on `date` (the district: `zoneId` null and an empty lineage):
 * its day type, and the order of its regular and of its test nodes (null: the template). `forAll`
 * false: the zone has only a drill order, so only its test nodes follow it.
 */
export function levelOf(
  inputs: PlanInputs,
  date: string,
  zoneId: string | null,
  lineage: readonly string[],
) {
  const orderOf = (isTest: boolean): DayOrder | null => {
    const source = orderSourceFor(inputs, date, lineage, isTest)
    return source.kind === 'template' ? null : source.order
  }
  return {
    type: dayTypeFor(inputs, date, lineage).type,
    regular: orderOf(false),
    test: orderOf(true),
    forAll: zoneId === null || decidesForAll(inputs, date, zoneId),
  }
}

/** Marks items of one order with the zone it comes from and the zones below that replace it. */
export function sourced(
  r: ResolvedItem | null,
  orderZone: string | null,
  over: { all: string[]; test: string[] },
): ResolvedItem | null {
  if (!r) return null
  if (orderZone !== null) r.orderZone = orderZone
  if (over.all.length > 0) r.overriddenBy = over.all
  if (over.test.length > 0) r.overriddenForTest = over.test
  return r
}

/** The zones with their own day-type override on `date` → that type (the ledger's record). */
export function zoneDayTypesOn(
  inputs: Pick<PlanInputs, 'zoneDayTypes'>,
  date: string,
): Record<string, DayType> {
  const out: Record<string, DayType> = {}
  for (const [zoneId, z] of inputs.zoneDayTypes ?? []) {
    const type = z.days.get(date)
    if (type !== undefined) out[zoneId] = type
  }
  return out
}

/**
 * A node's day type from a date's record: its nearest zone (`lineage`: the zone, then its
 * ancestors) with an own type, else the district's.
 */
export function recordedDayType(
  record: { dayType: DayType; zoneDayTypes: Readonly<Record<string, DayType>> },
  lineage: readonly string[],
): DayType {
  for (const zoneId of lineage) {
    const type = record.zoneDayTypes[zoneId]
    if (type !== undefined) return type
  }
  return record.dayType
}
