/**
 * @module zone-orders
 * Zone-level running orders (分级管理): a date's order may exist for the district and for any
 * zone; a node plays the order of its nearest zone that has one for the date, else the
 * district's, else its template. Resolved items carry the zone their order comes from and the
 * zones below whose own orders replace it, so one district resolution still serves every node.
 */
import type { DayOrder, PlanInputs, ResolvedItem } from './resolve-plan.js'

/** One zone's own orders and where the zone sits in the tree. */
export interface ZoneOrders {
  /** The zone itself, then each ancestor up to the district. */
  lineage: readonly string[]
  /** Its orders keyed by 'YYYY-MM-DD'. */
  days: ReadonlyMap<string, DayOrder>
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

/** The zones with an own order on `date` (drill or not) that `exclude` does not name. */
export function zonesOrdering(inputs: PlanInputs, date: string, exclude: readonly string[]) {
  const all: string[] = []
  const test: string[] = []
  for (const [zoneId, z] of inputs.zoneOrders ?? []) {
    const order = z.days.get(date)
    if (!order || exclude.includes(zoneId)) continue
    ;(order.drill ? test : all).push(zoneId)
  }
  return { all, test }
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
