import { normalizeNode } from './node-state.js'
import type {
  Alert,
  AlertRule,
  Command,
  CommandBatch,
  CommandRequest,
  Day,
  DayAvailability,
  Health,
  Incident,
  NodeView,
  Play,
  TelemetrySample,
  Timing,
  Transition,
  WebhookDelivery,
  Zone,
} from './types.js'

/** An HTTP answer that was not 2xx. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

async function request<T>(
  method: string,
  path: string,
  opts: { body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (opts.body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(path, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: opts.signal,
  })
  const text = await res.text()
  let body: unknown = null
  try {
    body = text ? JSON.parse(text) : null
  } catch {
    throw new ApiError(res.status, `${res.status} ${res.statusText}`)
  }
  // /api/health answers 503 with a full report when degraded.
  if (!res.ok && !(path === 'api/health' && res.status === 503)) {
    const message = (body as { message?: string } | null)?.message ?? res.statusText
    throw new ApiError(res.status, `${res.status} ${message}`)
  }
  return body as T
}

const get = <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, { signal })
const post = <T>(path: string, body: unknown = {}) => request<T>('POST', path, { body })
const put = <T>(path: string, body: unknown) => request<T>('PUT', path, { body })
const enc = encodeURIComponent
const node = (id: string, what: string) => `api/nodes/${enc(id)}/${what}`

/** The controller's HTTP API as the UI uses it (relative, so it also works under a sub-path). */
export const api = {
  nodes: async (signal?: AbortSignal) =>
    (await get<NodeView[]>('api/nodes', signal)).map(normalizeNode),
  zones: (signal?: AbortSignal) => get<Zone[]>('api/zones', signal),
  plays: (date: string, signal?: AbortSignal) => get<Play[]>(`api/plays?date=${enc(date)}`, signal),
  day: (date: string, signal?: AbortSignal) => get<Day>(`api/days/${enc(date)}`, signal),
  health: (signal?: AbortSignal) => get<Health>('api/health', signal),

  transitions: (id: string, hours: number, signal?: AbortSignal) =>
    get<Transition[]>(node(id, `transitions?hours=${hours}`), signal),
  telemetry: (id: string, hours: number, signal?: AbortSignal) =>
    get<TelemetrySample[]>(node(id, `telemetry?hours=${hours}`), signal),
  availability: (id: string, days: number, signal?: AbortSignal) =>
    get<DayAvailability[]>(node(id, `availability?days=${days}`), signal),
  timing: (id: string, signal?: AbortSignal) => get<Timing>(node(id, 'timing'), signal),
  nodePlays: (id: string, limit: number, signal?: AbortSignal) =>
    get<Play[]>(node(id, `plays?limit=${limit}`), signal),
  commands: (id: string, signal?: AbortSignal) => get<Command[]>(node(id, 'commands'), signal),
  sendCommand: (id: string, body: CommandRequest) => post<Command>(node(id, 'commands'), body),
  sendZoneCommand: (zoneId: string, body: CommandRequest) =>
    post<CommandBatch>(`api/zones/${enc(zoneId)}/commands`, body),
  batch: (batchId: string, signal?: AbortSignal) =>
    get<CommandBatch>(`api/commands/batches/${enc(batchId)}`, signal),

  alerts: (state: 'open' | 'all', signal?: AbortSignal) =>
    get<Alert[]>(`api/alerts?state=${state}`, signal),
  ackAlert: (id: string) => post<Alert>(`api/alerts/${enc(id)}/ack`),
  resolveAlert: (id: string) => post<Alert>(`api/alerts/${enc(id)}/resolve`),
  alertRules: (signal?: AbortSignal) => get<AlertRule[]>('api/alert-rules', signal),
  putAlertRule: (kind: string, body: { enabled: boolean; params: Record<string, number> }) =>
    put<AlertRule>(`api/alert-rules/${enc(kind)}`, body),
  incidents: (signal?: AbortSignal) => get<Incident[]>('api/incidents', signal),
  deliveries: (signal?: AbortSignal) => get<WebhookDelivery[]>('api/webhook/deliveries', signal),
}

/** The API surface, so a view can be given another one. */
export type Api = typeof api

/** A failure as one line for the page. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
