import { normalizeNode } from './node-state.js'
import type {
  Alert,
  AlertRule,
  Command,
  CommandBatch,
  CommandRequest,
  Day,
  DayAvailability,
  DeviationReport,
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
    /** The API's error `code` (docs/api.md), when the body had one. */
    readonly code: string | null = null,
    /** The API's error `details`, when the body had them. */
    readonly details: unknown = null,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** The ApiError for a non-2xx answer whose body was `text`. */
function errorOf(status: number, statusText: string, text: string): ApiError {
  let body: { code?: unknown; message?: unknown; details?: unknown } | null = null
  try {
    body = text ? JSON.parse(text) : null
  } catch {
    return new ApiError(status, `${status} ${statusText}`)
  }
  const message = typeof body?.message === 'string' ? body.message : statusText
  const code = typeof body?.code === 'string' ? body.code : null
  return new ApiError(status, `${status} ${message}`, code, body?.details ?? null)
}

/** Methods that change something: a session-cookie request must carry the CSRF token. */
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
/** The header the controller checks the session's CSRF token in (docs/api.md). */
const CSRF_HEADER = 'x-csrf-token'
let csrf: Promise<string | null> | null = null

/**
 * The session's CSRF token, from `GET api/auth/me` (asked once, and again after the controller
 * refused it). null without a session, or from a controller without accounts.
 */
function csrfToken(): Promise<string | null> {
  csrf ??= fetch('api/auth/me', { headers: { accept: 'application/json' } })
    .then(async (res) => {
      if (!res.ok) return null
      const me = (await res.json()) as { csrfToken?: string | null }
      return typeof me.csrfToken === 'string' ? me.csrfToken : null
    })
    .catch(() => null)
  return csrf
}

/** Sets the CSRF token (a login answer carries it), or forgets it (null: ask again). */
export function setCsrfToken(token: string | null): void {
  csrf = token === null ? null : Promise.resolve(token)
}

/** Calls that need no session: no CSRF token, and their 401 is an answer, not a lost session. */
const NO_SESSION = new Set(['api/auth/login'])
let onAuthLost: (() => void) | null = null

/** What to do when the controller says the session is gone (401 AUTH_REQUIRED): the login. */
export function setAuthLostHandler(fn: (() => void) | null): void {
  onAuthLost = fn
}

/** A 401 AUTH_REQUIRED answer: forget the token and hand over to the login page. */
function authLost(status: number, path: string, text: string): void {
  if (status !== 401 || NO_SESSION.has(path) || !text.includes('AUTH_REQUIRED')) return
  setCsrfToken(null)
  onAuthLost?.()
}

/** Every JSON call of the UI goes through here (and uploads through `sendForm`). */
export async function request<T>(
  method: string,
  path: string,
  opts: { body?: unknown; signal?: AbortSignal } = {},
  retried = false,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (opts.body !== undefined) headers['content-type'] = 'application/json'
  const token = MUTATING.has(method) && !NO_SESSION.has(path) ? await csrfToken() : null
  if (token) headers[CSRF_HEADER] = token
  const res = await fetch(path, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: opts.signal,
  })
  const text = await res.text()
  authLost(res.status, path, text)
  // A new session (logged in again elsewhere in this browser) has a new token: ask once more.
  if (res.status === 403 && !retried && MUTATING.has(method) && text.includes('CSRF_INVALID')) {
    setCsrfToken(null)
    return request<T>(method, path, opts, true)
  }
  let body: unknown = null
  try {
    body = text ? JSON.parse(text) : null
  } catch {
    throw new ApiError(res.status, `${res.status} ${res.statusText}`)
  }
  // /api/health answers 503 with a full report when degraded.
  if (!res.ok && !(path === 'api/health' && res.status === 503)) {
    throw errorOf(res.status, res.statusText, text)
  }
  return body as T
}

/** An upload in flight: its answer, and a way to cancel it. */
export interface Upload<T> {
  done: Promise<T>
  abort(): void
}

/**
 * POSTs a multipart form with upload progress (`XMLHttpRequest.upload.onprogress`: fetch has
 * none). `onProgress` gets the bytes sent and the total; the answer is parsed like `request`'s.
 */
export function sendForm<T>(
  path: string,
  form: FormData,
  onProgress: (sent: number, total: number) => void = () => {},
): Upload<T> {
  const xhr = new XMLHttpRequest()
  let aborted = false
  const done = csrfToken().then(
    (token) =>
      new Promise<T>((resolve, reject) => {
        if (aborted) {
          reject(new DOMException('aborted', 'AbortError'))
          return
        }
        send(token, resolve, reject)
      }),
  )
  function send(token: string | null, resolve: (v: T) => void, reject: (e: unknown) => void) {
    xhr.open('POST', path)
    xhr.setRequestHeader('accept', 'application/json')
    if (token) xhr.setRequestHeader(CSRF_HEADER, token)
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total)
    })
    xhr.addEventListener('load', () => {
      const text = xhr.responseText
      authLost(xhr.status, path, text)
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(errorOf(xhr.status, xhr.statusText, text))
        return
      }
      try {
        resolve((text ? JSON.parse(text) : null) as T)
      } catch {
        reject(new ApiError(xhr.status, `${xhr.status} ${xhr.statusText}`))
      }
    })
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network error')))
    xhr.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
    xhr.send(form)
  }
  return {
    done,
    abort: () => {
      aborted = true
      xhr.abort()
    },
  }
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
  /** Today's start deviations (fleet, worst segments, per node); schedulers and technicians. */
  deviation: (signal?: AbortSignal) => get<DeviationReport>('api/reports/deviation', signal),
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
