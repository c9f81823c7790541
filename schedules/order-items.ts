/**
 * @module order-items
 * Which running-order items run on a date and for whom: the template merged with the district's
 * order (a drill order for test nodes only, the plain template for the others), then every zone's
 * own order for the nodes of that zone not below a zone with its own. Shared by the plan
 * resolution (items with audio) and the relay schedule (items with a relay). Pure.
 */
import { dayType } from './calendar.js'
import type { Audience, DayOrder, PlanInputs } from './resolve-plan.js'
import type { RunningOrderItem } from './running-order.js'
import { zonesOrdering } from './zone-orders.js'

/**
 * The items that run on `date` before zone and audio filtering, one per id (later ids win).
 * With `withOrder: false` the date's own order is ignored (what non-test nodes play on a drill
 * day).
 */
export function itemsForDate(
  inputs: PlanInputs,
  date: string,
  opts: { withOrder?: boolean; order?: DayOrder } = {},
): RunningOrderItem[] {
  const template = inputs.templates[dayType(date, inputs.dayTypes, inputs.officialDays).type]
  const order = opts.withOrder === false ? undefined : (opts.order ?? inputs.dayOrders.get(date))
  const base = order?.mode === 'replace' ? [] : template
  const byId = new Map<string, RunningOrderItem>()
  for (const item of [...base, ...(order?.items ?? [])]) byId.set(item.id, item)
  return [...byId.values()]
}

/** Whom one order's items reach (see schedules' ResolvedItem). */
export interface OrderReach {
  audience: Audience
  /** The zone whose own order it is; null: the district's order or the template. */
  orderZone: string | null
  /** Zones below with an own order (all nodes) or an own drill order (test nodes). */
  over: { all: string[]; test: string[] }
}

/** Calls `visit` with every item that runs on `date` and whom it reaches, order by order. */
export function eachOrderItem(
  inputs: PlanInputs,
  date: string,
  visit: (item: RunningOrderItem, reach: OrderReach) => void,
): void {
  const order = inputs.dayOrders.get(date)
  const over = zonesOrdering(inputs, date, [])
  if (order?.drill) {
    for (const item of itemsForDate(inputs, date, { withOrder: false }))
      visit(item, { audience: 'regular', orderZone: null, over })
    for (const item of itemsForDate(inputs, date))
      visit(item, { audience: 'test', orderZone: null, over })
  } else {
    for (const item of itemsForDate(inputs, date))
      visit(item, { audience: 'all', orderZone: null, over })
  }
  // Zones' own orders: each reaches its zone's nodes, except below a zone with its own.
  for (const [zoneId, z] of inputs.zoneOrders ?? []) {
    const own = z.days.get(date)
    if (!own) continue
    const below = zonesOrdering(inputs, date, z.lineage)
    const audience: Audience = own.drill ? 'test' : 'all'
    for (const item of itemsForDate(inputs, date, { order: own }))
      visit(item, { audience, orderZone: zoneId, over: below })
  }
}
