/** Plans being signed, serialised and handed to the broker at once (issue 9's memory target). */
export const PLAN_SENDS_AT_ONCE = 64

interface Waiting {
  promise: Promise<void>
  resolve: () => void
  reject: (err: unknown) => void
}

/**
 * The queue of nodes owed their current plan: at most `limit` sends run at once, and a plan is
 * read, signed and serialised only when its turn comes, so 10,000 nodes asking at once (a connect
 * storm, a change for every zone) hold 10,000 small queue entries, not 10,000 encoded plans.
 * A node already waiting is queued once: its turn sends whatever plan it should hold then.
 * Nodes are served in the order they asked, so plans go out in the order they were stored.
 */
export function createPlanSends(deps: {
  /** Sends the node the plan it should hold now. */
  send: (nodeId: string) => Promise<void>
  limit?: number
}) {
  const limit = deps.limit ?? PLAN_SENDS_AT_ONCE
  const waiting = new Map<string, Waiting>()
  let running = 0

  function pump(): void {
    while (running < limit) {
      const next = waiting.entries().next()
      if (next.done) return
      const [nodeId, entry] = next.value
      waiting.delete(nodeId)
      running++
      Promise.resolve()
        .then(() => deps.send(nodeId))
        .then(entry.resolve, entry.reject)
        .finally(() => {
          running--
          pump()
        })
    }
  }

  return {
    /** Queues a send of the node's current plan; resolves once it is sent (or rejects). */
    request(nodeId: string): Promise<void> {
      const queued = waiting.get(nodeId)
      if (queued) return queued.promise
      let resolve: () => void = () => undefined
      let reject: (err: unknown) => void = () => undefined
      const promise = new Promise<void>((res, rej) => {
        resolve = res
        reject = rej
      })
      waiting.set(nodeId, { promise, resolve, reject })
      pump()
      return promise
    },
    /** Nodes waiting for their turn, and sends under way (metrics, tests). */
    stats: () => ({ waiting: waiting.size, running }),
  }
}

/** The plan send queue. */
export type PlanSends = ReturnType<typeof createPlanSends>
