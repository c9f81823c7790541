import type { Logger } from 'pino'
import type { Prepared } from '../audio/index.js'
import type { PlanItem } from '../protocol/index.js'
import { type Clock, isoAt } from './clock.js'
import { type ReportEvent, stampEvent } from './events.js'

/** The fields every play event of an item carries. */
export function baseOf(item: PlanItem) {
  return {
    itemId: item.itemId,
    audioId: item.audioId,
    scheduledAt: item.startAt,
    ...(item.drill ? { drill: true } : {}),
  }
}

/** The fields of a play event of `item` started `offsetMs` into its audio. */
export type PlayBase = ReturnType<typeof baseOf> & { offsetMs?: number }

/** How sounding a prepared item ended. */
export type Sounded =
  | { outcome: 'finished' }
  /** Aborted before its first sample was out. */
  | { outcome: 'not-started' }
  /** Aborted while sounding, after `play.started`. */
  | { outcome: 'cut'; actualStart: number }
  | { outcome: 'failed'; err: unknown }

/**
 * Starts a prepared item at `at` (fleet time), reports `play.started` once its first sample is
 * out (deviation from `instant`, or 0 when null: a segment resumed in progress) and
 * `play.finished` at its end. An abort of `signal` aborts the playback.
 */
export async function soundPrepared(a: {
  prepared: Prepared
  at: number
  instant: number | null
  signal: AbortSignal
  base: PlayBase
  sha256: string
  volume: number
  clock: Clock
  report: ReportEvent
  log: Logger
}): Promise<Sounded> {
  const { prepared, signal, base, clock, report } = a
  const abort = (): void => prepared.abort(signal.reason)
  signal.addEventListener('abort', abort, { once: true })
  try {
    const started = prepared.start(a.at)
    let actualStart: number
    try {
      actualStart = await started.firstSampleAt
    } catch (err) {
      return signal.aborted ? { outcome: 'not-started' } : { outcome: 'failed', err }
    }
    const deviationMs = a.instant === null ? 0 : Math.round(actualStart - a.instant)
    report(stampEvent(clock, { type: 'play.started', ...base, deviationMs }))
    a.log.info({ itemId: base.itemId, deviationMs, offsetMs: base.offsetMs ?? 0 }, 'playing')
    try {
      const r = await started.done
      report(
        stampEvent(clock, {
          type: 'play.finished',
          ...base,
          startedAt: isoAt(r.startedAt),
          endedAt: isoAt(r.endedAt),
          playedMs: Math.max(0, Math.round(r.playedMs)),
          sha256: a.sha256,
          volume: a.volume,
          rmsDb: finiteOrNull(r.rmsDb),
          peakDb: finiteOrNull(r.peakDb),
        }),
      )
      return { outcome: 'finished' }
    } catch (err) {
      if (signal.aborted || (err as Error).name === 'AbortError') {
        return { outcome: 'cut', actualStart }
      }
      return { outcome: 'failed', err }
    }
  } finally {
    signal.removeEventListener('abort', abort)
  }
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null
}
