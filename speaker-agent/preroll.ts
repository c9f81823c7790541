import type { Logger } from 'pino'
import type { Prepared, Sink } from '../audio/index.js'
import type { PlanItem } from '../protocol/index.js'
import type { AudioCache } from './audio-cache.js'
import type { Clock } from './clock.js'

/** How long before its instant an item is prepared (audio ensured, decoder started, PCM held). */
export const PREROLL_MS = 2000

/** A preparation's outcome: ready to start, or why not (the stage decides the failure reason). */
export type Preparation =
  | { ok: true; prepared: Prepared }
  | { ok: false; stage: 'download' | 'prepare'; err: unknown }

/** Dependencies of createPrerolls. */
export interface PrerollDeps {
  clock: Clock
  sink: Pick<Sink, 'prepare'>
  cache: Pick<AudioCache, 'ensure'>
  log: Logger
  getVolume: () => number
  /** Default PREROLL_MS. */
  prerollMs?: number
}

/** Preparations of coming items, started `prerollMs` before each instant. */
export interface Prerolls {
  /** Prepares `item` at `startMs − prerollMs` (at once if that is past); keeps one per item. */
  arm(item: PlanItem, startMs: number): void
  /** Hands over the item's preparation (the caller must start or abort it), or undefined. */
  take(itemId: string): Promise<Preparation> | undefined
  /** Drops the item's preparation (aborting it). */
  drop(itemId: string): void
  /** Drops every preparation whose item is not in `keep` with the same instant and audio. */
  retain(keep: (item: PlanItem) => boolean): void
  /** Item ids armed or prepared. */
  ids(): string[]
  /** Drops everything. */
  clear(): void
}

interface Entry {
  item: PlanItem
  cancelTimer?: () => void
  preparation?: Promise<Preparation>
}

/** The file name a playback of `item` (from `offsetMs`) writes in a `wav` sink. */
export function playbackName(item: PlanItem, offsetMs = 0): string {
  return `${item.itemId.replaceAll('/', '_')}${offsetMs > 0 ? `_from${offsetMs}` : ''}`
}

/** Prepares `item` now: ensures its audio, then asks the sink to get ready. */
export async function prepareItem(
  deps: Pick<PrerollDeps, 'sink' | 'cache' | 'getVolume'>,
  item: PlanItem,
  offsetMs = 0,
): Promise<Preparation> {
  let file: string
  try {
    // Checked again before each play: a file damaged since it was verified is fetched anew or
    // fails with `checksum`, never played (audio-cache.ts, `verify`).
    file = await deps.cache.ensure(item, { verify: true })
  } catch (err) {
    return { ok: false, stage: 'download', err }
  }
  try {
    const opts = { name: playbackName(item, offsetMs), volume: deps.getVolume() }
    const prepared = await deps.sink.prepare(file, offsetMs > 0 ? { ...opts, offsetMs } : opts)
    return { ok: true, prepared }
  } catch (err) {
    return { ok: false, stage: 'prepare', err }
  }
}

/** Creates the preparations' bookkeeping; nothing runs until `arm`. */
export function createPrerolls(deps: PrerollDeps): Prerolls {
  const prerollMs = deps.prerollMs ?? PREROLL_MS
  const entries = new Map<string, Entry>()

  function release(entry: Entry): void {
    entry.cancelTimer?.()
    void entry.preparation?.then((p) => {
      if (p.ok) p.prepared.abort()
    })
  }

  function drop(itemId: string): void {
    const entry = entries.get(itemId)
    if (!entry) return
    entries.delete(itemId)
    release(entry)
  }

  return {
    arm(item, startMs) {
      if (entries.has(item.itemId)) return
      const entry: Entry = { item }
      entries.set(item.itemId, entry)
      entry.cancelTimer = deps.clock.setTimer(startMs - prerollMs, () => {
        entry.cancelTimer = undefined
        entry.preparation = prepareItem(deps, item)
        void entry.preparation.then((p) => {
          if (!p.ok) deps.log.debug({ itemId: item.itemId, stage: p.stage }, 'preroll failed')
        })
      })
    },
    take(itemId) {
      const entry = entries.get(itemId)
      if (!entry) return undefined
      entries.delete(itemId)
      entry.cancelTimer?.()
      return entry.preparation
    },
    drop,
    retain(keep) {
      for (const [id, entry] of entries) if (!keep(entry.item)) drop(id)
    },
    ids: () => [...entries.keys()],
    clear() {
      for (const id of [...entries.keys()]) drop(id)
    },
  }
}
