import { writeFileAtomic } from './atomic-file.js'

/**
 * How an agent writes its frequently rewritten files: outbox events, plans, state, played and
 * missed logs, the now-playing marker, the command sequence floor. Injected (AgentOptions
 * `writeFile`); credentials and keys are always written durably.
 */
export type WriteFile = (path: string, data: string | Uint8Array) => Promise<void>

/** A real node's policy: every write atomic and fsynced before it resolves (atomic-file.ts). */
export const durableWriteFile: WriteFile = (path, data) => writeFileAtomic(path, data)

/** A writer shared by many simulated agents, with what it still has to write. */
export interface SharedWriter {
  write: WriteFile
  /** Writes queued or running. */
  pending(): number
  /** Writes asked for, and writes saved because a newer one to the same path replaced them. */
  stats(): { asked: number; coalesced: number }
}

/**
 * SIMULATION ONLY (fleet/run.ts): one writer for every agent of the simulator's process. Writes
 * stay atomic for readers (temporary file, rename) but are not fsynced, run at most `concurrency`
 * at a time (the thread pool stays free for the agents' other I/O), and a write queued for a path
 * is replaced by a newer one to the same path (both callers resolve when the newer lands). A
 * simulated node's "power loss" is the simulator's crash, which loses page-cache writes no real
 * node would; real nodes keep `durableWriteFile`.
 */
export function createSharedWriter(opts: { concurrency?: number } = {}): SharedWriter {
  const concurrency = Math.max(1, opts.concurrency ?? 2)
  type Job = { data: string | Uint8Array; done: { resolve(): void; reject(e: unknown): void }[] }
  const queued = new Map<string, Job>()
  /** Paths being written: a newer write to one waits, so the last asked is the last renamed. */
  const busy = new Set<string>()
  let asked = 0
  let coalesced = 0

  function nextJob(): [string, Job] | undefined {
    for (const entry of queued) if (!busy.has(entry[0])) return entry
    return undefined
  }

  function pump(): void {
    while (busy.size < concurrency) {
      const next = nextJob()
      if (!next) return
      const [path, job] = next
      queued.delete(path)
      busy.add(path)
      writeFileAtomic(path, job.data, 0o644, false)
        .then(
          () => {
            for (const d of job.done) d.resolve()
          },
          (err: unknown) => {
            for (const d of job.done) d.reject(err)
          },
        )
        .finally(() => {
          busy.delete(path)
          pump()
        })
    }
  }

  return {
    write(path, data) {
      asked++
      return new Promise<void>((resolve, reject) => {
        const existing = queued.get(path)
        if (existing) {
          coalesced++
          existing.data = data
          existing.done.push({ resolve, reject })
        } else {
          queued.set(path, { data, done: [{ resolve, reject }] })
        }
        pump()
      })
    },
    pending: () => queued.size + busy.size,
    stats: () => ({ asked, coalesced }),
  }
}
