/**
 * @module player-item
 * How the player sounds a plan item (a segment or an announcement; `player-live.ts` sounds live
 * items): takes its preparation (or prepares it now, or, for a segment joining in progress, from
 * where the programme is), checks it can still start, releases it at its instant and reports what
 * became of it.
 */
import type { Logger } from 'pino'
import { isAudioError, type Sink } from '../audio/index.js'
import type { AudioCache } from './audio-cache.js'
import type { Clock } from './clock.js'
import type { ReportEvent } from './events.js'
import type { createOutcomes } from './player-outcomes.js'
import { type Due, deadlineOf, isAnnouncement } from './player-rules.js'
import { baseOf, soundPrepared } from './player-sound.js'
import { type Preparation, type Prerolls, prepareItem } from './preroll.js'

/** Plays `due` (a plan item) until it ends, is cut, or fails; `finished` hears of an end. */
export async function playPlanItem(
  a: {
    clock: Clock
    sink: Pick<Sink, 'prepare'>
    cache: Pick<AudioCache, 'ensure'>
    report: ReportEvent
    log: Logger
    getVolume: () => number
    lateToleranceMs: number
    prerolls: Pick<Prerolls, 'drop' | 'take'>
    outcomes: Pick<
      ReturnType<typeof createOutcomes>,
      'fail' | 'lateBy' | 'failPreparation' | 'notStarted' | 'cut'
    >
    /** The player's queue of due items: a joiner too late to start goes back to it. */
    queue: Due[]
  },
  due: Due,
  controller: AbortController,
  finished: (itemId: string) => void,
): Promise<void> {
  const { clock, sink, cache, getVolume, prerolls, lateToleranceMs } = a
  const { fail, lateBy, failPreparation, notStarted, cut } = a.outcomes
  const { item, startMs } = due
  let ready: Preparation | undefined
  if (due.join) prerolls.drop(item.itemId)
  else ready = await (prerolls.take(item.itemId) ?? prepareItem({ sink, cache, getVolume }, item))
  if (ready !== undefined && !ready.ok) return failPreparation(due, ready)
  let prepared = ready?.prepared
  if (controller.signal.aborted) return notStarted(due, prepared)
  const now = clock.now()
  if (now > deadlineOf(due, lateToleranceMs)) {
    prepared?.abort()
    if (due.join)
      a.queue.push(due) // expire() decides whether it still says why
    else fail(due, 'late', lateBy(due, now))
    return
  }
  const offsetMs = due.join ? Math.min(Math.max(0, now - startMs), item.durationMs) : 0
  if (!prepared) {
    const resumed = await prepareItem({ sink, cache, getVolume }, item, offsetMs)
    if (!resumed.ok) return failPreparation(due, resumed)
    prepared = resumed.prepared
    if (controller.signal.aborted) return notStarted(due, prepared)
  }
  const base = { ...baseOf(item), ...(offsetMs > 0 ? { offsetMs } : {}) }
  const sounded = await soundPrepared({
    prepared,
    at: due.join ? clock.now() : startMs,
    instant: due.join ? null : startMs,
    signal: controller.signal,
    base,
    sha256: item.sha256,
    volume: getVolume(),
    clock,
    report: a.report,
    log: a.log,
  })
  if (sounded.outcome === 'finished') {
    if (isAnnouncement(item)) finished(item.itemId)
  } else if (sounded.outcome === 'not-started') notStarted(due, undefined)
  else if (sounded.outcome === 'cut') cut(due, sounded.actualStart, base)
  else fail(due, isAudioError(sounded.err, 'AUDIO_DECODE') ? 'decode' : 'sink', sounded.err)
}
