import { EventEmitter } from 'node:events'

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

/** Every event on the controller's one bus (STYLE rule 3). */
export interface ControllerEvents {
  nodeChanged: [NodeChanged]
  playReported: [PlayReported]
  planChanged: [{ nodeIds: string[] }]
  /** Zones were created, changed or deleted (the tree the UI and targeting read). */
  zonesChanged: [{ zoneIds: string[] }]
  dayChanged: [{ date: string }]
  audioAdded: [{ audioId: string }]
  transition: [Transition]
  commandAcked: [CommandAcked]
  commandChanged: [{ commandId: string; nodeId: string; batchId: string | null }]
  alertChanged: [{ alertId: string }]
  incidentChanged: [{ incidentId: string }]
  /** Title or column of a recording edited, or the recording deleted. */
  audioChanged: [{ audioId: string }]
  /** Templates, a date order, the calendar or columns changed (dates: the ones concerned). */
  programmeChanged: [{ what: 'template' | 'day' | 'calendar' | 'column'; dates: string[] }]
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

/** The controller's typed event bus. */
export type EventBus = EventEmitter<ControllerEvents>

/** Creates the bus; every service and the SSE stream share this one. */
export function createEventBus(): EventBus {
  const bus = new EventEmitter<ControllerEvents>()
  // The SSE stream adds one listener per open browser tab.
  bus.setMaxListeners(1000)
  return bus
}
