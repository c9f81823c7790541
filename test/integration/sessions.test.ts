import { describe, expect, it } from 'vitest'
import { createUser, loginCookie } from '../helpers/auth.js'
import { startController, TEST_ADMIN_PASSWORD, type TestController } from '../helpers/controller.js'
import { captureLog } from '../helpers/log.js'
import { steppedClock } from '../helpers/stepped-clock.js'

const login = (ctl: TestController, username: string, password: string) =>
  ctl.apiWith<{ code?: string; message?: string; csrfToken?: string; details?: unknown }>(
    {},
    'POST',
    '/api/auth/login',
    { username, password },
  )

describe('POST /api/auth/login', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie and answers who is logged in', async () => {
    const { log, lines } = captureLog('debug')
    const ctl = await startController({ log })
    const res = await login(ctl, 'admin', TEST_ADMIN_PASSWORD)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ username: 'admin', roles: ['admin'], zones: [] })
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^chorus_session=[\w-]{43};/)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Strict/i)
    expect(cookie).toMatch(/Path=\//)
    expect(cookie).not.toMatch(/Secure/i) // plain HTTP: a Secure cookie would never come back
    const session = await loginCookie(ctl)
    const me = await ctl.apiWith<{ username: string; csrfToken: string }>(
      session.read,
      'GET',
      '/api/auth/me',
    )
    expect(me.status).toBe(200)
    expect(me.body).toMatchObject({ username: 'admin', csrfToken: session.csrfToken })
    // Neither the password nor the session id reaches the log.
    const logged = JSON.stringify(lines())
    expect(logged).not.toContain(TEST_ADMIN_PASSWORD)
    expect(logged).not.toContain(session.cookie.split('=')[1])
  })

  it('marks the cookie Secure (and __Host-) when served over TLS', async () => {
    const ctl = await startController({ args: ['--tls', 'on', '--mqtt-tls-port', '0'] })
    const res = await ctl.controller.http()!.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: TEST_ADMIN_PASSWORD },
    })
    expect(res.statusCode).toBe(200)
    const cookie = String(res.headers['set-cookie'])
    expect(cookie).toMatch(/^__Host-chorus_session=/)
    expect(cookie).toMatch(/; Secure/i)
    expect(cookie).toMatch(/HttpOnly/i)
  })

  it('answers an unknown user and a wrong password alike, with 401 and no detail', async () => {
    const ctl = await startController()
    const wrong = await login(ctl, 'admin', 'not the password')
    const unknown = await login(ctl, 'nobody', 'not the password')
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect(wrong.body).toEqual(unknown.body)
    expect(wrong.body).toMatchObject({ code: 'LOGIN_FAILED' })
    expect(wrong.headers.get('set-cookie')).toBeNull()
  })
})

describe('CSRF', () => {
  it('refuses a cookie-authenticated change without the session token, or with a wrong one', async () => {
    const ctl = await startController()
    const s = await loginCookie(ctl)
    const zone = { name: '工具厂社区' }
    const none = await ctl.apiWith<{ code: string }>(s.read, 'POST', '/api/zones', zone)
    expect(none.status).toBe(403)
    expect(none.body.code).toBe('CSRF_INVALID')
    const wrong = await ctl.apiWith<{ code: string }>(
      { ...s.read, 'x-csrf-token': `${s.csrfToken.slice(0, -2)}xx` },
      'POST',
      '/api/zones',
      zone,
    )
    expect(wrong.status).toBe(403)
    expect(wrong.body.code).toBe('CSRF_INVALID')
    expect((await ctl.api<unknown[]>('GET', '/api/zones')).body).toEqual([])
    // Another session's token does not fit either.
    const other = await loginCookie(ctl)
    const crossed = await ctl.apiWith(
      { ...s.read, 'x-csrf-token': other.csrfToken },
      'POST',
      '/api/zones',
      zone,
    )
    expect(crossed.status).toBe(403)
    // The right token works; reads need none; a bearer token needs none.
    expect((await ctl.apiWith(s.write, 'POST', '/api/zones', zone)).status).toBe(201)
    expect((await ctl.apiWith(s.read, 'GET', '/api/zones')).status).toBe(200)
    expect((await ctl.api('POST', '/api/zones', { name: '西海路社区' })).status).toBe(201)
  })
})

describe('POST /api/auth/logout', () => {
  it('ends the session: the cookie stops working and is cleared', async () => {
    const ctl = await startController()
    const s = await loginCookie(ctl)
    const out = await ctl.apiWith(s.write, 'POST', '/api/auth/logout')
    expect(out.status).toBe(204)
    expect(out.headers.get('set-cookie')).toMatch(/chorus_session=;/)
    const after = await ctl.apiWith<{ code: string }>(s.read, 'GET', '/api/auth/me')
    expect(after.status).toBe(401)
    expect(after.body.code).toBe('AUTH_REQUIRED')
  })
})

describe('login lockout', () => {
  it('locks a username after repeated failures, says so, audits it, and recovers', async () => {
    const clock = steppedClock()
    const ctl = await startController({
      clock,
      args: ['--login-max-failures', '3', '--login-lockout-sec', '60'],
    })
    await createUser(ctl, { username: 'li', password: 'correct-Pw-8k2q', roles: ['scheduler'] })
    for (let i = 0; i < 3; i++) expect((await login(ctl, 'li', 'wrong-guess')).status).toBe(401)
    // Locked: even the right password is refused, with a clear message and Retry-After.
    const locked = await login(ctl, 'li', 'correct-Pw-8k2q')
    expect(locked.status).toBe(429)
    expect(locked.body.code).toBe('LOGIN_LOCKED')
    expect(locked.body.message).toMatch(/too many failed logins.*try again in \d+ s/)
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    const users = await ctl.api<{ username: string; lockedUntil: string | null }[]>(
      'GET',
      '/api/users',
    )
    expect(users.body.find((u) => u.username === 'li')?.lockedUntil).toBeTruthy()
    const audit = await ctl.api<{ action: string; target: string }[]>(
      'GET',
      '/api/audit?action=auth.*',
    )
    expect(audit.body.filter((e) => e.action === 'auth.login.failed')).toHaveLength(3)
    expect(audit.body.find((e) => e.action === 'auth.lockout')?.target).toBe('li')
    // Other users are not affected.
    expect((await login(ctl, 'admin', TEST_ADMIN_PASSWORD)).status).toBe(200)
    // After the delay the right password works and the counter starts again.
    clock.step(61_000)
    expect((await login(ctl, 'li', 'correct-Pw-8k2q')).status).toBe(200)
    expect((await login(ctl, 'li', 'wrong-guess')).status).toBe(401)
    expect((await login(ctl, 'li', 'correct-Pw-8k2q')).status).toBe(200)
  })

  it('doubles the delay with each further failure', async () => {
    const clock = steppedClock()
    const ctl = await startController({
      clock,
      args: ['--login-max-failures', '2', '--login-lockout-sec', '1'],
    })
    await login(ctl, 'admin', 'wrong-guess')
    await login(ctl, 'admin', 'wrong-guess')
    const first = await login(ctl, 'admin', 'wrong-guess')
    expect(first.status).toBe(429)
    expect(Number(first.headers.get('retry-after'))).toBe(1)
    clock.step(1_100)
    expect((await login(ctl, 'admin', 'wrong-guess')).status).toBe(401)
    const second = await login(ctl, 'admin', TEST_ADMIN_PASSWORD)
    expect(second.status).toBe(429)
    expect(Number(second.headers.get('retry-after'))).toBe(2)
  })

  it('locks an address that guesses many usernames', async () => {
    const ctl = await startController({
      args: ['--login-max-failures', '2', '--login-lockout-sec', '30'],
    })
    // Four times the per-user limit, spread over usernames that each stay below it.
    for (let i = 0; i < 8; i++) expect((await login(ctl, `guess${i}`, 'x')).status).toBe(401)
    const res = await login(ctl, 'admin', TEST_ADMIN_PASSWORD)
    expect(res.status).toBe(429)
    // The admin can still work with a token, and sees the lockout in the audit log.
    const audit = await ctl.api<{ action: string; target: string }[]>(
      'GET',
      '/api/audit?action=auth.lockout',
    )
    expect(audit.body[0]?.target).toMatch(/^ip:/)
  })
})

describe('POST /api/auth/password', () => {
  it('changes the password with the current one, ends the other sessions, keeps this one', async () => {
    const ctl = await startController()
    await createUser(ctl, { username: 'wang', password: 'first-Pw-9k7q', roles: ['technician'] })
    const mine = await loginCookie(ctl, 'wang', 'first-Pw-9k7q')
    const other = await loginCookie(ctl, 'wang', 'first-Pw-9k7q')
    const change = (current: string, next: string) =>
      ctl.apiWith<{ code: string }>(mine.write, 'POST', '/api/auth/password', { current, next })
    expect((await change('not-it-at-all', 'second-Pw-9k7q')).body.code).toBe('LOGIN_FAILED')
    expect((await change('first-Pw-9k7q', 'short')).body.code).toBe('PASSWORD_WEAK')
    expect((await change('first-Pw-9k7q', 'second-Pw-9k7q')).status).toBe(204)
    expect((await ctl.apiWith(mine.read, 'GET', '/api/auth/me')).status).toBe(200)
    expect((await ctl.apiWith(other.read, 'GET', '/api/auth/me')).status).toBe(401)
    expect((await login(ctl, 'wang', 'first-Pw-9k7q')).status).toBe(401)
    expect((await login(ctl, 'wang', 'second-Pw-9k7q')).status).toBe(200)
  })
})

describe('session lifetime', () => {
  it('ends a session idle for longer than the idle timeout', async () => {
    const clock = steppedClock()
    const ctl = await startController({ clock, args: ['--session-idle-minutes', '1'] })
    const s = await loginCookie(ctl)
    expect((await ctl.apiWith(s.read, 'GET', '/api/auth/me')).status).toBe(200)
    clock.step(61_000)
    const res = await ctl.apiWith<{ code: string }>(s.read, 'GET', '/api/auth/me')
    expect(res.status).toBe(401)
    expect(res.headers.get('set-cookie')).toMatch(/chorus_session=;/)
  })

  it('ends the sessions of a user an admin disables, and applies role changes at once', async () => {
    const ctl = await startController()
    const id = await createUser(ctl, {
      username: 'zhao',
      password: 'first-Pw-9k7q',
      roles: ['scheduler'],
    })
    const s = await loginCookie(ctl, 'zhao', 'first-Pw-9k7q')
    expect((await ctl.apiWith(s.read, 'GET', '/api/audio')).status).toBe(200)
    await ctl.api('PATCH', `/api/users/${id}`, { roles: ['technician'] })
    expect((await ctl.apiWith(s.read, 'GET', '/api/audio')).status).toBe(403)
    expect((await ctl.apiWith(s.read, 'GET', '/api/alerts')).status).toBe(200)
    await ctl.api('PATCH', `/api/users/${id}`, { disabled: true })
    expect((await ctl.apiWith(s.read, 'GET', '/api/alerts')).status).toBe(401)
    expect((await login(ctl, 'zhao', 'first-Pw-9k7q')).status).toBe(401)
  })

  it('keeps at least one active admin', async () => {
    const ctl = await startController()
    const users = await ctl.api<{ id: string; username: string }[]>('GET', '/api/users')
    const admin = users.body.find((u) => u.username === 'admin')!
    const demote = await ctl.api<{ code: string }>('PATCH', `/api/users/${admin.id}`, {
      roles: ['scheduler'],
    })
    expect(demote.body.code).toBe('LAST_ADMIN')
    expect((await ctl.api<{ code: string }>('DELETE', `/api/users/${admin.id}`)).body.code).toBe(
      'LAST_ADMIN',
    )
  })
})
