/**
 * @module plan-limits
 * The largest programme a node can be sent. An agent refuses a plan of more than
 * `MAX_PLAN_ITEMS` items (protocol/), and a node's plan holds today and `horizonDays` more days,
 * so a running order (a template or a date's own order) may hold at most
 * `floor(MAX_PLAN_ITEMS / (horizonDays + 1))` items: saving a bigger one is refused with 422
 * rather than stored and then never delivered.
 */
import { MAX_PLAN_ITEMS } from '../../protocol/index.js'
import { ChorusError, type ErrorCode } from '../errors.js'

/** Items one day's order may hold with plans of `horizonDays + 1` days. */
export function maxItemsPerDay(horizonDays: number): number {
  return Math.floor(MAX_PLAN_ITEMS / (horizonDays + 1))
}

/** Throws `code` (422) when a day of `count` items would make plans no agent accepts. */
export function checkDayFits(
  count: number,
  horizonDays: number,
  code: Extract<ErrorCode, 'DAY_INVALID' | 'TEMPLATE_INVALID'>,
  what: string,
): void {
  const max = maxItemsPerDay(horizonDays)
  if (count <= max) return
  throw new ChorusError(
    code,
    `${what} would have ${count} items; a day may hold at most ${max}, so that a node's plan ` +
      `of ${horizonDays + 1} days stays within the ${MAX_PLAN_ITEMS} items an agent accepts`,
    { details: { count, max, horizonDays, maxPlanItems: MAX_PLAN_ITEMS } },
  )
}
