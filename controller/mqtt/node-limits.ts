import type { Channel } from '../../protocol/index.js'

const MINUTE = 60_000

/** How much one node may send, and when it is disconnected for misbehaving. */
export interface NodeLimitOptions {
  now: () => number
  /** At most one telemetry sample per node within this many ms. */
  telemetryMinIntervalMs: number
  /** Messages of any channel per node per minute, burst included (checked before parsing). */
  maxMessagesPerMin: number
  /** Events (inside events messages) per node per minute once the burst is spent. */
  maxEventsPerMin: number
  /** Events a node may send at once (an outbox replayed after an outage). */
  eventsBurst: number
  /** Violations within one minute after which `onViolationLimit` is called (and the count resets). */
  violationLimit: number
  /** Disconnects the node; returns whether a session was there to end. */
  onViolationLimit: (nodeId: string, violations: number) => boolean
}

/** A token bucket: `capacity` at most, refilled by `perMin` a minute. */
interface Bucket {
  tokens: number
  at: number
}

function take(b: Bucket, cost: number, capacity: number, perMin: number, now: number): boolean {
  b.tokens = Math.min(capacity, b.tokens + ((now - b.at) * perMin) / MINUTE)
  b.at = now
  return b.tokens >= cost
}

interface NodeState {
  lastTelemetry: number
  messages: Bucket
  events: Bucket
  violations: number
  windowStart: number
  lastActive: number
}

/**
 * Per-node rate limits and violation counts for inbound MQTT messages: telemetry keeps one
 * sample per interval, all messages share a token bucket (checked before parsing), and the
 * events inside events messages have one of their own (so that a stolen node cannot fill the disk with invented events
 * 100 at a time); every dropped, invalid or refused message
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
        messages: { tokens: opts.maxMessagesPerMin, at: now },
        events: { tokens: opts.eventsBurst, at: now },
        violations: 0,
        windowStart: now,
        lastActive: now,
      }
      nodes.set(nodeId, s)
    }
    s.lastActive = now
    return s
  }

  // A node quiet for this long has every allowance back in full: it can be forgotten.
  const idle = Math.max(
    MINUTE,
    opts.telemetryMinIntervalMs,
    (opts.eventsBurst / opts.maxEventsPerMin) * MINUTE,
  )

  /** Forgets nodes quiet for longer than every window, so the map stays the size of the fleet. */
  function sweep(now: number): void {
    if (now - sweptAt < MINUTE) return
    sweptAt = now
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

  function limited(nodeId: string): false {
    stats.limited++
    violation(nodeId)
    return false
  }

  /**
   * Whether `nodeId` may send one more message of any kind now, asked before the payload is even
   * parsed, so that parsing work is bounded too (else it is a violation).
   */
  function admitMessage(nodeId: string): boolean {
    const now = opts.now()
    sweep(now)
    const s = stateOf(nodeId, now)
    const max = opts.maxMessagesPerMin
    if (!take(s.messages, 1, max, max, now)) return limited(nodeId)
    s.messages.tokens -= 1
    return true
  }

  /**
   * Whether a valid message on `channel` from `nodeId`, carrying `items` events, may be handled
   * now: one telemetry sample per interval, events within their budget (else it is a violation).
   */
  function admit(nodeId: string, channel: Channel | string, items = 1): boolean {
    const now = opts.now()
    const s = stateOf(nodeId, now)
    if (channel === 'telemetry') {
      if (now - s.lastTelemetry < opts.telemetryMinIntervalMs) return limited(nodeId)
      s.lastTelemetry = now
    } else if (channel === 'events') {
      if (!take(s.events, items, opts.eventsBurst, opts.maxEventsPerMin, now))
        return limited(nodeId)
      s.events.tokens -= items
    }
    return true
  }

  return { admitMessage, admit, violation, stats: () => ({ ...stats, tracked: nodes.size }) }
}

/** Per-node limits of inbound MQTT messages. */
export type NodeLimits = ReturnType<typeof createNodeLimits>
