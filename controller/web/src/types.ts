import type { PlayFailureReason } from '../../../protocol/index.js'

export type { PlayFailureReason }

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
  uptimeSec: number
  version: string
  broker: { mode: 'embedded' | 'external'; connected: boolean; clients: number | null }
  database: { ok: boolean; error?: string }
}
