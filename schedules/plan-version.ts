/**
 * @module plan-version
 * The version a node's plan is known by in the birth/plan handshake (PRODUCT.md): a content
 * hash, so equal plans get equal versions on every controller restart without any stored counter.
 */
import { fnv1a64 } from './fnv1a64.js'
import { comparePlanItems, type PlanItem } from './resolve-plan.js'

/**
 * A short, stable content hash of a plan (16 hex digits, FNV-1a 64 over a canonical JSON):
 * equal for equal items in any order, different when any field of any item changes.
 */
export function planVersionOf(items: readonly PlanItem[]): string {
  // Fields in a fixed order, so the hash never depends on how an object was built.
  const canonical = [...items]
    .sort(comparePlanItems)
    .map((i) => [
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
    ])
  return fnv1a64(JSON.stringify(canonical))
}
