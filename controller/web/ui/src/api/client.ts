// The HTTP client of the web UI: JSON in and out, the session's CSRF token on every change, a
// typed ApiError for every non-2xx answer, and a hand-over to the login page on a lost session.
// The API's rules for a browser session: docs/api.md "Authentication".
import { createPrefetch } from './prefetch'

/** An HTTP answer that was not 2xx (status 0: the controller could not be reached). */
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
export function errorOf(status: number, statusText: string, text: string): ApiError {
  let body: { code?: unknown; message?: unknown; details?: unknown } | null = null
  try {
    body = text ? JSON.parse(text) : null
  } catch {
    return new ApiError(status, `${status} ${statusText}`)
  }
  const message = typeof body?.message === 'string' ? body.message : statusText
  const code = typeof body?.code === 'string' ? body.code : null
  return new ApiError(status, message, code, body?.details ?? null)
}

/** Methods that change something: a session-cookie request must carry the CSRF token. */
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
/** The header the controller checks the session's CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token'
/** Calls that need no session: no CSRF token, and their 401 is an answer, not a lost session. */
const NO_SESSION = new Set(['api/auth/login'])

/** Options of one request. */
export interface RequestOptions {
  body?: unknown
  signal?: AbortSignal
  /** The caller shows the error itself: no toast (the login form, inline validation). */
  quiet?: boolean
}

/** What the client needs from its surroundings. */
export interface ApiClientOptions {
  /** Prefix of every `api/...` path: `../` from /next/ (relative, so a sub-path proxy works). */
  base: string
  fetch?: typeof fetch
  /** The controller said the session is gone (401 AUTH_REQUIRED). */
  onAuthLost?: () => void
  /** A request failed and its caller did not ask for `quiet` (the app shows a message). */
  onError?: (err: ApiError) => void
  /** The clock prefetched answers age by (tests). */
  now?: () => number
}

/** Creates the client; one per app (main.ts provides it). */
export function createApiClient(opts: ApiClientOptions) {
  const doFetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init))
  let csrf: Promise<string | null> | null = null

  /** The session's CSRF token, asked once from `GET api/auth/me` (null without a session). */
  function csrfToken(): Promise<string | null> {
    csrf ??= doFetch(`${opts.base}api/auth/me`, { headers: { accept: 'application/json' } })
      .then(async (res) => {
        if (!res.ok) return null
        const me = (await res.json()) as { csrfToken?: string | null }
        return typeof me.csrfToken === 'string' ? me.csrfToken : null
      })
      .catch(() => null)
    return csrf
  }

  /** Sets the CSRF token (a login answer carries it), or forgets it (null: ask again). */
  function setCsrfToken(token: string | null): void {
    csrf = token === null ? null : Promise.resolve(token)
  }

  async function send<T>(method: string, path: string, o: RequestOptions, retried: boolean) {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (o.body !== undefined) headers['content-type'] = 'application/json'
    const token = MUTATING.has(method) && !NO_SESSION.has(path) ? await csrfToken() : null
    if (token) headers[CSRF_HEADER] = token
    let res: Response
    try {
      res = await doFetch(`${opts.base}${path}`, {
        method,
        headers,
        body: o.body === undefined ? undefined : JSON.stringify(o.body),
        signal: o.signal,
      })
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err
      throw new ApiError(0, err instanceof Error ? err.message : String(err), 'NETWORK')
    }
    const text = await res.text()
    if (res.status === 401 && !NO_SESSION.has(path) && text.includes('AUTH_REQUIRED')) {
      setCsrfToken(null)
      opts.onAuthLost?.()
    }
    // A new session (logged in again elsewhere in this browser) has a new token: ask once more.
    if (res.status === 403 && !retried && MUTATING.has(method) && text.includes('CSRF_INVALID')) {
      setCsrfToken(null)
      return send<T>(method, path, o, true)
    }
    if (!res.ok) throw errorOf(res.status, res.statusText, text)
    try {
      return (text ? JSON.parse(text) : null) as T
    } catch {
      throw new ApiError(res.status, `${res.status} ${res.statusText}`)
    }
  }

  // GETs the boot started beside the session check (prefetch.ts); quiet, each taken once.
  const prefetched = createPrefetch({
    get: (path) => doFetch(`${opts.base}${path}`, { headers: { accept: 'application/json' } }),
    now: opts.now,
  })

  /** A prefetched successful answer to `GET path`, parsed; null: ask the usual way. */
  async function takePrefetched<T>(path: string): Promise<{ value: T } | null> {
    const answer = await prefetched.take(path)
    if (!answer) return null
    try {
      return { value: (answer.text ? JSON.parse(answer.text) : null) as T }
    } catch {
      return null
    }
  }

  /** Every JSON call of the UI goes through here. */
  async function request<T>(method: string, path: string, o: RequestOptions = {}): Promise<T> {
    if (method === 'GET' && !o.signal && prefetched.size > 0) {
      const hit = await takePrefetched<T>(path)
      if (hit) return hit.value
    }
    try {
      return await send<T>(method, path, o, false)
    } catch (err) {
      // A lost session is the login page's business, not a toast.
      if (err instanceof ApiError && !o.quiet && err.status !== 401) opts.onError?.(err)
      throw err
    }
  }

  return {
    request,
    setCsrfToken,
    /**
     * Starts `GET path` now, quietly, for a page about to ask for it (the boot, beside the
     * session check); the first `get(path)` within PREFETCH_TTL_MS takes its answer if it
     * succeeded. Only for reads: nothing else may be sent before the page asks.
     */
    prefetch: (path: string) => prefetched.start(path),
    /** Forgets prefetched answers (the session changed). */
    dropPrefetched: () => prefetched.clear(),
    /** The address of `path` for a plain link (a CSV download: the session cookie goes along). */
    href: (path: string) => `${opts.base}${path}`,
    get: <T>(path: string, o?: RequestOptions) => request<T>('GET', path, o),
    post: <T>(path: string, body?: unknown, o?: RequestOptions) =>
      request<T>('POST', path, { ...o, body }),
    patch: <T>(path: string, body: unknown, o?: RequestOptions) =>
      request<T>('PATCH', path, { ...o, body }),
    put: <T>(path: string, body: unknown, o?: RequestOptions) =>
      request<T>('PUT', path, { ...o, body }),
    del: <T>(path: string, o?: RequestOptions) => request<T>('DELETE', path, o),
  }
}

/** The API client. */
export type ApiClient = ReturnType<typeof createApiClient>
