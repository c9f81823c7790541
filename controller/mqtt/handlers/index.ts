import type { FleetMonitor } from '../../fleet/fleet-monitor.js'
import type { NodeHealth } from '../../fleet/node-health.js'
import type { EventIntake } from '../../ingest/event-intake.js'
import type { NodeKeys } from '../../provisioning/node-keys.js'
import type { Handlers } from '../router.js'

/**
 * The controller's inbound handlers, one per channel: `status` drives presence and the plan
 * handshake (and may pin the node's key), `events` is checked event by event, then batched, `telemetry` refreshes health and last seen.
 */
export function createHandlers(s: {
  fleet: FleetMonitor
  intake: EventIntake
  health: NodeHealth
  keys: NodeKeys
}): Handlers {
  return {
    status: (nodeId, msg) => {
      if (msg.state === 'online') s.keys.onBirth(nodeId, msg.nodeKey)
      s.fleet.onStatus(nodeId, msg)
    },
    events: (nodeId, msg) => {
      s.fleet.seen(nodeId)
      s.intake.handle(nodeId, msg)
    },
    telemetry: (nodeId, msg) => {
      s.fleet.onTelemetry(nodeId, msg)
      s.health.onTelemetry(nodeId, msg)
    },
  }
}
