/**
 * @module plan-version
 * The version a node's plan is known by in the birth/plan handshake (PRODUCT.md): a content
 * hash, so equal plans get equal versions on every controller restart without any stored counter.
 */
import { fnv1a64 } from './fnv1a64.js'
import { comparePlanItems, type PlanItem } from './resolve-plan.js'

/** Fields in a fixed order, so the hash never depends on how an object was built. */
function canonical(items: readonly PlanItem[]): unknown[] {
  return [...items].sort(comparePlanItems).map((i) => {
    const fields: unknown[] = [
      i.itemId,
      i.date,
      i.startAt,
      i.audioId,
      i.sha256,
      i.sizeBytes,
      i.durationMs,
      i.title,
      i.priority,
      i.columnId ?? null,
    ]
    // Appended only when set, so the version of a plain segment is what it always was.
    if (i.kind !== undefined || i.drill || i.latestStartAt !== undefined) {
      fields.push(i.kind ?? null, i.drill ?? false, i.latestStartAt ?? null)
    }
    if (i.makeGoodUntil !== undefined) fields.push('makeGoodUntil', i.makeGoodUntil)
    return fields
  })
}

/**
 * A short, stable content hash of a plan (16 hex digits, FNV-1a 64 over a canonical JSON):
 * equal for equal items in any order, different when any field of any item changes.
 */
export function planVersionOf(items: readonly PlanItem[]): string {
  return fnv1a64(JSON.stringify(canonical(items)))
}

/**
 * The content hash of each date's part of a plan (`planVersionOf` of that date's items), so a
 * node holding an older plan can still be known current for the dates that did not change.
 */
export function planDayDigests(
  items: readonly PlanItem[],
  dates: readonly string[],
): Record<string, string> {
  const byDate = new Map<string, PlanItem[]>(dates.map((d) => [d, []]))
  for (const item of items) byDate.get(item.date)?.push(item)
  const out: Record<string, string> = {}
  for (const [date, list] of byDate) out[date] = planVersionOf(list)
  return out
}
