/**
 * @module player-live
 * How the player sounds a live session's item (issue 13): it joins the stream (at once when the
 * speaker takes it up: the preparation made when `live.start` arrived, or a fresh join after a
 * cut), then releases the first sample at the instant the stream's media time sounds on every
 * node (`playAt` + where the stream joined), so all nodes are in step.
 */
import type { Logger } from 'pino'
import { isAudioError } from '../audio/index.js'
import type { Clock } from './clock.js'
import type { ReportEvent } from './events.js'
import type { createOutcomes } from './player-outcomes.js'
import type { Due } from './player-rules.js'
import { baseOf, soundPrepared } from './player-sound.js'

/** Plays `due` (a live item) until its stream ends, it is cut, or it fails. */
export async function playLive(
  a: {
    clock: Clock
    report: ReportEvent
    log: Logger
    getVolume: () => number
    outcomes: Pick<
      ReturnType<typeof createOutcomes>,
      'fail' | 'failPreparation' | 'notStarted' | 'cut'
    >
  },
  due: Due,
  controller: AbortController,
): Promise<void> {
  const { outcomes } = a
  if (!due.live) throw new Error(`${due.item.itemId} is not a live item`)
  const ready = await due.live()
  if (!ready.ok) return outcomes.failPreparation(due, ready)
  if (controller.signal.aborted) return outcomes.notStarted(due, ready.prepared)
  const base = { ...baseOf(due.item), ...(ready.offsetMs > 0 ? { offsetMs: ready.offsetMs } : {}) }
  const sounded = await soundPrepared({
    prepared: ready.prepared,
    at: ready.startAt,
    instant: ready.startAt,
    signal: controller.signal,
    base,
    sha256: due.item.sha256,
    volume: a.getVolume(),
    clock: a.clock,
    report: a.report,
    log: a.log,
  })
  if (sounded.outcome === 'not-started') outcomes.notStarted(due, undefined)
  else if (sounded.outcome === 'cut') outcomes.cut(due, sounded.actualStart, base)
  else if (sounded.outcome === 'failed') {
    const err = sounded.err
    outcomes.fail(due, isAudioError(err, 'AUDIO_DECODE') ? 'decode' : 'sink', err)
  }
}
