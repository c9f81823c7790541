/**
 * @module disk-guard
 * What an agent short of disk does: its own records (the outbox of reports, the plan) come
 * first. When one of their writes fails, running downloads are abandoned with their partial
 * files and audio no current plan needs is evicted, at most once every few seconds; the next
 * telemetry report says `lowDisk`, so the controller shows the node degraded. Downloads also
 * keep a reserve free (`audio-cache.ts`).
 */
import type { Logger } from 'pino'
import { type AudioCache, DISK_RESERVE_BYTES } from './audio-cache.js'
import type { Clock } from './clock.js'
import { errorMessage } from './errors.js'
import { freeDiskBytes } from './telemetry.js'

/** Least time between two rounds of freeing space. */
export const RELIEVE_EVERY_MS = 5000

/** The agent's reaction to failing writes. */
export interface DiskGuard {
  /** A write of the agent's own records failed: frees what it can (throttled). */
  writeFailed(err: unknown): void
  /** Frees what it can now and waits (before retrying a plan write). */
  relieve(): Promise<void>
}

/** Creates the guard. */
export function createDiskGuard(deps: {
  cache: Pick<AudioCache, 'abandonDownloads' | 'evict'>
  /** sha256 of every audio the held plan needs (kept). */
  needed: () => ReadonlySet<string>
  clock: Clock
  log: Logger
  /** Called after each round (the agent publishes telemetry). */
  onRelieved?: () => void
}): DiskGuard {
  const { clock, log } = deps
  let last = Number.NEGATIVE_INFINITY
  let running: Promise<void> | undefined

  function relieve(): Promise<void> {
    running ??= (async () => {
      last = clock.now()
      await deps.cache.abandonDownloads()
      await deps.cache.evict(deps.needed())
      log.warn('disk short: downloads abandoned, audio no plan needs evicted')
      deps.onRelieved?.()
    })()
      .catch((err: unknown) => log.error({ err }, 'could not free disk space'))
      .finally(() => {
        running = undefined
      })
    return running
  }

  return {
    writeFailed(err) {
      log.error({ err: errorMessage(err) }, 'a write of the node records failed')
      if (clock.now() - last < RELIEVE_EVERY_MS) return
      void relieve()
    },
    relieve,
  }
}

/** Telemetry's disk fields: free bytes, and short of disk (reserve gone, or events unsaved). */
export async function diskHealth(
  dataDir: string,
  unsavedEvents: number,
): Promise<{ freeDiskBytes: number | null; lowDisk: boolean; unsavedEvents: number }> {
  const free = await freeDiskBytes(dataDir)
  const lowDisk = unsavedEvents > 0 || (free !== null && free < DISK_RESERVE_BYTES)
  return { freeDiskBytes: free, lowDisk, unsavedEvents }
}
