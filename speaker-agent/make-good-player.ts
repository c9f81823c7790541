/**
 * @module make-good-player
 * Wires the make-good decisions (make-good.ts) around the player, which stays unaware of them.
 * On each plan load, on start (the stored plan), on every reconnect and whenever a segment's slot
 * is over, it reports each newly missed segment once (`play.missed`, kept across restarts) and
 * hands the player the plan plus make-good items in free gaps. The player's events about a
 * make-good are rewritten to name the missed segment, its original instant and `makeGood: true`.
 * A make-good whose start passed is not tried again until the next reconnect (then it is, under
 * a new attempt number, if it did not play).
 */
import type { Logger } from 'pino'
import type { AgentEvent, MissReason, PlanItem, PlanMessage } from '../protocol/index.js'
import { type Clock, isoAt } from './clock.js'
import { type ReportEvent, stampEvent } from './events.js'
import {
  chooseMakeGoods,
  findMisses,
  makeGoodItem,
  makeGoodOrigin,
  missReasonOf,
  nextSlotEnd,
} from './make-good.js'
import type { PlayedLog } from './played-log.js'
import type { Player } from './player.js'

/** Dependencies of createMakeGood. */
export interface MakeGoodDeps {
  clock: Clock
  /** Where events go (the outbox). */
  report: ReportEvent
  log: Logger
  lateToleranceMs: number
  /** Segments and announcements played to their end. */
  played: Pick<PlayedLog, 'has' | 'add'>
  /** Segments whose miss was reported. */
  missed: Pick<PlayedLog, 'has' | 'add'>
  /** Whether the MQTT session is up (a missing file while offline is an `offline` miss). */
  connected: () => boolean
}

/** The make-good layer: give the player `report`, then wrap it. */
export interface MakeGood {
  /** What the player reports through (rewrites make-good events, notes misses and plays). */
  report: ReportEvent
  /** The player as the rest of the agent uses it: `setPlan` adds make-goods. */
  wrap(player: Player): Player
  /** After a reconnect: checks again, and retries make-goods that began but did not play. */
  reconsider(): void
}

/** Creates the make-good layer. */
export function createMakeGood(deps: MakeGoodDeps): MakeGood {
  const { clock, lateToleranceMs } = deps
  const log = deps.log.child({ module: 'make-good' })
  const agentStartedAt = clock.now()
  const seen = new Map<string, MissReason>()
  /** Placed make-goods: original item id → start, epoch ms; and the attempt of each. */
  const placed = new Map<string, number>()
  const attempts = new Map<string, number>()
  let plan: PlanMessage | null = null
  let inner: Player | null = null
  let cancelCheck: (() => void) | null = null
  let stopped = false

  const itemOf = (itemId: string): PlanItem | undefined =>
    plan?.items.find((i) => i.itemId === itemId)

  function report(event: AgentEvent): void {
    if (!('itemId' in event)) {
      deps.report(event)
      return
    }
    const origin = makeGoodOrigin(event.itemId)
    if (origin !== null) {
      const item = itemOf(origin)
      if (event.type === 'play.finished') deps.played.add(origin, clock.now())
      deps.report({
        ...event,
        itemId: origin,
        ...(item ? { scheduledAt: item.startAt } : {}),
        makeGood: true,
        makeGoodAt: 'scheduledAt' in event ? event.scheduledAt : isoAt(clock.now()),
      } as AgentEvent)
      return
    }
    const item = itemOf(event.itemId)
    if (item && item.kind !== 'announcement') {
      if (event.type === 'play.finished') deps.played.add(event.itemId, clock.now())
      const reason = missReasonOf(event as { type: string; reason?: string }, deps.connected())
      if (reason) seen.set(event.itemId, reason)
    }
    deps.report(event)
  }

  function check(): void {
    if (stopped || !plan || !inner) return
    const now = clock.now()
    const playing = inner.playing()
    for (const miss of findMisses({
      now,
      items: plan.items,
      agentStartedAt,
      lateToleranceMs,
      played: (id) => deps.played.has(id),
      reported: (id) => deps.missed.has(id),
      seen: (id) => seen.get(id),
      playing,
    })) {
      deps.missed.add(miss.item.itemId, now)
      const { item } = miss
      log.info({ itemId: item.itemId, reason: miss.reason }, 'segment missed')
      deps.report(
        stampEvent(clock, {
          type: 'play.missed',
          itemId: item.itemId,
          audioId: item.audioId,
          scheduledAt: item.startAt,
          reason: miss.reason as never,
          ...(item.makeGoodUntil && Date.parse(item.makeGoodUntil) > now
            ? { makeGoodUntil: item.makeGoodUntil }
            : {}),
          ...(item.drill ? { drill: true } : {}),
        }),
      )
    }
    const fixed = new Map<string, number>()
    for (const [id, start] of placed) if (start <= now && itemOf(id)) fixed.set(id, start)
    const owed = plan.items.filter(
      (i) =>
        i.makeGoodUntil !== undefined &&
        Date.parse(i.makeGoodUntil) > now &&
        deps.missed.has(i.itemId) &&
        !deps.played.has(i.itemId),
    )
    const busyUntil = playing ? now + (itemOf(playing)?.durationMs ?? 0) : now
    const chosen = chooseMakeGoods({ now, items: plan.items, owed, fixed, busyUntil })
    placed.clear()
    for (const [id, start] of [...fixed, ...chosen]) placed.set(id, start)
    if (chosen.size > 0) log.info({ makeGoods: Object.fromEntries(chosen) }, 'make-goods planned')
    const extra = [...placed].flatMap(([id, start]) => {
      const item = itemOf(id)
      return item ? [makeGoodItem(item, start, attempts.get(id) ?? 1)] : []
    })
    inner.setPlan(extra.length > 0 ? { ...plan, items: [...plan.items, ...extra] } : plan)
    armCheck(now)
  }

  function armCheck(now: number): void {
    cancelCheck?.()
    cancelCheck = null
    const done = (id: string) => deps.played.has(id) || deps.missed.has(id)
    const at = plan ? nextSlotEnd(plan.items, now, lateToleranceMs, done) : null
    if (at !== null) cancelCheck = clock.setTimer(at, safeCheck)
  }

  function safeCheck(): void {
    try {
      check()
    } catch (err) {
      log.error({ err }, 'make-good check failed')
    }
  }

  /** After a reconnect: make-goods that began but did not play may be tried again. */
  function retry(): void {
    const now = clock.now()
    const sounding = makeGoodOrigin(inner?.playing() ?? '')
    for (const [id, start] of placed) {
      if (start > now || deps.played.has(id) || id === sounding) continue
      placed.delete(id)
      attempts.set(id, (attempts.get(id) ?? 1) + 1)
    }
    safeCheck()
  }

  return {
    report,
    reconsider: retry,
    wrap(player) {
      inner = player
      return {
        setPlan(next) {
          plan = next
          try {
            check()
          } catch (err) {
            log.error({ err }, 'make-good check failed; plan armed without make-goods')
            if (!stopped) player.setPlan(next)
          }
        },
        playing: () => player.playing(),
        skip: (itemIds) => player.skip(itemIds),
        stopPlayback: () => player.stopPlayback(),
        playAdhoc: (file, name) => player.playAdhoc(file, name),
        startLive: (item, prepare) => player.startLive(item, prepare),
        stopLive: (itemId, graceMs) => player.stopLive(itemId, graceMs),
        async stop() {
          stopped = true
          cancelCheck?.()
          await player.stop()
        },
      }
    },
  }
}
