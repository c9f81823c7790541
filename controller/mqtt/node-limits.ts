import type { Channel } from '../../protocol/index.js'

/** How much one node may send, and when it is disconnected for misbehaving. */
export interface NodeLimitOptions {
  now: () => number
  /** At most one telemetry sample per node within this many ms. */
  telemetryMinIntervalMs: number
  /** Other messages (status, events) per node per minute, burst included. */
  maxMessagesPerMin: number
  /** Violations within one minute after which `onViolationLimit` is called (and the count resets). */
  violationLimit: number
  /** Disconnects the node; returns whether a session was there to end. */
  onViolationLimit: (nodeId: string, violations: number) => boolean
}

interface NodeState {
  lastTelemetry: number
  tokens: number
  refilledAt: number
  violations: number
  windowStart: number
  lastActive: number
}

const MINUTE = 60_000

/**
 * Per-node rate limits and violation counts for inbound MQTT messages: telemetry keeps one
 * sample per interval, other channels a token bucket; every dropped, invalid or refused message
 * is a violation, and too many in a minute ask for the node to be disconnected. Counted by
 * receipt time on the controller's clock, never by the timestamps a node writes.
 */
export function createNodeLimits(opts: NodeLimitOptions) {
  const nodes = new Map<string, NodeState>()
  const stats = { limited: 0, violations: 0, disconnects: 0 }
  let sweptAt = opts.now()

  function stateOf(nodeId: string, now: number): NodeState {
    let s = nodes.get(nodeId)
    if (!s) {
      s = {
        lastTelemetry: Number.NEGATIVE_INFINITY,
        tokens: opts.maxMessagesPerMin,
        refilledAt: now,
        violations: 0,
        windowStart: now,
        lastActive: now,
      }
      nodes.set(nodeId, s)
    }
    s.lastActive = now
    return s
  }

  /** Forgets nodes quiet for longer than every window, so the map stays the size of the fleet. */
  function sweep(now: number): void {
    if (now - sweptAt < MINUTE) return
    sweptAt = now
    const idle = Math.max(MINUTE, opts.telemetryMinIntervalMs)
    for (const [id, s] of nodes) if (now - s.lastActive > idle) nodes.delete(id)
  }

  /** Records a violation; returns true when it made the node reach the limit. */
  function violation(nodeId: string): boolean {
    const now = opts.now()
    const s = stateOf(nodeId, now)
    stats.violations++
    if (now - s.windowStart >= MINUTE) {
      s.windowStart = now
      s.violations = 0
    }
    s.violations++
    if (s.violations < opts.violationLimit) return false
    const n = s.violations
    s.violations = 0
    s.windowStart = now
    // Messages already on their way still arrive after a disconnect: only a live session counts.
    if (opts.onViolationLimit(nodeId, n)) stats.disconnects++
    return true
  }

  /** Whether a message on `channel` from `nodeId` may be handled now (else it is a violation). */
  function admit(nodeId: string, channel: Channel | string): boolean {
    const now = opts.now()
    sweep(now)
    const s = stateOf(nodeId, now)
    let ok: boolean
    if (channel === 'telemetry') {
      ok = now - s.lastTelemetry >= opts.telemetryMinIntervalMs
      if (ok) s.lastTelemetry = now
    } else {
      const rate = opts.maxMessagesPerMin / MINUTE
      s.tokens = Math.min(opts.maxMessagesPerMin, s.tokens + (now - s.refilledAt) * rate)
      s.refilledAt = now
      ok = s.tokens >= 1
      if (ok) s.tokens -= 1
    }
    if (!ok) {
      stats.limited++
      violation(nodeId)
    }
    return ok
  }

  return { admit, violation, stats: () => ({ ...stats, tracked: nodes.size }) }
}

/** Per-node limits of inbound MQTT messages. */
export type NodeLimits = ReturnType<typeof createNodeLimits>
