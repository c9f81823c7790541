/**
 * @module unsaved-events
 * Events the outbox could not write to disk (disk full, I/O error) are not dropped: they wait
 * here, in memory, in order, and are written again with backoff (0.5 s up to 5 s: local writes
 * are cheap) until the write succeeds; the agent is told at once (it frees space: abandons
 * downloads, evicts audio no plan needs) and says so in telemetry (`lowDisk`, `unsavedEvents`). Only a process exit while the
 * disk is still full loses them, and that is logged with their count.
 */
import type { Logger } from 'pino'
import { type BackoffOptions, backoffDelayMs } from './backoff.js'
import type { Clock } from './clock.js'

const BACKOFF: BackoffOptions = { baseMs: 500, capMs: 5000 }

interface Waiting {
  name: string
  data: string
  done: () => void
  lost: (err: Error) => void
}

/** Writes that failed, retried until they succeed. */
export interface UnsavedEvents {
  /** Writes `data` as `name`; on failure keeps it and resolves once a retry wrote it. */
  persist(name: string, data: string): Promise<void>
  /** Events waiting in memory. */
  count(): number
  /** Tries once more, then gives up the timer; returns how many are still unsaved. */
  stop(): Promise<number>
}

/** Creates the store; `write` is the outbox's atomic file write. */
export function createUnsavedEvents(deps: {
  clock: Clock
  log: Logger
  write: (name: string, data: string) => Promise<void>
  /** Told about each failed write (the first of a run, and each retry that fails). */
  onWriteFailed?: (err: unknown) => void
  random?: () => number
}): UnsavedEvents {
  const { clock, log } = deps
  const waiting: Waiting[] = []
  let attempt = 0
  let cancel: (() => void) | undefined
  let flushing: Promise<void> | undefined
  let stopped = false

  function hold(name: string, data: string): Promise<void> {
    return new Promise<void>((resolve, reject) =>
      waiting.push({ name, data, done: resolve, lost: reject }),
    )
  }

  async function flush(): Promise<void> {
    while (waiting.length > 0) {
      const next = waiting[0] as Waiting
      try {
        await deps.write(next.name, next.data)
      } catch (err) {
        deps.onWriteFailed?.(err)
        schedule(err)
        return
      }
      waiting.shift()
      attempt = 0
      next.done()
    }
    log.info('events held in memory are now on disk')
  }

  function schedule(err: unknown): void {
    if (stopped || cancel) return
    const delayMs = backoffDelayMs(attempt, BACKOFF, deps.random ?? Math.random)
    attempt++
    // Error once per run of failures; the retries every few seconds only at debug level.
    log[attempt === 1 ? 'error' : 'debug'](
      { err, unsaved: waiting.length, delayMs },
      'events cannot be written to disk; kept in memory, retrying',
    )
    cancel = clock.setTimer(clock.now() + delayMs, () => {
      cancel = undefined
      flushing ??= flush().finally(() => {
        flushing = undefined
      })
    })
  }

  return {
    async persist(name, data) {
      if (waiting.length === 0) {
        try {
          await deps.write(name, data)
          return
        } catch (err) {
          deps.onWriteFailed?.(err)
          const held = hold(name, data)
          schedule(err)
          return held
        }
      }
      // Keep the order: behind the ones already waiting.
      return hold(name, data)
    },
    count: () => waiting.length,
    async stop() {
      stopped = true
      cancel?.()
      cancel = undefined
      await flushing
      // One last attempt (no timer is armed once stopped).
      if (waiting.length > 0) await flush()
      const lost = waiting.length
      if (lost > 0) {
        log.error({ lost }, 'events could not be written before exit; lost')
        for (const w of waiting.splice(0)) w.lost(new Error('event not written before exit'))
      }
      return lost
    },
  }
}
