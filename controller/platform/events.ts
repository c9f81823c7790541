import { EventEmitter } from 'node:events'
import type { Logger } from 'pino'

/** A node's presence changed (or its details did): the web UI refreshes that node. */
export interface NodeChanged {
  nodeId: string
}

/** A newly stored play-related event. */
export interface PlayReported {
  nodeId: string
  eventId: string
  itemId: string | null
  type: string
  at: string
  date: string | null
  reason: string | null
  /** play.started: how late (positive) or early the start was, in ms. */
  deviationMs?: number
}

/** A node went online or offline. */
export interface Transition {
  nodeId: string
  from: 'online' | 'offline'
  to: 'online' | 'offline'
  at: string
  reason: string
}

/** An agent acknowledged a command. */
export interface CommandAcked {
  nodeId: string
  cmdId: string
  status: 'ok' | 'error' | 'expired'
  at: string
  error: string | null
  result: Record<string, unknown> | null
}

/** A node refused a plan or a command (its `plan.rejected` / `cmd.rejected` event). */
export interface MessageRejected {
  nodeId: string
  channel: 'plan' | 'cmd'
  /** The plan version or command id, when the node could read it. */
  id: string | null
  reason: string
  /** `stored`: a plan found altered on the node's disk at start. */
  source: 'received' | 'stored'
  error: string | null
  at: string
}

/** What a programme write changed (templates, a date, the calendar, columns, announcements, audio). */
export interface ProgrammeChange {
  what: 'template' | 'day' | 'calendar' | 'column' | 'announcement' | 'audio'
  /**
   * The dates whose plans may change: `all` for every date plans cover, `[]` for none (a change
   * that plans do not use, such as a new column). A template maps to the dates of its day type.
   */
  dates: readonly string[] | 'all'
  /** The zones whose nodes' plans may change (an announcement's), or `all`. */
  zones: readonly string[] | 'all'
  /** For the log: what was saved. */
  reason: string
  /** Publish without waiting for more changes to coalesce (an announcement going out now). */
  urgent?: boolean
}

/** Every event on the controller's one bus (STYLE rule 3). */
export interface ControllerEvents {
  nodeChanged: [NodeChanged]
  playReported: [PlayReported]
  /** Zones were created, changed or deleted (the tree the UI and targeting read). */
  zonesChanged: [{ zoneIds: string[] }]
  audioAdded: [{ audioId: string }]
  transition: [Transition]
  commandAcked: [CommandAcked]
  commandChanged: [{ commandId: string; nodeId: string; batchId: string | null }]
  alertChanged: [{ alertId: string }]
  incidentChanged: [{ incidentId: string }]
  /** Title or column of a recording edited, or the recording deleted. */
  audioChanged: [{ audioId: string }]
  /**
   * A programme write committed: the one signal of a change that may alter plans (plan
   * publication listens) and that the web UI refetches on (the live stream).
   */
  programmeChanged: [ProgrammeChange]
  /** Plan publication failed, or built again after failing (the alerts evaluate again). */
  planPublicationChanged: [{ failed: boolean }]
  /** An announcement was created, cancelled, acknowledged or reported on by a node. */
  announcementChanged: [{ announcementId: string }]
  /** A node reported holding a plan version (its `plan.applied` event). */
  planApplied: [{ nodeId: string; version: string; at: string }]
  /** A node refused a plan or a command. */
  messageRejected: [MessageRejected]
  /** A node sent a readiness report. */
  readinessChanged: [{ nodeId: string }]
  /**
   * A user's access changed or ended (roles, zones, disabled, deleted, password, logout, a token
   * revoked): open live streams check their credentials again at once.
   */
  accessChanged: [{ userId: string }]
}

/** Listener failures by event and listener name, for `/metrics`. */
export interface ListenerErrors {
  event: string
  listener: string
  count: number
}

/** The controller's typed event bus: listeners are isolated from each other and from the emitter. */
export type EventBus = EventEmitter<ControllerEvents> & {
  /** Listener exceptions and rejections so far (never thrown to the emitter). */
  listenerErrors(): ListenerErrors[]
}

type AnyListener = ((...args: unknown[]) => unknown) & {
  listener?: (...args: unknown[]) => unknown
}

/** A listener's name for logs and metrics: the function's own (a `once` wrapper's target's). */
function listenerName(fn: AnyListener): string {
  return fn.listener?.name || fn.name || 'anonymous'
}

/**
 * Creates the bus; every service and the SSE stream share this one. `emit` calls each listener in
 * turn: one that throws (or whose promise rejects) is logged with the event's name and counted,
 * and the emitter goes on to the next listener. A listener can thus never stop ingestion (which
 * emits inside a timer) nor the process.
 */
export function createEventBus(deps: { log?: Logger } = {}): EventBus {
  const bus = new EventEmitter<ControllerEvents>()
  // The SSE stream adds one listener per open browser tab.
  bus.setMaxListeners(1000)
  const log = deps.log?.child({ module: 'bus' })
  const errors = new Map<string, ListenerErrors>()
  const failed = (event: string, fn: AnyListener, err: unknown) => {
    const listener = listenerName(fn)
    const key = `${event}\u0000${listener}`
    const e = errors.get(key) ?? { event, listener, count: 0 }
    e.count++
    errors.set(key, e)
    log?.error({ err, event, listener }, 'bus listener failed')
  }
  const untyped = bus as unknown as EventEmitter
  untyped.emit = (event: string | symbol, ...args: unknown[]): boolean => {
    const listeners = untyped.rawListeners(event) as AnyListener[]
    for (const fn of listeners) {
      try {
        const r = fn.apply(bus, args)
        if (r instanceof Promise) r.catch((err: unknown) => failed(String(event), fn, err))
      } catch (err) {
        failed(String(event), fn, err)
      }
    }
    return listeners.length > 0
  }
  return Object.assign(bus, { listenerErrors: () => [...errors.values()].map((e) => ({ ...e })) })
}
