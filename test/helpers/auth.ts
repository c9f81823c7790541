import type { Role } from '../../controller/accounts/roles.js'
import type { TestController } from './controller.js'

/** A logged-in browser session: the cookie to send back, and the CSRF token for changes. */
export interface LoginSession {
  /** `name=value`, for a `cookie` request header. */
  cookie: string
  csrfToken: string
  /** The raw Set-Cookie header of the login answer. */
  setCookie: string
  /** Headers for a GET (`cookie`) and for a change (`cookie` and `x-csrf-token`). */
  read: Record<string, string>
  write: Record<string, string>
}

/**
 * Logs in through `POST /api/auth/login` (default: the admin with the test password) and returns
 * the session cookie and CSRF token, as the web UI would hold them. Browser tests can use it to
 * put the cookie into a page's context before opening the UI.
 */
export async function loginCookie(
  ctl: TestController,
  username = 'admin',
  password = ctl.adminPassword ?? '',
): Promise<LoginSession> {
  const res = await fetch(`${ctl.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  const body = (await res.json()) as { csrfToken?: string; message?: string }
  if (res.status !== 200 || !body.csrfToken) {
    throw new Error(`login as ${username} failed: ${res.status} ${body.message ?? ''}`)
  }
  const setCookie = res.headers.get('set-cookie') ?? ''
  const cookie = setCookie.split(';')[0] ?? ''
  return {
    cookie,
    csrfToken: body.csrfToken,
    setCookie,
    read: { cookie },
    write: { cookie, 'x-csrf-token': body.csrfToken },
  }
}

/** Creates a user through the API (as admin); returns its id. */
export async function createUser(
  ctl: TestController,
  user: { username: string; password: string; roles: Role[]; zones?: string[] },
): Promise<string> {
  const r = await ctl.api<{ id: string; message?: string }>('POST', '/api/users', user)
  if (r.status !== 201) throw new Error(`create user failed: ${r.status} ${r.body.message}`)
  return r.body.id
}

/**
 * An API token with these roles (and zones), issued by the admin through the API; returns the
 * `authorization` header for it.
 */
export async function tokenHeaders(
  ctl: TestController,
  roles: Role[],
  zones?: string[],
): Promise<Record<string, string>> {
  const r = await ctl.api<{ token: string; message?: string }>('POST', '/api/tokens', {
    name: `test ${roles.join('+')}`,
    roles,
    ...(zones ? { zones } : {}),
  })
  if (r.status !== 201) throw new Error(`create token failed: ${r.status} ${r.body.message}`)
  return { authorization: `Bearer ${r.body.token}` }
}

/** The `authorization` header of a node's HTTP Basic credentials. */
export function nodeBasic(node: { id: string; secret: string }): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${node.id}:${node.secret}`).toString('base64')}` }
}

/**
 * A logged-in admin session as a browser cookie (the shape Playwright's
 * `context.addCookies([...])` takes), plus its CSRF token: browser tests log in without the form.
 */
export async function browserSession(
  ctl: TestController,
  username = 'admin',
  password = ctl.adminPassword ?? '',
): Promise<{
  cookie: { name: string; value: string; url: string; httpOnly: true; sameSite: 'Strict' }
  csrfToken: string
}> {
  const s = await loginCookie(ctl, username, password)
  const [name = '', value = ''] = s.cookie.split('=')
  return {
    cookie: { name, value, url: ctl.url, httpOnly: true, sameSite: 'Strict' },
    csrfToken: s.csrfToken,
  }
}
