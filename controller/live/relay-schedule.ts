/**
 * @module live/relay-schedule
 * Relay items (转播) of the running orders, played by the controller: at an item's start (on the
 * controller's clock) it opens a relay session of the item's URL for the nodes the item reaches
 * (its zones; a zone's own order only that zone's nodes not below a zone with its own; a drill
 * order only test nodes), which the hub ends at the item's end (the session limit). Relay items never enter the agents' plan files
 * (they have no audio); the nodes hear them as any live session (docs/protocol.md "Live audio").
 * A source that stalls or fails before the end is tried again every RELAY_RETRY_MS; an item
 * removed or moved while it plays ends its session.
 */
import type { Logger } from 'pino'
import {
  addDays,
  createZonedTime,
  type PlanInputs,
  type ResolvedRelay,
  resolveRelays,
} from '../../schedules/index.js'
import type { EventBus } from '../platform/events.js'
import type { CancelTimer, Clock } from '../platform/time.js'
import type { LiveHub, LiveSession } from './hub.js'

/** How often the schedule looks for a relay that should start or end. */
export const RELAY_TICK_MS = 1000

/** How long after a relay's source failed (stalled, error) it is opened again. */
export const RELAY_RETRY_MS = 10_000

/** A relay item of one date: schedules' ResolvedRelay, whose key names its session. */
export type RelaySlot = ResolvedRelay

/** Whom a slot reaches, as the hub's targets read it (what must not change while it plays). */
export function slotReach(slot: RelaySlot) {
  return {
    audience: slot.audience,
    ...(slot.orderZone === undefined ? {} : { orderZone: slot.orderZone }),
    ...(slot.overriddenBy === undefined ? {} : { overriddenBy: slot.overriddenBy }),
    ...(slot.overriddenForTest === undefined ? {} : { overriddenForTest: slot.overriddenForTest }),
  }
}

/** The zones a slot's session is recorded under (the zone scope of its record). */
export function slotZones(slot: RelaySlot): string[] {
  if (slot.zones.length > 0) return [...slot.zones]
  return slot.orderZone === undefined ? [] : [slot.orderZone]
}

export interface RelayScheduleDeps {
  clock: Clock
  log: Logger
  bus: EventBus
  hub: Pick<LiveHub, 'open'>
  tz: string
  /** What shapes the programme of a local date (templates, the district's and zones' orders). */
  inputsOn: (date: string) => PlanInputs
}

export interface RelaySchedule {
  start(): void
  stop(): void
  /** The relay slots of today and tomorrow, as last read (tests, diagnostics). */
  slots(): RelaySlot[]
}

interface Running {
  slot: RelaySlot
  session: LiveSession | null
  /** When to try again after a failed open or a source that ended before the slot did. */
  retryAt: number
}

export function createRelaySchedule(deps: RelayScheduleDeps): RelaySchedule {
  const { clock, hub } = deps
  const log = deps.log.child({ module: 'relay-schedule' })
  const zone = createZonedTime(deps.tz)
  let slots: RelaySlot[] = []
  let readFor = ''
  let stale = true
  const running = new Map<string, Running>()
  let stopTick: CancelTimer | null = null

  function read(now: number): void {
    const today = zone.toLocalDate(now)
    if (!stale && readFor === today) return
    slots = [today, addDays(today, 1)].flatMap((date) =>
      resolveRelays(deps.inputsOn(date), date, zone.toInstant),
    )
    readFor = today
    stale = false
  }

  function open(r: Running, now: number): void {
    const { slot } = r
    try {
      r.session = hub.open({
        kind: 'relay',
        zones: slotZones(slot),
        reach: slotReach(slot),
        by: `schedule:${slot.key}`,
        maxMs: slot.endAt - now,
        source: { url: slot.url },
      })
      log.info({ item: slot.key, sessionId: r.session.id, zones: slotZones(slot) }, 'relay started')
    } catch (err) {
      r.session = null
      r.retryAt = now + RELAY_RETRY_MS
      log.warn({ err, item: slot.key }, 'relay could not start; trying again')
    }
  }

  function tick(): void {
    const now = clock.now()
    try {
      read(now)
    } catch (err) {
      log.error({ err }, 'relay items not read')
      return
    }
    const due = new Map(
      slots.filter((s) => s.startAt <= now && now < s.endAt).map((s) => [s.key, s]),
    )
    for (const [key, r] of running) {
      const slot = due.get(key)
      const moved =
        slot &&
        (slot.url !== r.slot.url ||
          slot.endAt !== r.slot.endAt ||
          JSON.stringify([slot.zones, slotReach(slot)]) !==
            JSON.stringify([r.slot.zones, slotReach(r.slot)]))
      if (slot && !moved) continue
      // Removed, moved or over: end what still plays. Over, the hub has usually ended it at its
      // limit already; when this tick comes first (a busy loop), the reason is the same: 'limit'.
      const over = !slot && now >= r.slot.endAt
      if (r.session && r.session.info().endedAt === null) r.session.end(over ? 'limit' : 'ended')
      running.delete(key)
    }
    for (const [key, slot] of due) {
      let r = running.get(key)
      if (!r) {
        r = { slot, session: null, retryAt: now }
        running.set(key, r)
      }
      const ended = r.session !== null && r.session.info().endedAt !== null
      if (ended && r.retryAt <= now) {
        // The source stalled or failed before the slot's end: try again in a while.
        r.retryAt = now + RELAY_RETRY_MS
        r.session = null
        continue
      }
      if (r.session === null && r.retryAt <= now) open(r, now)
    }
  }

  const onChange = () => {
    stale = true
    tick()
  }

  return {
    start() {
      deps.bus.on('programmeChanged', onChange)
      stopTick = clock.every(RELAY_TICK_MS, tick)
      tick()
    },
    stop() {
      deps.bus.off('programmeChanged', onChange)
      stopTick?.()
      stopTick = null
      for (const r of running.values()) {
        if (r.session && r.session.info().endedAt === null) r.session.end('ended')
      }
      running.clear()
    },
    slots: () => [...slots],
  }
}
