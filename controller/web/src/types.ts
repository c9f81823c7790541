// Hand-written mirrors of the API's shapes: the UI imports no server file (STYLE section 3), and
// test/browser/i18n.test.ts checks the translations against protocol/'s failure reasons.

/** A node's presence and health, as the fleet monitor sees it. */
export type NodeState = 'online' | 'offline' | 'degraded' | 'flapping'

/** Why an online node is degraded; translated by `code`, `message` (English) is a fallback. */
export interface DegradedReason {
  code: 'clock' | 'disk' | 'audio' | 'plays' | 'late' | 'plan' | string
  message: string
  params: Record<string, number | string>
}

/** A node as GET /api/nodes and the `nodes` stream event return it. */
export interface NodeView {
  id: string
  name: string
  zone: string
  zoneName: string
  lat: number | null
  lon: number | null
  isTest: boolean
  online: boolean
  stateSince: string | null
  lastSeen: string | null
  agentVersion: string | null
  planVersion: string | null
  reportedPlanVersion: string | null
  appliedPlanVersion: string | null
  createdAt: string
  retiredAt: string | null
  state: NodeState
  playing: boolean
  degradedReasons: DegradedReason[]
  offlineSince: string | null
  incidentId: string | null
}

/** A zone of the administrative tree. */
export interface Zone {
  id: string
  name: string
  parentId: string | null
  code: string | null
}

/** One play event as GET /api/plays returns it (the stream's `plays` items add `date`). */
export interface Play {
  nodeId: string
  eventId: string
  itemId: string | null
  type: string
  at: string
  reason: string | null
  date?: string | null
  scheduledAt?: string
  deviationMs?: number
  playedMs?: number
  rmsDb?: number | null
  peakDb?: number | null
  error?: string
  /** A make-good (补播) of a missed segment: `scheduledAt` is the segment's own instant. */
  makeGood?: boolean
}

/** One item of a date's running order (GET /api/days/:date). */
export interface DayItem {
  id: string
  start: string
  title: string
  audioId: string | null
}

/** A date's running order. */
export interface Day {
  date: string
  items: DayItem[]
}

/** GET /api/health. */
export interface Health {
  status: 'ok' | 'degraded'
  /** The rest only for a logged-in user (anonymous callers get `status` alone). */
  uptimeSec?: number
  version?: string
  broker?: { mode: 'embedded' | 'external'; connected: boolean; clients: number | null }
  database?: { ok: boolean; error?: string }
  /** The district's time zone. */
  tz?: string
}

/** One presence change (GET /api/nodes/:id/transitions), oldest first. */
export interface Transition {
  from: string
  to: string
  at: string
  reason: string
}

/** One telemetry sample (GET /api/nodes/:id/telemetry), oldest first. */
export interface TelemetrySample {
  at: string
  receivedAt: string
  volume: number | null
  cacheBytes: number | null
  freeDiskBytes: number | null
  clockOffsetMs: number | null
  memRssBytes: number | null
  outboxDepth: number | null
  playing: boolean | null
  audioOutput: unknown
  lastError: string | null
  agentVersion: string | null
  uptimeSec: number | null
}

/** The share of one local day the node was online. */
export interface DayAvailability {
  date: string
  onlinePct: number
}

/** GET /api/nodes/:id/timing: start deviations (newest first) and the clock offset. */
export interface Timing {
  medianDeviationMs: number | null
  samples: number[]
  /** Controller clock − node system clock, ms (the node schedules by the controller's). */
  clockOffsetMs: number | null
  /** Half the round trip of the sample behind the offset, ms. */
  clockUncertaintyMs?: number | null
}

/** Absolute start deviations, ms: nearest-rank percentiles (GET /api/reports/deviation). */
export interface DeviationStats {
  count: number
  p50: number
  p95: number
  p99: number
  max: number
}

/** One segment's start deviations across the fleet. */
export interface SegmentDeviation extends DeviationStats {
  itemId: string
  title: string
  scheduledAt: string | null
}

/** GET /api/reports/deviation: how in step the fleet started a date's segments. */
export interface DeviationReport {
  date: string
  fleet: DeviationStats | null
  segments: SegmentDeviation[]
  worst: SegmentDeviation[]
  nodes: (DeviationStats & { nodeId: string })[]
}

/** Remote command kinds. */
export type CommandKind = 'ping' | 'testTone' | 'setVolume' | 'stop' | 'resync' | 'restart'

/** A command's progress. */
export type CommandStatus = 'pending' | 'ok' | 'error' | 'expired'

/** One command to one node. */
export interface Command {
  id: string
  batchId: string | null
  nodeId: string
  kind: CommandKind
  params: { volume?: number; seconds?: number } | null
  issuedAt: string
  expiresAt: string
  status: CommandStatus
  ackedAt: string | null
  error: string | null
  result: Record<string, unknown> | null
}

/** Body of POST /api/nodes/:id/commands and /api/zones/:id/commands. */
export interface CommandRequest {
  kind: CommandKind
  params?: { volume?: number; seconds?: number }
  ttlSec?: number
}

/** A zone command: one command per node under one batch id. */
export interface CommandBatch {
  batchId: string
  commands: Command[]
}

/** Alert kinds, translated by the UI. */
export type AlertKind =
  | 'nodeOffline'
  | 'zoneOffline'
  | 'nodeDegraded'
  | 'nodeFlapping'
  | 'playFailed'
  | 'incident'

/** How bad an alert is. */
export type Severity = 'info' | 'warning' | 'critical'

/** An alert (GET /api/alerts); `message` is English, a fallback for unknown kinds. */
export interface Alert {
  id: string
  kind: AlertKind | string
  subject: string
  severity: Severity
  nodeId: string | null
  zoneId: string | null
  incidentId: string | null
  message: string
  params: Record<string, number | string> | null
  openedAt: string
  ackedAt: string | null
  resolvedAt: string | null
  resolution: 'auto' | 'manual' | null
}

/** An alert rule (GET /api/alert-rules). */
export interface AlertRule {
  kind: AlertKind | string
  enabled: boolean
  params: Record<string, number>
  severity: Severity
}

/** Many nodes dropping at once, reported as one incident. */
export interface Incident {
  id: string
  startedAt: string
  endedAt: string | null
  cause: 'broker-restart' | 'zone-outage' | 'mass-disconnect' | string
  zoneId: string | null
  nodeIds: string[]
}

/** One attempt to deliver an alert to the webhook. */
export interface WebhookDelivery {
  alertId: string
  event: string
  url: string
  attempt: number
  at: string
  statusCode: number | null
  error: string | null
  delivered: boolean
}
