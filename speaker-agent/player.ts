/**
 * @module player
 * The speaker's one playback at a time: arms plan items, queues what is due by priority, preempts,
 * and hands each item to `player-item.ts` (plan items) or `player-live.ts` (live sessions).
 */
import type { PlanItem } from '../protocol/index.js'
import { playPlanItem } from './player-item.js'
import { playLive } from './player-live.js'
import { type Current, createOutcomes } from './player-outcomes.js'
import {
  compareDue,
  type Due,
  deadlineOf,
  holdsProgramme,
  isAnnouncement,
  slotEndOf,
} from './player-rules.js'
import { type Player, type PlayerDeps, RELEASE_LEAD_MS } from './player-types.js'
import { createPrerolls } from './preroll.js'

export { type Player, type PlayerDeps, RELEASE_LEAD_MS } from './player-types.js'

/**
 * Creates the player. Decisions, in order (docs/api.md "Priority order" states them for editors):
 * - an item whose instant is ahead is prepared PREROLL_MS before it (audio ensured, decoder
 *   started, output open, first PCM held: `preroll.ts`); a free speaker takes it up
 *   RELEASE_LEAD_MS early and the sink releases the first sample at the instant; a busy one
 *   considers it at its instant. `play.started` is reported when the first sample is out, its
 *   `deviationMs` the first sample's time minus the instant, both in fleet time;
 * - an item whose instant passed less than `lateToleranceMs` ago (an announcement: before its
 *   `latestStartAt`) is started at once; one that passed longer ago but would still be sounding is
 *   reported `late` once; one that ended long ago is history and ignored;
 * - while one item plays, a due item of higher priority preempts it: the cut item is reported
 *   `play.interrupted`. A due item of equal or lower priority waits its turn (equal priorities in
 *   order of their instants) and is reported `late`, naming what held it up, once it can no longer
 *   start in time; so nothing is dropped silently;
 * - a segment cut or held up by an announcement resumes in progress when the speaker is free again
 *   (joining where the programme would be, if at least MIN_RESUME_MS of its slot remain; otherwise
 *   a segment that never sounded is reported `interrupted`); an announcement cut by a higher one
 *   plays again from its start afterwards, until its `latestStartAt`;
 * - an announcement that disappears from the plan while it plays is stopped (`cancelled`);
 * - any scheduled item preempts a test tone.
 */
export function createPlayer(deps: PlayerDeps): Player {
  const { clock, sink, cache, report, lateToleranceMs, getVolume } = deps
  const log = deps.log
  const timers = new Map<string, () => void>()
  const deadlines = new Map<string, () => void>()
  /** Live items' timers (their instant; a stop's grace): kept across new plans. */
  const liveTimers = new Map<string, () => void>()
  const handled = new Set<string>()
  const queue: Due[] = []
  let current: Current | null = null
  let running: Promise<unknown> | undefined
  let stopped = false
  const prerolls = createPrerolls({
    clock,
    sink,
    cache,
    getVolume,
    log,
    ...(deps.prerollMs !== undefined ? { prerollMs: deps.prerollMs } : {}),
  })
  const outcomes = createOutcomes({
    state: { queue, handled, current: () => current },
    clock,
    report,
    log,
    lateToleranceMs,
    dropPreroll: (itemId) => prerolls.drop(itemId),
  })
  const { currentItem, fail, lateBy } = outcomes

  function onDue(due: Due): void {
    timers.delete(due.item.itemId)
    queue.push(due)
    pump()
  }

  /** RELEASE_LEAD_MS before the instant: a free speaker takes the item up; a busy one waits. */
  function onEarly(due: Due): void {
    if (!current && queue.length === 0) {
      onDue(due)
      return
    }
    timers.set(
      due.item.itemId,
      clock.setTimer(due.startMs, () => onDue(due)),
    )
  }

  /** Drops waiting items that can no longer start; segments held by an announcement will join. */
  function expire(now: number): void {
    const by = currentItem()
    for (let i = queue.length - 1; i >= 0; i--) {
      const due = queue[i] as Due
      if (now <= deadlineOf(due, lateToleranceMs)) continue
      queue.splice(i, 1)
      if (due.join) {
        // Its slot is (nearly) over: a segment that never sounded says why it did not.
        if (!due.cut) {
          fail(due, 'interrupted', `held up by ${by?.itemId ?? 'an announcement'} until its end`)
        }
      } else if (!holdsProgramme(due.item) && by && holdsProgramme(by)) {
        queue.push({ ...due, join: true })
      } else {
        fail(due, 'late', lateBy(due, now))
      }
    }
  }

  function pump(): void {
    if (stopped) return
    const now = clock.now()
    expire(now)
    expire(now) // a segment just turned into a joiner may already be past its slot
    if (queue.length === 0) return
    queue.sort(compareDue)
    const best = queue[0] as Due
    if (current) {
      if (current.kind === 'adhoc') abortCurrent('preempted by a scheduled item')
      else if (best.item.priority > current.due.item.priority) abortCurrent('preempted', best.item)
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
    const cancel = clock.setTimer(deadlineOf(due, lateToleranceMs) + 1, () => {
      deadlines.delete(due.item.itemId)
      pump()
    })
    deadlines.set(due.item.itemId, cancel)
  }

  function playing(): string | null {
    if (!current) return null
    return current.kind === 'item' ? current.due.item.itemId : `adhoc:${current.name}`
  }

  function abortCurrent(why: string, by?: PlanItem): string | null {
    if (!current) return null
    if (current.why === undefined) {
      current.why = why
      if (current.kind === 'item' && by) current.by = by
      current.controller.abort()
    }
    return playing()
  }

  function playItem(due: Due, controller: AbortController): Promise<void> {
    if (due.live) return playLive({ clock, report, log, getVolume, outcomes }, due, controller)
    return playPlanItem(
      { clock, sink, cache, report, log, getVolume, lateToleranceMs, prerolls, outcomes, queue },
      due,
      controller,
      (itemId) => deps.played?.add(itemId, clock.now()),
    )
  }

  return {
    setPlan(plan) {
      if (stopped) return
      for (const cancel of [...timers.values(), ...deadlines.values()]) cancel()
      timers.clear()
      deadlines.clear()
      const byId = new Map(plan.items.map((i) => [i.itemId, i]))
      // Segments waiting to resume after an announcement keep waiting under the new plan.
      const joining = queue.flatMap((d) => {
        if (d.live) return [d] // live items are not in plans
        const item = byId.get(d.item.itemId)
        return d.join && item ? [{ ...d, item }] : []
      })
      queue.length = 0
      queue.push(...joining)
      const joiningIds = new Set(joining.map((d) => d.item.itemId))
      for (const id of handled) if (!byId.has(id)) handled.delete(id)
      // A preparation survives a new plan that keeps its item's instant and audio.
      prerolls.retain((old) => {
        const next = byId.get(old.itemId)
        return next?.startAt === old.startAt && next.sha256 === old.sha256
      })
      const now = clock.now()
      const playingItem = currentItem()
      if (playingItem && !byId.has(playingItem.itemId) && isAnnouncement(playingItem)) {
        abortCurrent('cancelled')
      }
      for (const item of plan.items) {
        const id = item.itemId
        if (handled.has(id) || playingItem?.itemId === id || joiningIds.has(id)) continue
        if (isAnnouncement(item) && deps.played?.has(id)) continue
        const due: Due = { item, startMs: Date.parse(item.startAt) }
        if (due.startMs > now) {
          prerolls.arm(item, due.startMs)
          timers.set(
            id,
            clock.setTimer(due.startMs - RELEASE_LEAD_MS, () => onEarly(due)),
          )
        } else if (now <= deadlineOf(due, lateToleranceMs)) {
          queue.push(due)
        } else if (
          now <
          Math.max(slotEndOf(due), deadlineOf(due, lateToleranceMs)) + lateToleranceMs
        ) {
          fail(due, 'late', lateBy(due, now))
        }
      }
      pump()
    },
    playing,
    skip(itemIds) {
      for (const id of itemIds) handled.add(id)
    },
    stopPlayback: () => abortCurrent('stopped by command'),
    startLive(item, prepare) {
      if (stopped || handled.has(item.itemId) || liveTimers.has(item.itemId)) return
      const due: Due = { item, startMs: Date.parse(item.startAt), live: prepare }
      const id = item.itemId
      const due_ = (): void => {
        liveTimers.delete(id)
        onDue(due)
      }
      const take = (): void => {
        liveTimers.delete(id)
        if ((!current && queue.length === 0) || clock.now() >= due.startMs) onDue(due)
        else liveTimers.set(id, clock.setTimer(due.startMs, due_))
      }
      // Taken up like a plan item: RELEASE_LEAD_MS early by a free speaker, else at its instant.
      if (due.startMs - RELEASE_LEAD_MS > clock.now())
        liveTimers.set(item.itemId, clock.setTimer(due.startMs - RELEASE_LEAD_MS, take))
      else take()
    },
    stopLive(itemId, graceMs) {
      liveTimers.get(itemId)?.()
      liveTimers.delete(itemId)
      handled.add(itemId)
      for (let i = queue.length - 1; i >= 0; i--) {
        const due = queue[i] as Due
        if (due.item.itemId !== itemId) continue
        queue.splice(i, 1)
        if (!due.cut) fail(due, 'interrupted', 'the live session ended before it could sound')
      }
      if (currentItem()?.itemId !== itemId) return
      // What the node still holds of the stream plays out; a stream that does not end is cut.
      const playingNow = current
      liveTimers.set(
        `${itemId}/stop`,
        clock.setTimer(clock.now() + graceMs, () => {
          liveTimers.delete(`${itemId}/stop`)
          if (current === playingNow) abortCurrent('live session ended')
        }),
      )
    },
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
      prerolls.clear()
      for (const cancel of [...timers.values(), ...deadlines.values(), ...liveTimers.values()])
        cancel()
      liveTimers.clear()
      timers.clear()
      deadlines.clear()
      queue.length = 0
      abortCurrent('agent stopping')
      await running
    },
  }
}
