import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { type ApiError, createApiClient } from './client'
import { PREFETCH_TTL_MS } from './prefetch'

// Prefetched GETs (the boot starts the first page's reads beside the session check) against a
// real local HTTP server: one request for the prefetch and the page's ask together, a failed or
// old answer never handed out (the page asks again, with the usual error handling), and nothing
// of someone else's session kept.

const servers: { close(): void }[] = []
afterEach(() => {
  for (const s of servers.splice(0)) s.close()
})

/** A server that counts requests per path; `answer` decides each status and body. */
async function serve(answer: (path: string, n: number) => [number, unknown]) {
  const seen = new Map<string, number>()
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? ''
    const n = (seen.get(path) ?? 0) + 1
    seen.set(path, n)
    const [status, body] = answer(path, n)
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(server)
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, seen }
}

describe('web UI API client: prefetched reads', () => {
  it('hands a prefetched answer to the first GET of its path, once', async () => {
    const { base, seen } = await serve((_path, n) => [200, { n }])
    const api = createApiClient({ base })
    api.prefetch('api/fleet/summary')
    api.prefetch('api/fleet/summary') // started once
    expect(await api.get('api/fleet/summary')).toEqual({ n: 1 })
    expect(seen.get('/api/fleet/summary')).toBe(1)
    // Taken: the next GET asks the server.
    expect(await api.get('api/fleet/summary')).toEqual({ n: 2 })
    // Another path is not served from it.
    expect(await api.get('api/zones')).toEqual({ n: 1 })
  })

  it('never hands out a failure: the GET asks again, and only that one reports', async () => {
    const { base, seen } = await serve((path, n) =>
      path === '/api/nodes' && n === 1
        ? [401, { code: 'AUTH_REQUIRED', message: 'log in' }]
        : [403, { code: 'FORBIDDEN', message: 'no' }],
    )
    let lost = 0
    const shown: ApiError[] = []
    const api = createApiClient({ base, onAuthLost: () => lost++, onError: (e) => shown.push(e) })
    api.prefetch('api/nodes')
    api.prefetch('api/alerts')
    // The prefetch's own 401 reaches nobody; the page's GET asks again and gets the real answer.
    await expect(api.get('api/nodes')).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' })
    expect(seen.get('/api/nodes')).toBe(2)
    expect(lost).toBe(0)
    expect(shown.map((e) => e.code)).toEqual(['FORBIDDEN'])
  })

  it('lets an answer older than PREFETCH_TTL_MS go, and drops all when the session changes', async () => {
    const { base, seen } = await serve((_path, n) => [200, { n }])
    let now = 1_000
    const api = createApiClient({ base, now: () => now })
    api.prefetch('api/zones')
    api.prefetch('api/fleet/summary')
    now += PREFETCH_TTL_MS + 1
    expect(await api.get('api/zones')).toEqual({ n: 2 })
    api.dropPrefetched()
    expect(await api.get('api/fleet/summary')).toEqual({ n: 2 })
    expect(seen.get('/api/fleet/summary')).toBe(2)
  })
})
