/**
 * @module deviation
 * Start deviation figures (how in step the fleet plays): the distribution of |actual start −
 * scheduled instant| over plays that started at their instant. Make-goods, resumed parts
 * (`offsetMs`) and drill plays are left out; test nodes count for their own figures only.
 */

import type { StartRow } from '../ingest/index.js'

/** Distribution of absolute start deviations, ms (nearest-rank percentiles); null when empty. */
export interface DeviationStats {
  count: number
  p50: number
  p95: number
  p99: number
  max: number
}

/** Nearest-rank percentiles and the maximum of |values|, or null for no values. */
export function deviationStats(values: readonly number[]): DeviationStats | null {
  if (values.length === 0) return null
  const sorted = values.map((v) => Math.abs(v)).sort((a, b) => a - b)
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0
  const round = (v: number) => Math.round(v * 10) / 10
  return {
    count: sorted.length,
    p50: round(rank(50)),
    p95: round(rank(95)),
    p99: round(rank(99)),
    max: round(sorted[sorted.length - 1] ?? 0),
  }
}

/** Starts that measure timing: at the instant, not a make-good, a resumed part or a drill. */
export function onTimeStarts(rows: readonly StartRow[]): StartRow[] {
  return rows.filter((r) => !r.makeGood && !r.resumed && !r.drill)
}

/** Figures of a date: the fleet's (nodes in `fleet`), per segment (fleet) and per node (all). */
export function deviationFigures(rows: readonly StartRow[], fleet: ReadonlySet<string>) {
  const starts = onTimeStarts(rows)
  const byItem = new Map<string, number[]>()
  const byNode = new Map<string, number[]>()
  const all: number[] = []
  for (const r of starts) {
    const n = byNode.get(r.nodeId) ?? []
    n.push(r.deviationMs)
    byNode.set(r.nodeId, n)
    if (!fleet.has(r.nodeId)) continue
    all.push(r.deviationMs)
    const i = byItem.get(r.itemId) ?? []
    i.push(r.deviationMs)
    byItem.set(r.itemId, i)
  }
  const stats = (m: Map<string, number[]>) =>
    new Map([...m].map(([k, v]) => [k, deviationStats(v) as DeviationStats]))
  return { fleet: deviationStats(all), byItem: stats(byItem), byNode: stats(byNode) }
}
