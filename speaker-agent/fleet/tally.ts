/**
 * What the simulated fleet did with each plan item, node by node: the agents' own reports
 * (started, finished, failed and why) and the simulated outputs' first-sample stamps on the true
 * clock. The stamps, not the agents' reports, give the start deviation the fleet figures quote.
 */
import type { PlayFailedEvent, PlayFinishedEvent, PlayStartedEvent } from '../events.js'
import type { FirstSample } from './sim-output.js'

/** How one item went across the fleet. */
export interface ItemOutcome {
  itemId: string
  nodes: number
  /** Nodes that reported `play.started` / `play.finished`. */
  started: number
  finished: number
  /** Nodes that reported `play.failed` with reason `late`, and with any other reason. */
  late: number
  failed: number
  /** Failure reasons and errors, with how many nodes gave each (first 80 characters). */
  failures: Record<string, number>
  /** True-clock first-sample instant minus the item's instant, ms, one per node that played. */
  deviationsMs: number[]
  /** Of each deviation: the node clock's error, and the handover's lateness (same order). */
  clockErrorsMs: number[]
  handoverLateMs: number[]
}

/** Records the fleet's events; one per fleet. */
export interface FleetTally {
  /** Hooks for one node. */
  node(nodeId: string): {
    started(event: PlayStartedEvent): void
    finished(event: PlayFinishedEvent): void
    failed(event: PlayFailedEvent): void
    firstSample(stamp: FirstSample): void
  }
  /** The outcome of `itemId` over `nodes` nodes; its instant is taken from the reports. */
  outcome(itemId: string, nodes: number): ItemOutcome
  /** The id of an item scheduled at `at` (epoch ms) that some node reported on, if any. */
  itemAt(at: number): string | undefined
  /** Calls `fn` after every report; returns a function that removes it. */
  onReport(fn: () => void): () => void
  totals(): { played: number; failed: number; late: number }
}

/** Creates an empty tally. */
export function createFleetTally(): FleetTally {
  const started = new Map<string, Map<string, number>>() // itemId → nodeId → scheduled ms
  const finished = new Map<string, Set<string>>()
  const failed = new Map<string, Map<string, string>>() // itemId → nodeId → reason: error
  const stamps = new Map<string, Map<string, FirstSample>>() // name → nodeId → stamp
  const totals = { played: 0, failed: 0, late: 0 }
  const scheduled = new Map<number, string>() // instant → itemId
  const listeners = new Set<() => void>()
  const changed = (itemId: string, scheduledAt: string): void => {
    scheduled.set(Date.parse(scheduledAt), itemId)
    for (const fn of listeners) fn()
  }
  const at = <K, V>(map: Map<string, Map<K, V>>, key: string): Map<K, V> => {
    let inner = map.get(key)
    if (!inner) {
      inner = new Map()
      map.set(key, inner)
    }
    return inner
  }
  return {
    node(nodeId) {
      return {
        started: (e) => {
          at(started, e.itemId).set(nodeId, Date.parse(e.scheduledAt))
          changed(e.itemId, e.scheduledAt)
        },
        finished: (e) => {
          totals.played++
          const set = finished.get(e.itemId) ?? new Set<string>()
          finished.set(e.itemId, set)
          set.add(nodeId)
          changed(e.itemId, e.scheduledAt)
        },
        failed: (e) => {
          totals.failed++
          if (e.reason === 'late') totals.late++
          at(failed, e.itemId).set(nodeId, `${e.reason}: ${e.error ?? ''}`.slice(0, 80))
          changed(e.itemId, e.scheduledAt)
        },
        firstSample: (s) => {
          // The first sample of a playback; a resumed one (name `…_from<ms>`) is not a start.
          if (!at(stamps, s.name).has(nodeId)) at(stamps, s.name).set(nodeId, s)
        },
      }
    },
    outcome(itemId, nodes) {
      const starts = started.get(itemId) ?? new Map<string, number>()
      const fails = failed.get(itemId) ?? new Map<string, string>()
      const firsts = stamps.get(itemId.replaceAll('/', '_')) ?? new Map<string, FirstSample>()
      const failures: Record<string, number> = {}
      let late = 0
      for (const why of fails.values()) {
        failures[why] = (failures[why] ?? 0) + 1
        if (why.startsWith('late')) late++
      }
      const deviationsMs: number[] = []
      const clockErrorsMs: number[] = []
      const handoverLateMs: number[] = []
      for (const [nodeId, scheduled] of starts) {
        const first = firsts.get(nodeId)
        if (first === undefined) continue
        deviationsMs.push(first.trueAt - scheduled)
        clockErrorsMs.push(first.clockErrorMs)
        handoverLateMs.push(first.handoverLateMs)
      }
      return {
        itemId,
        nodes,
        started: starts.size,
        finished: finished.get(itemId)?.size ?? 0,
        late,
        failed: fails.size - late,
        failures,
        deviationsMs,
        clockErrorsMs,
        handoverLateMs,
      }
    },
    itemAt: (ms) => scheduled.get(ms),
    onReport(fn) {
      listeners.add(fn)
      return () => listeners.delete(fn)
    },
    totals: () => ({ ...totals }),
  }
}

/** p50/p95/p99/max of absolute deviations, ms (NaN when there are none). */
export function deviationSummary(deviationsMs: readonly number[]): {
  p50: number
  p95: number
  p99: number
  max: number
} {
  const abs = deviationsMs.map((d) => Math.abs(d)).sort((a, b) => a - b)
  const q = (p: number): number =>
    abs.length === 0
      ? Number.NaN
      : (abs[Math.min(abs.length - 1, Math.ceil(p * abs.length) - 1)] as number)
  return { p50: q(0.5), p95: q(0.95), p99: q(0.99), max: abs.at(-1) ?? Number.NaN }
}
