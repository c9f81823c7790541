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
}

/** Every event on the controller's one bus (STYLE rule 3). */
export interface ControllerEvents {
  nodeChanged: [NodeChanged]
  playReported: [PlayReported]
  planChanged: [{ nodeIds: string[] }]
  dayChanged: [{ date: string }]
  audioAdded: [{ audioId: string }]
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
