import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { createUser, loginCookie } from '../helpers/auth.js'
import { startController } from '../helpers/controller.js'
import { steppedClock } from '../helpers/stepped-clock.js'

interface Created {
  id: string
  token: string
  roles: string[]
  owner: string
  code?: string
  message?: string
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

describe('API tokens', () => {
  it('shows a token once, limits it to its roles, stores only a hash, and revokes it', async () => {
    const ctl = await startController()
    const created = await ctl.api<Created>('POST', '/api/tokens', {
      name: 'prometheus',
      roles: ['technician'],
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      name: 'prometheus',
      roles: ['technician'],
      owner: 'admin',
    })
    expect(created.body.token).toMatch(/^chorus_[\w-]{43}$/)
    const t = bearer(created.body.token)
    expect((await ctl.apiWith(t, 'GET', '/metrics')).status).toBe(200)
    expect((await ctl.apiWith(t, 'GET', '/api/alerts')).status).toBe(200)
    expect((await ctl.apiWith(t, 'GET', '/api/audio')).status).toBe(403)
    expect((await ctl.apiWith(t, 'GET', '/api/users')).status).toBe(403)

    const list = await ctl.api<Record<string, unknown>[]>('GET', '/api/tokens')
    const listed = list.body.find((x) => x.id === created.body.id)
    expect(listed).toMatchObject({ name: 'prometheus', revokedAt: null })
    expect(listed?.lastUsedAt).toBeTruthy()
    expect(JSON.stringify(list.body)).not.toContain(created.body.token)
    const db = new Database(join(ctl.dataDir, 'chorus.db'), { readonly: true })
    const dump = JSON.stringify(db.prepare('SELECT * FROM api_tokens').all())
    db.close()
    expect(dump).not.toContain(created.body.token)

    expect((await ctl.api('DELETE', `/api/tokens/${created.body.id}`)).status).toBe(204)
    const after = await ctl.apiWith<{ code: string }>(t, 'GET', '/metrics')
    expect(after.status).toBe(401)
    expect(after.body.code).toBe('AUTH_INVALID')
    expect(
      (await ctl.apiWith({ authorization: 'Bearer chorus_forged' }, 'GET', '/metrics')).status,
    ).toBe(401)
  })

  it('lets a user create tokens only within their own roles and zones, and see only theirs', async () => {
    const ctl = await startController()
    const town = await ctl.api<{ id: string }>('POST', '/api/zones', { name: '二十里铺镇' })
    const other = await ctl.api<{ id: string }>('POST', '/api/zones', { name: '大堡子镇' })
    await createUser(ctl, {
      username: 'ma',
      password: 'first-Pw-9k7q',
      roles: ['installer', 'scheduler'],
      zones: [town.body.id],
    })
    const s = await loginCookie(ctl, 'ma', 'first-Pw-9k7q')
    const make = (body: Record<string, unknown>) =>
      ctl.apiWith<Created>(s.write, 'POST', '/api/tokens', { name: 'phone', ...body })
    expect((await make({ roles: ['technician'] })).body.code).toBe('TOKEN_INVALID')
    expect((await make({ roles: ['installer'], zones: [other.body.id] })).body.code).toBe(
      'TOKEN_INVALID',
    )
    expect((await make({ roles: ['installer'], zones: [] })).body.code).toBe('TOKEN_INVALID')
    const ok = await make({ roles: ['installer'] })
    expect(ok.status).toBe(201)
    expect(ok.body).toMatchObject({ owner: 'ma', roles: ['installer'], zones: [town.body.id] })
    const mine = await ctl.apiWith<{ owner: string }[]>(s.read, 'GET', '/api/tokens')
    expect(mine.body.map((x) => x.owner)).toEqual(['ma'])
    // Not their token: as if it did not exist.
    const admins = await ctl.api<{ id: string; owner: string }[]>('GET', '/api/tokens')
    const adminToken = admins.body.find((x) => x.owner === 'admin')!
    const revoke = await ctl.apiWith<{ code: string }>(
      s.write,
      'DELETE',
      `/api/tokens/${adminToken.id}`,
    )
    expect(revoke.body.code).toBe('TOKEN_NOT_FOUND')
  })

  it('expires a token at its expiresAt and refuses one already past', async () => {
    const clock = steppedClock()
    const ctl = await startController({ clock })
    const past = await ctl.api<Created>('POST', '/api/tokens', {
      name: 'old',
      roles: ['scheduler'],
      expiresAt: '2020-01-01T00:00:00Z',
    })
    expect(past.body.code).toBe('TOKEN_INVALID')
    const soon = await ctl.api<Created>('POST', '/api/tokens', {
      name: 'short',
      roles: ['scheduler'],
      expiresAt: new Date(clock.now() + 60_000).toISOString(),
    })
    expect((await ctl.apiWith(bearer(soon.body.token), 'GET', '/api/audio')).status).toBe(200)
    clock.step(61_000)
    expect((await ctl.apiWith(bearer(soon.body.token), 'GET', '/api/audio')).status).toBe(401)
  })

  it('loses a role its owner loses, and dies with a disabled owner', async () => {
    const ctl = await startController()
    const id = await createUser(ctl, {
      username: 'sun',
      password: 'first-Pw-9k7q',
      roles: ['scheduler', 'technician'],
    })
    const s = await loginCookie(ctl, 'sun', 'first-Pw-9k7q')
    const made = await ctl.apiWith<Created>(s.write, 'POST', '/api/tokens', {
      name: 'script',
      roles: ['scheduler', 'technician'],
    })
    const t = bearer(made.body.token)
    expect((await ctl.apiWith(t, 'GET', '/api/audio')).status).toBe(200)
    await ctl.api('PATCH', `/api/users/${id}`, { roles: ['technician'] })
    expect((await ctl.apiWith(t, 'GET', '/api/audio')).status).toBe(403)
    expect((await ctl.apiWith(t, 'GET', '/api/alerts')).status).toBe(200)
    await ctl.api('PATCH', `/api/users/${id}`, { disabled: true })
    expect((await ctl.apiWith(t, 'GET', '/api/alerts')).status).toBe(401)
  })
})
