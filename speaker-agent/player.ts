import type { Logger } from 'pino'
import { isAudioError, type PlayResult, type Sink } from '../audio/index.js'
import type { PlanItem, PlanMessage, PlayFailureReason } from '../protocol/index.js'
import type { AudioCache } from './audio-cache.js'
import { type Clock, isoAt } from './clock.js'
import { errorMessage, failureReasonOf } from './errors.js'
import { asReason, type ReportEvent, stampEvent } from './events.js'

/** Dependencies of createPlayer. */
export interface PlayerDeps {
  clock: Clock
  sink: Pick<Sink, 'play'>
  cache: Pick<AudioCache, 'ensure'>
  report: ReportEvent
  log: Logger
  /** An item that cannot start within this many ms of its instant is reported `late`. */
  lateToleranceMs: number
  /** Current output volume 0..100, read when each playback starts. */
  getVolume: () => number
}

/** Plays plan items at their instants through a sink, one at a time. */
export interface Player {
  /** Replaces the plan: cancels the old timers and arms one per coming item. */
  setPlan(plan: PlanMessage): void
  /** Id of the item playing now (`adhoc:<name>` for a test tone), or null. */
  playing(): string | null
  /** Aborts the running playback (reported `interrupted`); returns what was stopped. */
  stopPlayback(): string | null
  /** Plays a file that is not in the plan (a test tone) when nothing else plays. */
  playAdhoc(file: string, name: string): Promise<PlayResult>
  /** Aborts playback, clears every timer and waits for the running item to settle. */
  stop(): Promise<void>
}

interface Due {
  item: PlanItem
  startMs: number
}

type Current =
  | { kind: 'item'; due: Due; controller: AbortController; why?: 'preempted' | string }
  | { kind: 'adhoc'; name: string; controller: AbortController; why?: string }

/**
 * Creates the player. Decisions, in order (each item is reported at most once per process):
 * - an item whose instant is ahead gets a timer at exactly its instant; audio is prefetched
 *   beforehand, so at fire time `cache.ensure` is a cache hit and the ffmpeg spawn is the only delay;
 * - an item whose instant passed less than `lateToleranceMs` ago is started at once;
 * - an item whose instant passed longer ago but which would still be sounding (instant + duration
 *   + tolerance not yet reached) is reported `late` once: the node missed it (down, or the plan came
 *   late);
 * - an item that ended long ago is ignored: before this process knew of it, it is history;
 * - while one item plays, a due item of higher priority preempts it (the running one is reported
 *   `interrupted`); otherwise the due item waits and is reported `late` once it can no longer start
 *   within the tolerance. Any scheduled item preempts a test tone.
 */
export function createPlayer(deps: PlayerDeps): Player {
  const { clock, sink, cache, report, lateToleranceMs, getVolume } = deps
  const log = deps.log
  const timers = new Map<string, () => void>()
  const deadlines = new Map<string, () => void>()
  const handled = new Set<string>()
  const queue: Due[] = []
  let current: Current | null = null
  let running: Promise<unknown> | undefined
  let stopped = false

  function fail(due: Due, reason: PlayFailureReason, error: unknown): void {
    handled.add(due.item.itemId)
    const body = {
      type: 'play.failed' as const,
      itemId: due.item.itemId,
      audioId: due.item.audioId,
      scheduledAt: due.item.startAt,
      reason: asReason(reason),
      error: errorMessage(error),
    }
    log.warn({ itemId: body.itemId, reason, error: body.error }, 'item not played')
    report(stampEvent(clock, body))
  }

  function lateBy(due: Due, now: number): string {
    return `could not start within ${lateToleranceMs} ms (now ${now - due.startMs} ms after)`
  }

  function onDue(due: Due): void {
    timers.delete(due.item.itemId)
    queue.push(due)
    pump()
  }

  function pump(): void {
    if (stopped) return
    const now = clock.now()
    for (let i = queue.length - 1; i >= 0; i--) {
      const due = queue[i] as Due
      if (now - due.startMs > lateToleranceMs) {
        queue.splice(i, 1)
        fail(due, 'late', lateBy(due, now))
      }
    }
    if (queue.length === 0) return
    queue.sort((a, b) => b.item.priority - a.item.priority || a.startMs - b.startMs)
    const best = queue[0] as Due
    if (current) {
      if (current.kind === 'adhoc') abortCurrent('preempted by a scheduled item')
      else if (best.item.priority > current.due.item.priority) abortCurrent('preempted')
      for (const due of queue) armDeadline(due)
      return
    }
    queue.shift()
    deadlines.get(best.item.itemId)?.()
    deadlines.delete(best.item.itemId)
    const controller = new AbortController()
    current = { kind: 'item', due: best, controller }
    handled.add(best.item.itemId)
    running = playItem(best, controller)
      .catch((err: unknown) => log.error({ err, itemId: best.item.itemId }, 'player failed'))
      .finally(release)
  }

  function release(): void {
    current = null
    running = undefined
    pump()
  }

  function armDeadline(due: Due): void {
    if (deadlines.has(due.item.itemId)) return
    const cancel = clock.setTimer(due.startMs + lateToleranceMs + 1, () => {
      deadlines.delete(due.item.itemId)
      pump()
    })
    deadlines.set(due.item.itemId, cancel)
  }

  function playing(): string | null {
    if (!current) return null
    return current.kind === 'item' ? current.due.item.itemId : `adhoc:${current.name}`
  }

  function abortCurrent(why: string): string | null {
    if (!current) return null
    if (current.why === undefined) {
      current.why = why
      current.controller.abort()
    }
    return playing()
  }

  async function playItem(due: Due, controller: AbortController): Promise<void> {
    const { item, startMs } = due
    let file: string
    try {
      file = await cache.ensure(item)
    } catch (err) {
      fail(due, failureReasonOf(err, 'download'), err)
      return
    }
    if (controller.signal.aborted) {
      const why = current?.why
      // Preempted or stopped before any sound went out: preemption gives it another chance (it
      // is reported late if it cannot start in time); shutdown leaves it to the next start.
      handled.delete(item.itemId)
      if (why === 'preempted') queue.push(due)
      else if (why !== 'agent stopping') fail(due, 'interrupted', why)
      return
    }
    const actualStart = clock.now()
    if (actualStart - startMs > lateToleranceMs) {
      fail(due, 'late', lateBy(due, actualStart))
      return
    }
    const base = { itemId: item.itemId, audioId: item.audioId, scheduledAt: item.startAt }
    report(stampEvent(clock, { type: 'play.started', ...base, deviationMs: actualStart - startMs }))
    log.info({ itemId: item.itemId, deviationMs: actualStart - startMs }, 'playing')
    const volume = getVolume()
    try {
      const name = item.itemId.replaceAll('/', '_')
      const r = await sink.play(file, { name, volume, signal: controller.signal })
      report(
        stampEvent(clock, {
          type: 'play.finished',
          ...base,
          startedAt: isoAt(r.startedAt),
          endedAt: isoAt(r.endedAt),
          playedMs: Math.max(0, Math.round(r.playedMs)),
          sha256: item.sha256,
          volume,
          rmsDb: finiteOrNull(r.rmsDb),
          peakDb: finiteOrNull(r.peakDb),
        }),
      )
    } catch (err) {
      if (controller.signal.aborted || (err as Error).name === 'AbortError') {
        const why = current?.why ?? 'aborted'
        fail(due, 'interrupted', why === 'preempted' ? 'preempted by a higher priority item' : why)
      } else {
        fail(due, isAudioError(err, 'AUDIO_DECODE') ? 'decode' : 'sink', err)
      }
    }
  }

  return {
    setPlan(plan) {
      if (stopped) return
      for (const cancel of [...timers.values(), ...deadlines.values()]) cancel()
      timers.clear()
      deadlines.clear()
      queue.length = 0
      const ids = new Set(plan.items.map((i) => i.itemId))
      for (const id of handled) if (!ids.has(id)) handled.delete(id)
      const now = clock.now()
      for (const item of plan.items) {
        const playingNow = current?.kind === 'item' && current.due.item.itemId === item.itemId
        if (handled.has(item.itemId) || playingNow) continue
        const due: Due = { item, startMs: Date.parse(item.startAt) }
        if (due.startMs > now) {
          timers.set(
            item.itemId,
            clock.setTimer(due.startMs, () => onDue(due)),
          )
        } else if (now - due.startMs <= lateToleranceMs) {
          queue.push(due)
        } else if (now < due.startMs + item.durationMs + lateToleranceMs) {
          fail(due, 'late', lateBy(due, now))
        }
      }
      pump()
    },
    playing,
    stopPlayback: () => abortCurrent('stopped by command'),
    async playAdhoc(file, name) {
      if (stopped) throw new Error('player is stopped')
      if (current) throw new Error(`busy: ${playing()} is playing`)
      const controller = new AbortController()
      current = { kind: 'adhoc', name, controller }
      const play = sink.play(file, { name, volume: getVolume(), signal: controller.signal })
      running = play.catch(() => undefined)
      try {
        return await play
      } finally {
        release()
      }
    },
    async stop() {
      stopped = true
      for (const cancel of [...timers.values(), ...deadlines.values()]) cancel()
      timers.clear()
      deadlines.clear()
      queue.length = 0
      abortCurrent('agent stopping')
      await running
    },
  }
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null
}
