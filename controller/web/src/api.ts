import type { Day, Health, NodeView, Play, Zone } from './types.js'

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

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' }, signal })
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

/** The controller's HTTP API as the UI uses it (relative, so the UI also works behind a proxy under a sub-path). */
export const api = {
  nodes: (signal?: AbortSignal) => getJson<NodeView[]>('api/nodes', signal),
  zones: (signal?: AbortSignal) => getJson<Zone[]>('api/zones', signal),
  plays: (date: string, signal?: AbortSignal) =>
    getJson<Play[]>(`api/plays?date=${encodeURIComponent(date)}`, signal),
  day: (date: string, signal?: AbortSignal) =>
    getJson<Day>(`api/days/${encodeURIComponent(date)}`, signal),
  health: (signal?: AbortSignal) => getJson<Health>('api/health', signal),
}

/** The API surface, so a view can be given another one. */
export type Api = typeof api
