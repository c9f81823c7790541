import type { PlanMessage } from '../../protocol/index.js'
import {
  type PlanItem,
  type PlanNode,
  planForNode,
  planVersionOf,
  type ResolvedItem,
} from '../../schedules/index.js'
import type { Clock } from '../platform/index.js'

/** Where agents fetch a file: relative to the controller URL they were given. */
export function audioFileUrl(sha256: string): string {
  return `/api/audio/files/${sha256}`
}

/** A node's plan message and the resolved items it was built from. */
export interface BuiltPlan {
  message: PlanMessage
  items: PlanItem[]
}

/** Builds a node's plan message from the district's resolution of `dates`. */
export function createPlanBuilder(deps: {
  clock: Pick<Clock, 'now'>
  tz: string
  /** Formats an instant in the district's time zone (`createInstantFormatter(tz)`). */
  instant: (ms: number) => string
}) {
  const { instant } = deps
  return (node: PlanNode, dates: string[], resolved: readonly ResolvedItem[]): BuiltPlan => {
    const items = planForNode(resolved, node)
    const message: PlanMessage = {
      v: 1,
      nodeId: node.id,
      version: planVersionOf(items),
      generatedAt: instant(deps.clock.now()),
      tz: deps.tz,
      dates,
      items: items.map((i) => ({
        itemId: i.itemId,
        startAt: instant(i.startAt),
        audioId: i.audioId,
        sha256: i.sha256,
        sizeBytes: i.sizeBytes,
        durationMs: i.durationMs,
        url: audioFileUrl(i.sha256),
        title: i.title.slice(0, 200),
        priority: i.priority,
        ...(i.kind ? { kind: i.kind } : {}),
        ...(i.latestStartAt !== undefined ? { latestStartAt: instant(i.latestStartAt) } : {}),
        ...(i.drill ? { drill: true } : {}),
        ...(i.makeGoodUntil !== undefined ? { makeGoodUntil: instant(i.makeGoodUntil) } : {}),
      })),
    }
    return { message, items }
  }
}
