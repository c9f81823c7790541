import { describe, expect, it } from 'vitest'
import { makeTone } from '../helpers/audio.js'
import { createUser, loginCookie, tokenHeaders } from '../helpers/auth.js'
import { startController, type TestController } from '../helpers/controller.js'
import { tmpDir } from '../helpers/tmp-dir.js'

interface Entry {
  id: number
  at: string
  actor: string
  actorKind: string
  action: string
  target: string | null
  before: Record<string, unknown> | null
  after: Record<string, unknown> | null
  details: Record<string, unknown> | null
}

async function entries(ctl: TestController, query = ''): Promise<Entry[]> {
  const r = await ctl.api<Entry[]>('GET', `/api/audit${query}`)
  expect(r.status).toBe(200)
  return r.body
}

const one = (list: Entry[], action: string) => {
  const found = list.filter((e) => e.action === action)
  expect(found, action).toHaveLength(1)
  return found[0]!
}

describe('audit log', () => {
  it('records every kind of programme change with who, what and before/after', async () => {
    const ctl = await startController()
    const sched = await tokenHeaders(ctl, ['scheduler'])
    const as = <T>(method: string, path: string, body?: unknown) =>
      ctl.apiWith<T>(sched, method, path, body)
    const form = new FormData()
    form.append('file', new Blob([await readTone()]), 'news.wav')
    form.append('title', '早间新闻')
    const up = await fetch(`${ctl.url}/api/audio`, { method: 'POST', body: form, headers: sched })
    const audio = (await up.json()) as { id: string }
    await as('PATCH', `/api/audio/${audio.id}`, { title: '午间新闻' })
    const column = await as<{ id: string }>('POST', '/api/columns', {
      name: '新闻',
      colour: '#aa3300',
    })
    await as('PATCH', `/api/columns/${column.body.id}`, { name: '要闻' })
    await as('PUT', '/api/templates/working', {
      items: [{ start: '07:00:00', audioId: audio.id }],
    })
    await as('PUT', '/api/days/2030-05-06', { items: [{ start: '08:00:00', audioId: audio.id }] })
    await as('DELETE', '/api/days/2030-05-06')
    await as('PUT', '/api/calendar/2030-05-04', { type: 'working', note: '调休' })
    const ann = await as<{ id: string }>('POST', '/api/announcements', {
      audioId: audio.id,
      priority: 'urgent',
      at: new Date(Date.now() + 3_600_000).toISOString(),
    })
    await as('POST', `/api/announcements/${ann.body.id}/cancel`)
    await as('DELETE', `/api/columns/${column.body.id}`)
    const log = await entries(ctl)
    for (const e of log.filter((x) => x.action !== 'token.create' && x.actor !== 'system')) {
      expect(e.actor, e.action).toBe('admin')
      expect(e.actorKind, e.action).toBe('token')
      expect(e.details?.token, e.action).toMatchObject({ name: 'test scheduler' })
    }
    expect(one(log, 'audio.upload')).toMatchObject({ target: audio.id })
    const edit = one(log, 'audio.update')
    expect(edit.before).toMatchObject({ title: '早间新闻' })
    expect(edit.after).toMatchObject({ title: '午间新闻' })
    expect(one(log, 'column.update').before).toMatchObject({ name: '新闻' })
    expect(one(log, 'column.delete').before).toMatchObject({ name: '要闻' })
    expect(one(log, 'column.create').target).toBe(column.body.id)
    const tpl = one(log, 'template.put')
    expect(tpl.target).toBe('working')
    expect(tpl.before).toMatchObject({ dayType: 'working' })
    expect(JSON.stringify(tpl.before)).not.toContain(audio.id)
    expect(JSON.stringify(tpl.after)).toContain(audio.id)
    expect(one(log, 'day.put').target).toBe('2030-05-06')
    expect(one(log, 'day.delete').before).toMatchObject({ date: '2030-05-06' })
    expect(one(log, 'calendar.set').after).toMatchObject({ type: 'working', note: '调休' })
    expect(one(log, 'announcement.create').target).toBe(ann.body.id)
    expect(one(log, 'announcement.cancel').before).toMatchObject({ id: ann.body.id })
    // Filters: by action prefix, by actor, by time.
    expect((await entries(ctl, '?action=column.*')).map((e) => e.action).sort()).toEqual([
      'column.create',
      'column.delete',
      'column.update',
    ])
    expect(await entries(ctl, '?actor=nobody')).toEqual([])
    expect(await entries(ctl, '?from=2099-01-01')).toEqual([])
    expect((await entries(ctl, `?to=${new Date().toISOString().slice(0, 10)}`)).length).toBe(
      log.length,
    )
  })

  it('records node provisioning and commands without ever storing a secret', async () => {
    const ctl = await startController()
    await ctl.api('POST', '/api/zones', { name: '西海路社区' })
    const reg = await ctl.api<{ id: string; secret: string; bundle: { enrollmentToken: string } }>(
      'POST',
      '/api/nodes',
      { name: '西海路 5', zone: '西海路社区' },
    )
    const id = reg.body.id
    const issued = await ctl.api<{ bundle: { enrollmentToken: string } }>(
      'POST',
      `/api/nodes/${id}/enrollment`,
    )
    const enrolled = await ctl.apiWith<{ secret: string }>({}, 'POST', '/api/enroll', {
      nodeId: id,
      token: issued.body.bundle.enrollmentToken,
    })
    const rotated = await ctl.api<{ secret: string }>('POST', `/api/nodes/${id}/rotate`)
    await ctl.api('POST', `/api/nodes/${id}/commands`, { kind: 'ping' })
    await ctl.api('POST', `/api/nodes/${id}/replace`, { serial: 'CB-2' })
    await ctl.api('POST', `/api/nodes/${id}/retire`)
    const log = await entries(ctl, '?action=node.*')
    expect(log.map((e) => e.action).reverse()).toEqual([
      'node.register',
      'node.enrollment',
      'node.enroll',
      'node.rotate',
      'node.replace',
      'node.retire',
    ])
    expect(log.every((e) => e.target === id)).toBe(true)
    expect(one(log, 'node.enroll')).toMatchObject({ actor: 'anonymous' })
    expect(one(log, 'node.retire').before).toMatchObject({ retiredAt: null })
    expect(one(log, 'node.retire').after?.retiredAt).toBeTruthy()
    expect(one(await entries(ctl), 'command.node')).toMatchObject({ target: id })
    const all = JSON.stringify(await entries(ctl))
    for (const secret of [
      reg.body.secret,
      reg.body.bundle.enrollmentToken,
      issued.body.bundle.enrollmentToken,
      enrolled.body.secret,
      rotated.body.secret,
      ctl.token,
    ]) {
      expect(all).not.toContain(secret)
    }
    expect(all).toContain('[redacted]')
  })

  it('records user and token changes, logins, logouts and refusals', async () => {
    const ctl = await startController()
    const id = await createUser(ctl, {
      username: 'chen',
      password: 'first-Pw-9k7q',
      roles: ['scheduler'],
    })
    await ctl.api('PATCH', `/api/users/${id}`, { roles: ['scheduler', 'technician'] })
    const s = await loginCookie(ctl, 'chen', 'first-Pw-9k7q')
    const tok = await ctl.apiWith<{ id: string; token: string }>(s.write, 'POST', '/api/tokens', {
      name: 'cron',
      roles: ['scheduler'],
    })
    await ctl.apiWith(s.write, 'DELETE', `/api/tokens/${tok.body.id}`)
    await ctl.apiWith(s.write, 'POST', '/api/users', {
      username: 'x',
      password: 'other-Pw-3k8w',
      roles: [],
    })
    await ctl.apiWith(s.write, 'POST', '/api/auth/password', {
      current: 'first-Pw-9k7q',
      next: 'second-Pw-9k7q',
    })
    await ctl.apiWith(s.write, 'POST', '/api/auth/logout')
    await ctl.apiWith({}, 'POST', '/api/auth/login', { username: 'chen', password: 'nope' })
    await ctl.api('DELETE', `/api/users/${id}`)
    const log = await entries(ctl)
    const update = one(log, 'user.update')
    expect(update.before).toMatchObject({ roles: ['scheduler'] })
    expect(update.after).toMatchObject({ roles: ['scheduler', 'technician'] })
    const byAdmin = log.filter((e) => e.actor !== 'system')
    expect(one(byAdmin, 'user.create')).toMatchObject({ target: 'chen', actor: 'admin' })
    expect(one(log, 'auth.login')).toMatchObject({ actor: 'chen', actorKind: 'anonymous' })
    expect(one(log, 'auth.login.failed')).toMatchObject({ target: 'chen' })
    const created = log.find((e) => e.action === 'token.create' && e.actor === 'chen')
    expect(created?.target).toBe(tok.body.id)
    expect(one(log, 'token.revoke')).toMatchObject({ actor: 'chen', target: tok.body.id })
    expect(one(log, 'access.denied')).toMatchObject({ actor: 'chen', target: '/api/users' })
    expect(one(log, 'user.password')).toMatchObject({ actor: 'chen', actorKind: 'session' })
    expect(one(log, 'auth.logout')).toMatchObject({ actor: 'chen' })
    expect(one(log, 'user.delete')).toMatchObject({ target: 'chen', actor: 'admin' })
    expect(JSON.stringify(log)).not.toMatch(/first-Pw-9k7q|second-Pw-9k7q|other-Pw-3k8w/)
    expect(JSON.stringify(log)).not.toContain(tok.body.token)
  })

  it('records monitoring changes, zones, zone commands and deletions', async () => {
    const ctl = await startController()
    const zone = await ctl.api<{ id: string }>('POST', '/api/zones', { name: '大堡子镇' })
    await ctl.register('大堡子 1', zone.body.id)
    await ctl.api('PUT', '/api/alert-rules/nodeOffline', { enabled: false })
    await ctl.api('POST', `/api/zones/${zone.body.id}/commands`, { kind: 'ping' })
    const spare = await ctl.upload(await makeTone(tmpDir(), 'spare', 1, 330), '备用')
    await ctl.api('DELETE', `/api/audio/${spare.id}`)
    const log = await entries(ctl)
    expect(one(log, 'zone.create')).toMatchObject({ target: zone.body.id })
    const rule = one(log, 'alertRule.update')
    expect(rule).toMatchObject({ target: 'nodeOffline' })
    expect(rule.before).toMatchObject({ enabled: true })
    expect(rule.after).toMatchObject({ enabled: false })
    expect(one(log, 'command.zone')).toMatchObject({ target: zone.body.id })
    const deleted = one(log, 'audio.delete')
    expect(deleted).toMatchObject({ target: spare.id, after: null })
    expect(deleted.before).toMatchObject({ title: '备用' })
  })

  it('exports CSV for admins only', async () => {
    const ctl = await startController()
    await ctl.api('POST', '/api/zones', { name: '=HYPERLINK("x")' })
    const res = await fetch(`${ctl.url}/api/audit?format=csv`, { headers: ctl.headers })
    expect(res.headers.get('content-type')).toMatch(/text\/csv/)
    const text = (await res.text()).replace(/^\uFEFF/, '')
    const [header, ...rows] = text.trimEnd().split('\r\n')
    expect(header).toBe('at,actor,actorKind,action,target,ip,before,after,details')
    expect(rows.some((r) => r.includes(',zone.create,'))).toBe(true)
    for (const role of ['scheduler', 'technician', 'installer'] as const) {
      const r = await ctl.apiWith(await tokenHeaders(ctl, [role]), 'GET', '/api/audit')
      expect(r.status, role).toBe(403)
    }
  })
})

async function readTone(): Promise<Buffer> {
  const { readFile } = await import('node:fs/promises')
  return readFile(await makeTone(tmpDir(), 'news', 1, 440))
}
