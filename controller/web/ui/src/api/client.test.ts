import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { ApiError, CSRF_HEADER, createApiClient } from './client'

// The client against a real local HTTP server that answers like the controller's auth layer:
// a CSRF token from /api/auth/me, 403 CSRF_INVALID for a stale token, 401 AUTH_REQUIRED, errors
// as { code, message, details }.

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void
const servers: { close(): void }[] = []
afterEach(() => {
  for (const s of servers.splice(0)) s.close()
})

async function serve(handler: Handler): Promise<{ base: string; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = []
  const server = createServer((req, res) => {
    seen.push(req)
    let body = ''
    req.on('data', (c) => {
      body += c
    })
    req.on('end', () => handler(req, body, res))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(server)
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, seen }
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

describe('web UI API client', () => {
  it('sends the session CSRF token on changes, and asks again once after CSRF_INVALID', async () => {
    let token = 'old'
    const { base, seen } = await serve((req, body, res) => {
      if (req.url === '/api/auth/me') return json(res, 200, { username: 'admin', csrfToken: token })
      if (req.headers[CSRF_HEADER] !== 'new') {
        token = 'new' // logged in again elsewhere: the old token is refused
        return json(res, 403, { code: 'CSRF_INVALID', message: 'bad token' })
      }
      json(res, 201, { got: JSON.parse(body) })
    })
    const api = createApiClient({ base })
    expect(await api.post('api/users', { username: 'li' })).toEqual({ got: { username: 'li' } })
    const posts = seen.filter((r) => r.method === 'POST')
    expect(posts.map((r) => r.headers[CSRF_HEADER])).toEqual(['old', 'new'])
    expect(posts[1]?.headers['content-type']).toBe('application/json')
    // A GET carries no token and asks for none.
    await api.get('api/auth/me')
    expect(seen.filter((r) => r.url === '/api/auth/me')).toHaveLength(3)
  })

  it("turns an error answer into an ApiError with the server's code, message and details", async () => {
    const { base } = await serve((_req, _body, res) =>
      json(res, 409, {
        code: 'USER_EXISTS',
        message: 'user li exists',
        details: { username: 'li' },
      }),
    )
    const shown: ApiError[] = []
    const api = createApiClient({ base, onError: (e) => shown.push(e) })
    api.setCsrfToken('t')
    const err = await api.post('api/users', {}).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ status: 409, code: 'USER_EXISTS', message: 'user li exists' })
    expect((err as ApiError).details).toEqual({ username: 'li' })
    expect(shown).toHaveLength(1)
    // Quiet: the caller shows it.
    await api.post('api/users', {}, { quiet: true }).catch(() => undefined)
    expect(shown).toHaveLength(1)
  })

  it('hands a lost session (401 AUTH_REQUIRED) to the login, but not a failed login', async () => {
    const { base } = await serve((req, _body, res) =>
      req.url === '/api/auth/login'
        ? json(res, 401, { code: 'LOGIN_FAILED', message: 'wrong' })
        : json(res, 401, { code: 'AUTH_REQUIRED', message: 'log in' }),
    )
    let lost = 0
    const shown: ApiError[] = []
    const api = createApiClient({ base, onAuthLost: () => lost++, onError: (e) => shown.push(e) })
    await expect(api.get('api/users')).rejects.toMatchObject({ status: 401, code: 'AUTH_REQUIRED' })
    expect(lost).toBe(1)
    const login = api.post('api/auth/login', { username: 'a', password: 'b' }, { quiet: true })
    await expect(login).rejects.toMatchObject({ code: 'LOGIN_FAILED' })
    expect(lost).toBe(1)
    expect(shown).toEqual([]) // the login page, not a toast
  })

  it('says when the controller cannot be reached (status 0) and keeps a body that is not JSON', async () => {
    const { base } = await serve((_req, _body, res) => {
      res.writeHead(502, { 'content-type': 'text/html' })
      res.end('<html>bad gateway</html>')
    })
    const api = createApiClient({ base })
    await expect(api.get('api/nodes')).rejects.toMatchObject({ status: 502, code: null })
    const closed = createApiClient({ base: 'http://127.0.0.1:1/' })
    await expect(closed.get('api/nodes')).rejects.toMatchObject({ status: 0, code: 'NETWORK' })
  })
})
