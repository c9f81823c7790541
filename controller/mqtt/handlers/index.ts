import type { EventIngest } from '../../services/event-ingest.js'
import type { FleetMonitor } from '../../services/fleet-monitor.js'
import type { NodeHealth } from '../../services/node-health.js'
import type { Handlers } from '../router.js'

/**
 * The controller's inbound handlers, one per channel: `status` drives presence and the plan
 * handshake, `events` goes to batched ingestion, `telemetry` refreshes health and last seen.
 */
export function createHandlers(s: {
  fleet: FleetMonitor
  ingest: EventIngest
  health: NodeHealth
}): Handlers {
  return {
    status: (nodeId, msg) => s.fleet.onStatus(nodeId, msg),
    events: (nodeId, msg) => {
      s.fleet.seen(nodeId)
      s.ingest.add(nodeId, msg.events)
    },
    telemetry: (nodeId, msg) => {
      s.fleet.onTelemetry(nodeId, msg)
      s.health.onTelemetry(nodeId, msg)
    },
  }
}
