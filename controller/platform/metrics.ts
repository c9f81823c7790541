import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { EventBus, PlayReported, Transition } from './events.js'

/** The node states `chorus_nodes` counts (fleet's `NodeState`). */
const NODE_STATES = ['online', 'offline', 'degraded', 'flapping'] as const
type NodeStateName = (typeof NODE_STATES)[number]

/**
 * Prometheus metrics (`GET /metrics`), one registry per controller (no global state): node
 * counts by state and zone, plays by result, event ingest rate and lag, MQTT connections and
 * messages, database write and HTTP latency. Names are documented in docs/operations.md.
 */
export function createMetrics(deps: {
  bus: EventBus
  /**
   * Active nodes by state in each zone, kept up to date node by node (fleet's summary): a scrape
   * costs the zones, not the fleet (issue 9).
   */
  nodeCounts: () => Iterable<readonly [zoneId: string, counts: Record<NodeStateName, number>]>
  zoneName: (zoneId: string) => string
  mqttStats: () => { received: number; rejected: number; failed: number; limited: number }
  mqttDefences: () => {
    refused: Record<string, number>
    limited: Record<string, number>
    nodes: { limited: number; violations: number; disconnects: number }
  }
  brokerClients: () => number | null
  openAlerts: () => { kind: string; severity: string }[]
}) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'chorus_process_' })

  new Gauge({
    name: 'chorus_nodes',
    help: 'Nodes by state (online, offline, degraded, flapping) and zone',
    labelNames: ['state', 'zone'],
    registers: [registry],
    collect() {
      this.reset()
      for (const [zoneId, counts] of deps.nodeCounts()) {
        const zone = deps.zoneName(zoneId)
        for (const state of NODE_STATES) {
          // Two zones may share a name: their counts add up under it, as before.
          if (counts[state] > 0) this.inc({ state, zone }, counts[state])
        }
      }
    },
  })
  const plays = new Counter({
    name: 'chorus_plays_total',
    help: 'Play reports stored, by result (started, finished, failed) and failure reason',
    labelNames: ['result', 'reason'],
    registers: [registry],
  })
  const transitions = new Counter({
    name: 'chorus_presence_transitions_total',
    help: 'Presence transitions, by new state and reason',
    labelNames: ['to', 'reason'],
    registers: [registry],
  })
  const ingestLag = new Histogram({
    name: 'chorus_event_ingest_lag_seconds',
    help: 'Time from an event happening on a node to the controller storing it',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 3600],
    registers: [registry],
  })
  const dbWrite = new Histogram({
    name: 'chorus_db_batch_write_seconds',
    help: 'Duration of one batched SQLite write (events, telemetry, last seen)',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    labelNames: ['kind'],
    registers: [registry],
  })
  const http = new Histogram({
    name: 'chorus_http_request_duration_seconds',
    help: 'HTTP request duration by route, method and status',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  })
  new Gauge({
    name: 'chorus_mqtt_connections',
    help: 'Clients connected to the embedded broker (absent with an external broker)',
    registers: [registry],
    collect() {
      const n = deps.brokerClients()
      if (n !== null) this.set(n)
    },
  })
  new Counter({
    name: 'chorus_mqtt_messages_received_total',
    help: 'MQTT messages the controller received, and how many were rejected as invalid',
    labelNames: ['outcome'],
    registers: [registry],
    collect() {
      const s = deps.mqttStats()
      this.reset()
      this.inc({ outcome: 'accepted' }, s.received - s.rejected - s.limited)
      this.inc({ outcome: 'rejected' }, s.rejected)
      this.inc({ outcome: 'limited' }, s.limited)
    },
  })
  new Counter({
    name: 'chorus_mqtt_refused_total',
    help:
      'MQTT clients or connections the embedded broker refused, by reason (authentication and ' +
      'ACL refusals; max-connections, max-per-address, packet-too-large)',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      const d = deps.mqttDefences()
      this.reset()
      for (const [reason, n] of Object.entries({ ...d.refused, ...d.limited })) {
        this.inc({ reason }, n)
      }
    },
  })
  new Counter({
    name: 'chorus_mqtt_node_violations_total',
    help: 'Node violations (invalid, rate-limited or refused messages) and the disconnects they caused',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      const n = deps.mqttDefences().nodes
      this.reset()
      this.inc({ kind: 'violation' }, n.violations)
      this.inc({ kind: 'disconnect' }, n.disconnects)
    },
  })
  new Gauge({
    name: 'chorus_alerts_open',
    help: 'Open alerts by kind and severity',
    labelNames: ['kind', 'severity'],
    registers: [registry],
    collect() {
      this.reset()
      for (const a of deps.openAlerts()) this.inc({ kind: a.kind, severity: a.severity })
    },
  })

  new Counter({
    name: 'chorus_bus_listener_errors_total',
    help: 'Exceptions thrown (or promises rejected) by event bus listeners, by event and listener',
    labelNames: ['event', 'listener'],
    registers: [registry],
    collect() {
      this.reset()
      for (const e of deps.bus.listenerErrors()) {
        this.inc({ event: e.event, listener: e.listener }, e.count)
      }
    },
  })

  const onPlay = (p: PlayReported) => {
    plays.inc({ result: p.type.replace('play.', ''), reason: p.reason ?? '' })
    const lag = (Date.now() - Date.parse(p.at)) / 1000
    if (Number.isFinite(lag) && lag >= 0) ingestLag.observe(lag)
  }
  const onTransition = (t: Transition) => transitions.inc({ to: t.to, reason: t.reason })
  deps.bus.on('playReported', onPlay)
  deps.bus.on('transition', onTransition)

  return {
    registry,
    /** Records one HTTP request. */
    observeHttp(route: string, method: string, status: number, seconds: number): void {
      http.observe({ route, method, status: String(status) }, seconds)
    },
    /** Records one batched database write. */
    observeDbWrite(kind: string, seconds: number): void {
      dbWrite.observe({ kind }, seconds)
    },
    stop(): void {
      deps.bus.off('playReported', onPlay)
      deps.bus.off('transition', onTransition)
    },
  }
}

/** The metrics service. */
export type Metrics = ReturnType<typeof createMetrics>
