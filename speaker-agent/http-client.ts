/**
 * @module speaker-agent/http-client
 * The agent's HTTP requests to its controller (audio downloads, clock samples, the live stream,
 * the controller's key) on `node:http` / `node:https`, not the global `fetch`: `fetch` loads
 * Node's bundled undici and compiles its llhttp WebAssembly parser, about 10 MB of resident
 * memory in a process that has 64 MB in all (issue 9; docs/benchmarks.md, "2026-12-07 (session
 * 6) · one agent's memory"), and it cannot run under V8's `--lite-mode` (no WebAssembly).
 * Enrollment, once per node, still uses `fetch`.
 */
import http, { type IncomingMessage } from 'node:http'

/** What {@link httpRequest} sends. */
export interface HttpRequestOptions {
  /** Default GET. */
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  /** A request body (UTF-8). */
  body?: string
  /** Aborts the request, or the answer's body while it is read. */
  signal?: AbortSignal
}

/** An answer whose body has not been read yet. */
export interface HttpAnswer {
  readonly status: number
  /** 2xx. */
  readonly ok: boolean
  /** A response header (lower case name), or undefined. */
  header(name: string): string | undefined
  /** The body as it arrives; read it, or call {@link HttpAnswer.discard}. */
  readonly body: IncomingMessage
  /** The whole body as UTF-8; rejects beyond `maxBytes` (default {@link MAX_TEXT_BYTES}). */
  text(maxBytes?: number): Promise<string>
  /** The whole body parsed as JSON (same limit as `text`). */
  json(maxBytes?: number): Promise<unknown>
  /** Drops the body (and the connection). */
  discard(): void
}

/** Largest body {@link HttpAnswer.text} and {@link HttpAnswer.json} read, bytes. */
export const MAX_TEXT_BYTES = 1024 * 1024

/**
 * Sends a request and resolves once the answer's status and headers are in. Rejects on a
 * network failure, an abort (an `AbortError`) or a URL that is neither http: nor https:.
 */
export async function httpRequest(url: URL, opts: HttpRequestOptions = {}): Promise<HttpAnswer> {
  opts.signal?.throwIfAborted()
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${url.href}: only http: and https: URLs are fetched`)
  }
  // TLS is loaded only by a node whose controller is reached over https.
  const client = url.protocol === 'https:' ? await import('node:https') : http
  return new Promise<HttpAnswer>((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: opts.method ?? 'GET',
        headers: opts.headers ?? {},
        ...(opts.signal ? { signal: opts.signal } : {}),
      },
      (res) => resolve(answerOf(res)),
    )
    req.once('error', reject)
    req.end(opts.body)
  })
}

function answerOf(res: IncomingMessage): HttpAnswer {
  const status = res.statusCode ?? 0
  // An abort or a reset after the headers fails the body's reader, never the process.
  res.on('error', () => undefined)
  const text = async (maxBytes = MAX_TEXT_BYTES): Promise<string> => {
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of res as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > maxBytes) {
        res.destroy()
        throw new Error(`the answer is larger than ${maxBytes} bytes`)
      }
      chunks.push(chunk)
    }
    return Buffer.concat(chunks).toString('utf8')
  }
  return {
    status,
    ok: status >= 200 && status < 300,
    header(name) {
      const v = res.headers[name.toLowerCase()]
      return Array.isArray(v) ? v.join(', ') : v
    },
    body: res,
    text,
    json: async (maxBytes) => JSON.parse(await text(maxBytes)) as unknown,
    discard: () => res.destroy(),
  }
}
