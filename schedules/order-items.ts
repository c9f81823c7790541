/**
 * @module order-items
 * Which running-order items run on a date and for whom: the district's level (its day type's
 * template merged with its order; a drill order for test nodes only), then every zone with its
 * own say (its own order or its own day type) for the nodes of that zone not below another zone
 * with its own. Shared by the plan resolution (items with audio) and the relay schedule (items
 * with a relay). Pure.
 */
import { type DayType, dayType } from './calendar.js'
import type { Audience, DayOrder, PlanInputs } from './resolve-plan.js'
import type { RunningOrderItem } from './running-order.js'
import { levelOf, zonesDeciding, zonesWithSay } from './zone-orders.js'

/**
 * The items that run on `date` before zone and audio filtering, one per id (later ids win).
 * With `withOrder: false` the date's own order is ignored (what non-test nodes play on a drill
 * day); `order` stands for the district's, `type` for the district's day type (a zone's).
 */
export function itemsForDate(
  inputs: PlanInputs,
  date: string,
  opts: { withOrder?: boolean; order?: DayOrder; type?: DayType } = {},
): RunningOrderItem[] {
  const type = opts.type ?? dayType(date, inputs.dayTypes, inputs.officialDays).type
  const template = inputs.templates[type]
  const order = opts.withOrder === false ? undefined : (opts.order ?? inputs.dayOrders.get(date))
  const base = order?.mode === 'replace' ? [] : template
  const byId = new Map<string, RunningOrderItem>()
  for (const item of [...base, ...(order?.items ?? [])]) byId.set(item.id, item)
  return [...byId.values()]
}

/** Whom one order's items reach (see schedules' ResolvedItem). */
export interface OrderReach {
  audience: Audience
  /** The zone whose own order (or day type) it is; null: the district's order or the template. */
  orderZone: string | null
  /** Zones below with their own say for all nodes, or with only a drill order (test nodes). */
  over: { all: string[]; test: string[] }
}

/** Calls `visit` with every item that runs on `date` and whom it reaches, level by level. */
export function eachOrderItem(
  inputs: PlanInputs,
  date: string,
  visit: (item: RunningOrderItem, reach: OrderReach) => void,
): void {
  const level = (zoneId: string | null, lineage: readonly string[]) => {
    const over = zonesDeciding(inputs, date, lineage)
    const { type, regular, test, forAll } = levelOf(inputs, date, zoneId, lineage)
    const add = (order: DayOrder | null, audience: Audience) => {
      const opts = order ? { order, type } : { withOrder: false, type }
      for (const item of itemsForDate(inputs, date, opts))
        visit(item, { audience, orderZone: zoneId, over })
    }
    if (!forAll) add(test, 'test')
    else if (regular === test) add(regular, 'all')
    else {
      add(regular, 'regular')
      add(test, 'test')
    }
  }
  level(null, [])
  for (const [zoneId, lineage] of zonesWithSay(inputs, date)) level(zoneId, lineage)
}
