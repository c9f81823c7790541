import { readdir, readFile } from 'node:fs/promises'
import { request } from 'node:http'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createUser, loginCookie } from '../helpers/auth.js'
import { startController, TEST_ADMIN_PASSWORD, type TestController } from '../helpers/controller.js'

/** POST /api/auth/login from a given loopback address (127.0.0.0/8 all reach the controller). */
function loginFrom(
  ctl: TestController,
  address: string,
  username: string,
  password: string,
): Promise<{ status: number; retryAfter: number | null; body: { code?: string } }> {
  const url = new URL('/api/auth/login', ctl.url)
  const payload = JSON.stringify({ username, password })
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        localAddress: address,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        let text = ''
        res.on('data', (d: Buffer) => {
          text += d.toString()
        })
        res.on('end', () => {
          const ra = res.headers['retry-after']
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: ra === undefined ? null : Number(ra),
            body: text ? (JSON.parse(text) as { code?: string }) : {},
          })
        })
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

const LOCK = ['--login-max-failures', '3', '--login-lockout-sec', '3600']

describe('login lockout cannot be used to keep a user out', () => {
  it('locks the guessing address, only slows the username elsewhere, never locks a recent good address', async () => {
    const ctl = await startController({ args: LOCK })
    const office = '127.0.0.1'
    expect((await loginFrom(ctl, office, 'admin', TEST_ADMIN_PASSWORD)).status).toBe(200)
    const attacker = '127.0.0.2'
    for (let i = 0; i < 3; i++) {
      expect((await loginFrom(ctl, attacker, 'admin', 'wrong')).status).toBe(401)
    }
    const guessing = await loginFrom(ctl, attacker, 'admin', TEST_ADMIN_PASSWORD)
    expect(guessing.status).toBe(429)
    expect(guessing.retryAfter).toBeGreaterThan(60)
    // The admin's own address is not locked out.
    expect((await loginFrom(ctl, office, 'admin', TEST_ADMIN_PASSWORD)).status).toBe(200)
    // A new address is at most slowed down for a minute, not locked for an hour.
    const travelling = await loginFrom(ctl, '127.0.0.3', 'admin', TEST_ADMIN_PASSWORD)
    if (travelling.status !== 200) {
      expect(travelling.status).toBe(429)
      expect(travelling.retryAfter).toBeLessThanOrEqual(60)
    }
  })

  it("does not let a successful login clear its address's failures (password spraying)", async () => {
    const ctl = await startController({ args: LOCK })
    await createUser(ctl, { username: 'zhao', password: 'sprayed-Pw-1q2w', roles: ['scheduler'] })
    const sprayer = '127.0.0.4'
    // One below the address limit (4 × 3), each username below its own.
    for (let i = 0; i < 11; i++) {
      expect((await loginFrom(ctl, sprayer, `user${i}`, 'sprayed-Pw-1q2w')).status).toBe(401)
    }
    expect((await loginFrom(ctl, sprayer, 'zhao', 'sprayed-Pw-1q2w')).status).toBe(200)
    expect((await loginFrom(ctl, sprayer, 'user99', 'sprayed-Pw-1q2w')).status).toBe(401)
    expect((await loginFrom(ctl, sprayer, 'user100', 'sprayed-Pw-1q2w')).status).toBe(429)
  })
})

describe('failed logins and disabled owners', () => {
  it('never stores an unknown username (perhaps a password) in clear', async () => {
    const ctl = await startController()
    const typedIntoUsername = 'Tr0ub4dor-and-3'
    expect((await loginFrom(ctl, '127.0.0.5', typedIntoUsername, 'x')).status).toBe(401)
    const audit = await ctl.api<{ action: string; target: string }[]>('GET', '/api/audit')
    const failed = audit.body.find((e) => e.action === 'auth.login.failed')
    expect(failed?.target).toMatch(/^unknown:[0-9a-f]{16}$/)
    expect(JSON.stringify(audit.body)).not.toContain(typedIntoUsername)
    // Nowhere in the database files either (throttle counters included), WAL and all.
    for (const name of await readdir(ctl.dataDir)) {
      if (!name.startsWith('chorus.db')) continue
      const bytes = await readFile(join(ctl.dataDir, name))
      expect(bytes.includes(typedIntoUsername), name).toBe(false)
    }
  })

  it("revokes a user's API tokens when the user is disabled: re-enabling does not revive them", async () => {
    const ctl = await startController()
    const id = await createUser(ctl, {
      username: 'sun',
      password: 'token-Pw-5t6y',
      roles: ['technician'],
    })
    const s = await loginCookie(ctl, 'sun', 'token-Pw-5t6y')
    const t = await ctl.apiWith<{ token: string }>(s.write, 'POST', '/api/tokens', {
      name: 'prometheus',
      roles: ['technician'],
    })
    expect(t.status).toBe(201)
    const bearer = { authorization: `Bearer ${t.body.token}` }
    expect((await ctl.apiWith(bearer, 'GET', '/api/alerts')).status).toBe(200)
    expect((await ctl.api('PATCH', `/api/users/${id}`, { disabled: true })).status).toBe(200)
    expect((await ctl.api('PATCH', `/api/users/${id}`, { disabled: false })).status).toBe(200)
    expect((await ctl.apiWith(bearer, 'GET', '/api/alerts')).status).toBe(401)
  })
})
