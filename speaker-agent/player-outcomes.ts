/**
 * @module player-outcomes
 * How the player reports what became of an item that did not simply play to its end: failed
 * (`play.failed`: late, download, decode, sink, interrupted before a sound), cut while sounding
 * (`play.interrupted`), or preempted before any sound went out; and which of those get another
 * turn (the rules of `player.ts`'s doc comment).
 */
import type { Logger } from 'pino'
import { isAudioError, type Prepared } from '../audio/index.js'
import type { PlanItem, PlayFailureReason } from '../protocol/index.js'
import { type Clock, isoAt } from './clock.js'
import { errorMessage, failureReasonOf } from './errors.js'
import { asReason, type ReportEvent, stampEvent } from './events.js'
import {
  type Due,
  holdsProgramme,
  interruptReason,
  isAnnouncement,
  isLive,
} from './player-rules.js'
import { baseOf, type PlayBase } from './player-sound.js'
import type { Preparation } from './preroll.js'

/** What the speaker is doing: a plan item or a test tone, and why it is being stopped. */
export type Current =
  | { kind: 'item'; due: Due; controller: AbortController; why?: string; by?: PlanItem }
  | { kind: 'adhoc'; name: string; controller: AbortController; why?: string }

/** The player's state that outcomes read and change (shared with its scheduling loop). */
export interface PlayerState {
  /** Items due and waiting to start. */
  readonly queue: Due[]
  /** Items that have an outcome or are playing: never armed again under a new plan. */
  readonly handled: Set<string>
  current(): Current | null
}

export function createOutcomes(deps: {
  state: PlayerState
  clock: Clock
  report: ReportEvent
  log: Logger
  lateToleranceMs: number
  /** Forgets an item's preparation (its decoder and output are closed). */
  dropPreroll: (itemId: string) => void
}) {
  const { state, clock, report, log, lateToleranceMs } = deps
  const currentItem = (): PlanItem | null => {
    const c = state.current()
    return c?.kind === 'item' ? c.due.item : null
  }

  function fail(due: Due, reason: PlayFailureReason, error: unknown): void {
    state.handled.add(due.item.itemId)
    deps.dropPreroll(due.item.itemId)
    const body = {
      type: 'play.failed' as const,
      ...baseOf(due.item),
      reason: asReason(reason),
      error: errorMessage(error),
    }
    log.warn({ itemId: body.itemId, reason, error: body.error }, 'item not played')
    report(stampEvent(clock, body))
  }

  function lateBy(due: Due, now: number): string {
    const by = currentItem()
    const held =
      by && by.itemId !== due.item.itemId
        ? `: ${by.itemId} (priority ${by.priority}) was playing`
        : by
          ? ': its audio and output were not ready in time'
          : ''
    return `could not start within ${lateToleranceMs} ms (now ${now - due.startMs} ms after)${held}`
  }

  function failPreparation(due: Due, p: Extract<Preparation, { ok: false }>): void {
    if (p.stage === 'download') fail(due, failureReasonOf(p.err, 'download'), p.err)
    else fail(due, isAudioError(p.err, 'AUDIO_DECODE') ? 'decode' : 'sink', p.err)
  }

  /**
   * Preempted or stopped before any sound went out: preemption gives it another chance (it is
   * reported late if it cannot start in time); shutdown leaves it to the next start.
   */
  function notStarted(due: Due, prepared: Prepared | undefined): void {
    prepared?.abort()
    const why = state.current()?.why
    state.handled.delete(due.item.itemId)
    if (why === 'preempted') state.queue.push(due)
    else if (why !== 'agent stopping') fail(due, 'interrupted', why)
  }

  /** Reports a sounding item cut off, and lines it up again when the rules say it resumes. */
  function cut(due: Due, actualStart: number, base: PlayBase): void {
    const current = state.current()
    const why = current?.why ?? 'aborted'
    const by = current?.kind === 'item' ? current.by : undefined
    const endedAt = clock.now()
    report(
      stampEvent(clock, {
        type: 'play.interrupted',
        ...base,
        startedAt: isoAt(actualStart),
        endedAt: isoAt(endedAt),
        playedMs: Math.max(0, Math.round(endedAt - actualStart)),
        reason: interruptReason(why),
        ...(by ? { byItemId: by.itemId } : {}),
      }),
    )
    log.info({ itemId: due.item.itemId, why, by: by?.itemId }, 'playback interrupted')
    if (why !== 'preempted' || !by) return
    if (isLive(due.item)) {
      // A live session cut by a higher item joins its stream again where it is, once free.
      state.handled.delete(due.item.itemId)
      state.queue.push({ ...due, join: false, cut: true })
    } else if (isAnnouncement(due.item)) {
      state.handled.delete(due.item.itemId)
      state.queue.push({ item: due.item, startMs: due.startMs })
    } else if (holdsProgramme(by)) {
      state.queue.push({ item: due.item, startMs: due.startMs, join: true, cut: true })
    }
  }

  return { currentItem, fail, lateBy, failPreparation, notStarted, cut }
}
