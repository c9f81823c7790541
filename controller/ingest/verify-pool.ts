import type { KeyObject } from 'node:crypto'
import { Worker } from 'node:worker_threads'
import type { Logger } from 'pino'
import type { NodeKey } from '../provisioning/index.js'
import {
  checkBatchSignatures,
  type EventRefusal,
  type SignedBatch,
  verificationsOf,
} from './event-signature.js'

/** One `events` message's signatures to check, as posted to a worker. */
export interface VerifyJob {
  id: number
  key: { key: KeyObject; keyId: string }
  message: SignedBatch
}

/** A worker's answer: one refusal (or null: signed by the node) per event, in order. */
export interface VerifyResult {
  id: number
  refusals: (EventRefusal | null)[]
}

/**
 * Signature verifications done on the event loop itself per turn before the rest go to the worker
 * threads (a message signed as a whole is one; one signed event by event is one per event).
 */
export const VERIFY_INLINE_PER_TURN = 32

interface Pending {
  nodeId: string
  key: NodeKey | null
  message: SignedBatch
  refusals: (EventRefusal | null)[] | null
  done: (refusals: (EventRefusal | null)[]) => void
}

interface PoolWorker {
  thread: Worker
  jobs: Map<number, Pending>
}

/** The worker's entry, loaded through tsx when the controller itself runs from TypeScript. */
function spawn(): Worker {
  const file = new URL(
    `./verify-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
    import.meta.url,
  )
  if (!file.pathname.endsWith('.ts')) return new Worker(file)
  const code = `import('tsx/esm/api').then((m) => m.register()).then(() => import(${JSON.stringify(file.href)}))`
  return new Worker(code, { eval: true })
}

/**
 * Event signatures checked off the event loop: an Ed25519 verification costs about 100 µs of
 * CPU, which alone caps one thread below 10,000 events/s. While the controller is quiet, events
 * are checked inline (no thread is started); once more than `inlinePerTurn` arrive within one
 * turn of the event loop, the rest go to `threads` worker threads (started on first use). Each
 * caller's `done` runs in the order the messages arrived, whichever thread checked them. A
 * worker that dies has its jobs checked inline; the next job starts a new one.
 */
export function createVerifyPool(deps: {
  /** Worker threads (0: every signature is checked on the event loop). */
  threads: number
  log: Logger
  inlinePerTurn?: number
}) {
  const log = deps.log.child({ module: 'verify-pool' })
  const inlinePerTurn = deps.inlinePerTurn ?? VERIFY_INLINE_PER_TURN
  const workers: (PoolWorker | null)[] = Array.from({ length: deps.threads }, () => null)
  const queue: Pending[] = []
  let nextId = 1
  let next = 0
  let inlineThisTurn = 0
  let turn: NodeJS.Immediate | null = null
  let idle: (() => void)[] = []
  const stats = { inline: 0, threaded: 0, workersStarted: 0, workerFailures: 0 }

  const inline = (p: Pending) => checkBatchSignatures(p.key, p.message)

  /** Calls `done` of every job at the head of the queue that has its answer. */
  function settle(): void {
    while (queue.length > 0 && queue[0]?.refusals) {
      const p = queue.shift() as Pending
      try {
        p.done(p.refusals as (EventRefusal | null)[])
      } catch (err) {
        log.error({ err, nodeId: p.nodeId }, 'verified events not handled')
      }
    }
    if (queue.length === 0) {
      const waiting = idle
      idle = []
      for (const w of waiting) w()
    }
  }

  function fail(w: PoolWorker, slot: number, err: unknown): void {
    if (workers[slot] !== w) return
    workers[slot] = null
    stats.workerFailures++
    log.error({ err, jobs: w.jobs.size }, 'signature worker failed; its events are checked inline')
    for (const p of w.jobs.values()) p.refusals = inline(p)
    w.jobs.clear()
    void w.thread.terminate()
    settle()
  }

  function worker(): PoolWorker {
    const slot = next++ % workers.length
    const existing = workers[slot]
    if (existing) return existing
    const w: PoolWorker = { thread: spawn(), jobs: new Map() }
    workers[slot] = w
    stats.workersStarted++
    w.thread.on('message', (r: VerifyResult) => {
      const p = w.jobs.get(r.id)
      if (!p) return
      w.jobs.delete(r.id)
      p.refusals = r.refusals
      settle()
    })
    w.thread.on('error', (err) => fail(w, slot, err))
    w.thread.on('exit', (code) => fail(w, slot, new Error(`exited with ${code}`)))
    // A worker with nothing to do does not keep the process alive.
    w.thread.unref()
    return w
  }

  function drained(): Promise<void> {
    if (queue.length === 0) return Promise.resolve()
    return new Promise((resolve) => idle.push(resolve))
  }

  return {
    /**
     * Checks the signatures of one message (signed as a whole, or event by event) by `key` (the
     * node's registered key, null: none) and calls `done` with one refusal or null per event,
     * after every earlier message's.
     */
    check(
      nodeId: string,
      key: NodeKey | null,
      message: SignedBatch,
      done: (refusals: (EventRefusal | null)[]) => void,
    ): void {
      const p: Pending = { nodeId, key, message, refusals: null, done }
      const cost = verificationsOf(message)
      turn ??= setImmediate(() => {
        turn = null
        inlineThisTurn = 0
      })
      const threaded = workers.length > 0 && key !== null && inlineThisTurn + cost > inlinePerTurn
      if (!threaded) {
        inlineThisTurn += cost
        stats.inline += cost
        p.refusals = inline(p)
        if (queue.length === 0) {
          p.done(p.refusals)
          return
        }
        queue.push(p)
        settle()
        return
      }
      stats.threaded += cost
      queue.push(p)
      const w = worker()
      const id = nextId++
      w.jobs.set(id, p)
      const job: VerifyJob = { id, key, message }
      w.thread.postMessage(job)
    },
    /** Resolves once every message handed to `check` has had its `done` called. */
    drained,
    stats: () => ({ ...stats, queued: queue.length }),
    /** Waits for the jobs under way, then ends the worker threads. */
    async stop(): Promise<void> {
      await drained()
      if (turn) clearImmediate(turn)
      turn = null
      const all = workers.filter((w): w is PoolWorker => w !== null)
      workers.fill(null)
      await Promise.all(all.map((w) => w.thread.terminate()))
    },
  }
}

/** The signature-checking pool. */
export type VerifyPool = ReturnType<typeof createVerifyPool>
