/**
 * @module now-playing
 * A small durable "now playing" marker, `<dataDir>/now-playing.json`, so that an item sounding
 * when the agent process dies (SIGKILL, power cut, OOM) still gets an outcome. It is written
 * atomically when `play.started` is reported, its mtime is touched every half second while the item
 * sounds (a heartbeat that costs no data write), and it is removed once the item's final event
 * (`play.finished`, `play.interrupted`, `play.failed`) is in the outbox. A marker found at start
 * becomes a `play.interrupted` event with reason `crash`, whose `playedMs` runs from the start to
 * the last heartbeat (so it is at most about half a second short of what went out).
 */
import { rm, stat, utimes } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from 'pino'
import type { AgentEvent } from '../protocol/index.js'
import { readJsonFile } from './atomic-file.js'
import { type Clock, isoAt } from './clock.js'
import { type PlayInterruptedEvent, stampEvent } from './events.js'
import { durableWriteFile, type WriteFile } from './file-writer.js'

/** How often the marker's mtime is touched while an item sounds. */
export const HEARTBEAT_MS = 500

const FILE = 'now-playing.json'

/** What the marker holds: the `play.started` event's facts. */
interface Marker {
  itemId: string
  audioId: string
  scheduledAt: string
  startedAt: string
  durationMs: number | null
  offsetMs?: number
  drill?: boolean
}

/** The marker of one agent. */
export interface NowPlaying {
  /**
   * Follows every reported event: `play.started` writes the marker, a final event of the same
   * item removes it once `stored` (the outbox write) resolved.
   */
  observe(event: AgentEvent, stored: Promise<void>): void
  /** The marker a dead process left, as a `play.interrupted` (`crash`) event; null if none. */
  recover(): Promise<PlayInterruptedEvent | null>
  /** Removes the marker (after the recovered event is stored). */
  clear(): Promise<void>
  /** Stops the heartbeat and waits for pending marker writes. */
  stop(): Promise<void>
}

/** Creates the marker for `dataDir`; `durationOf` gives an item's duration from the held plan. */
export function createNowPlaying(deps: {
  dataDir: string
  clock: Clock
  log: Logger
  durationOf: (itemId: string) => number | null
  /** Default: durable (fsynced) writes; the fleet simulator shares one writer. */
  writeFile?: WriteFile
}): NowPlaying {
  const path = join(deps.dataDir, FILE)
  const { clock, log } = deps
  let chain: Promise<void> = Promise.resolve()
  let current: string | null = null
  let cancelBeat: (() => void) | undefined

  function enqueue(what: string, task: () => Promise<void>): void {
    chain = chain.then(task).catch((err: unknown) => log.warn({ err, path }, `${what} failed`))
  }

  function beat(): void {
    cancelBeat = clock.setTimer(clock.now() + HEARTBEAT_MS, () => {
      if (current === null) return
      const at = new Date(clock.now())
      enqueue('now-playing heartbeat', () => utimes(path, at, at).catch(() => undefined))
      beat()
    })
  }

  function stopBeat(): void {
    cancelBeat?.()
    cancelBeat = undefined
  }

  return {
    observe(event, stored) {
      if (event.type === 'play.started') {
        current = event.itemId
        const marker: Marker = {
          itemId: event.itemId,
          audioId: event.audioId,
          scheduledAt: event.scheduledAt,
          startedAt: event.at,
          durationMs: deps.durationOf(event.itemId),
          ...(event.offsetMs !== undefined ? { offsetMs: event.offsetMs } : {}),
          ...(event.drill ? { drill: true } : {}),
        }
        const at = new Date(clock.now())
        enqueue('now-playing marker', async () => {
          await (deps.writeFile ?? durableWriteFile)(path, JSON.stringify(marker))
          await utimes(path, at, at)
        })
        stopBeat()
        beat()
        return
      }
      const final =
        event.type === 'play.finished' ||
        event.type === 'play.interrupted' ||
        event.type === 'play.failed'
      if (!final || event.itemId !== current) return
      current = null
      stopBeat()
      // Removed only once the outcome is durable: a crash in between still leaves a marker. The
      // outbox may hold it in memory for long (disk full): nothing waits for it meanwhile.
      stored.then(
        () =>
          enqueue('now-playing removal', async () => {
            if (current === null) await rm(path, { force: true })
          }),
        () => undefined,
      )
    },
    async recover() {
      let marker: Marker | undefined
      let lastAlive: number
      try {
        marker = (await readJsonFile(path)) as Marker | undefined
        if (!marker) return null
        lastAlive = (await stat(path)).mtimeMs
      } catch (err) {
        log.error({ err, path }, 'now-playing marker unreadable; removed')
        await rm(path, { force: true })
        return null
      }
      const startMs = Date.parse(marker.startedAt)
      if (typeof marker.itemId !== 'string' || Number.isNaN(startMs)) {
        await rm(path, { force: true })
        return null
      }
      const endMs = Math.max(startMs, Math.round(lastAlive))
      const left =
        marker.durationMs !== null ? marker.durationMs - (marker.offsetMs ?? 0) : Infinity
      const playedMs = Math.max(0, Math.min(endMs - startMs, left))
      const event = stampEvent(clock, {
        type: 'play.interrupted',
        itemId: marker.itemId,
        audioId: marker.audioId,
        scheduledAt: marker.scheduledAt,
        startedAt: marker.startedAt,
        endedAt: isoAt(startMs + playedMs),
        playedMs,
        reason: 'crash',
        ...(marker.offsetMs !== undefined ? { offsetMs: marker.offsetMs } : {}),
        ...(marker.drill ? { drill: true } : {}),
      }) as PlayInterruptedEvent
      log.warn(
        { itemId: marker.itemId, playedMs },
        'the agent died while playing; reported interrupted',
      )
      return event
    },
    clear: () => rm(path, { force: true }),
    async stop() {
      stopBeat()
      await chain
    },
  }
}
