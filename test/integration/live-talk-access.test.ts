import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { TALK_CLOSE, type TalkStatus } from '../../contract/index.js'
import { createUser, type LoginSession, loginCookie, tokenHeaders } from '../helpers/auth.js'
import { startController, type TestController } from '../helpers/controller.js'

const PW = 'talk-test-Password-2026'

/** What happened to a talk socket: refused before the upgrade (HTTP status) or its messages. */
interface Outcome {
  status: number | null
  messages: (TalkStatus | { type: 'error'; code: string; message: string })[]
  close: { code: number; reason: string } | null
}

/**
 * Opens the talk socket with these headers, sends `start` (if given) once open, and collects what
 * comes back until the server closes the socket or `until` says enough (then the test closes it).
 */
function talk(
  ctl: TestController,
  headers: Record<string, string>,
  start: unknown,
  until: (o: Outcome) => boolean = () => false,
): Promise<Outcome> {
  const out: Outcome = { status: null, messages: [], close: null }
  const ws = new WebSocket(`${ctl.url.replace(/^http/, 'ws')}/api/live/talk`, { headers })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('talk socket: no outcome in 20 s')), 20_000)
    const done = () => {
      clearTimeout(timer)
      resolve(out)
    }
    ws.on('unexpected-response', (req, res) => {
      out.status = res.statusCode ?? null
      res.resume()
      // Refused before the upgrade: the controller closes the connection (it costs nothing).
      if (req.socket) req.socket.once('close', done)
      else done()
    })
    ws.on('error', (err) => {
      if (out.status === null) reject(err)
    })
    ws.on('open', () => {
      if (start !== undefined) ws.send(JSON.stringify(start))
    })
    ws.on('message', (data) => {
      out.messages.push(JSON.parse(String(data)))
      if (until(out)) ws.close(1000, 'test done')
    })
    ws.on('close', (code, reason) => {
      out.close = { code, reason: reason.toString() }
      done()
    })
  })
}

const browser = (ctl: TestController, s: LoginSession) => ({
  cookie: s.cookie,
  origin: ctl.url,
})

describe('the talk socket (GET /api/live/talk): who may go on air', () => {
  it('refuses the anonymous, technicians, another site and zones outside the scope; lets a scheduler on air in its zone', async () => {
    const ctl = await startController()
    const town = await ctl.api<{ id: string }>('POST', '/api/zones', { name: '二十里铺镇' })
    const other = await ctl.api<{ id: string }>('POST', '/api/zones', { name: '大堡子镇' })
    await createUser(ctl, { username: 'tech', password: PW, roles: ['technician'] })
    await createUser(ctl, {
      username: 'officer',
      password: PW,
      roles: ['scheduler'],
      zones: [town.body.id],
    })
    const tech = await loginCookie(ctl, 'tech', PW)
    const officer = await loginCookie(ctl, 'officer', PW)
    const start = (zones: string[]) => ({ type: 'start', zones, mode: 'hold' })

    // No credentials: 401 before the socket opens (HTTP and WebSocket both).
    expect((await ctl.apiWith({}, 'POST', '/api/live/relay', {})).status).toBe(401)
    expect((await talk(ctl, { origin: ctl.url }, start([]))).status).toBe(401)
    // A technician: 403, whether by session or by API token.
    expect((await talk(ctl, browser(ctl, tech), start([]))).status).toBe(403)
    expect((await talk(ctl, await tokenHeaders(ctl, ['technician']), start([]))).status).toBe(403)
    const relay = { url: 'http://127.0.0.1:9/x', zones: [] }
    expect((await ctl.apiWith(tech.write, 'POST', '/api/live/relay', relay)).status).toBe(403)
    // The officer's own cookie from another site's page: 403 (no cross-site hijacking).
    const evil = await talk(
      ctl,
      { cookie: officer.cookie, origin: 'http://evil.example' },
      start([]),
    )
    expect(evil.status).toBe(403)

    // A zone outside the officer's scope, or the whole district: the socket says so and closes.
    for (const zones of [[other.body.id], [], [town.body.id, other.body.id]]) {
      const o = await talk(ctl, browser(ctl, officer), start(zones))
      expect(o.close?.code, JSON.stringify(zones)).toBe(TALK_CLOSE.forbidden)
      expect(o.close?.reason).toBe('OUT_OF_SCOPE')
      expect(o.messages).toEqual([expect.objectContaining({ type: 'error', code: 'OUT_OF_SCOPE' })])
    }
    expect(
      (
        await ctl.apiWith(officer.write, 'POST', '/api/live/relay', {
          ...relay,
          zones: [other.body.id],
        })
      ).status,
    ).toBe(403)
    // Not a start message: refused with its own code.
    const junk = await talk(ctl, browser(ctl, officer), { hello: 1 })
    expect(junk.close?.code).toBe(TALK_CLOSE.badStart)
    // Nobody went on air.
    expect(ctl.controller.deps?.services.live.list().filter((s) => s.endedAt === null)).toEqual([])

    // Its own zone: on air, with a session id, playAt and the countdown.
    const ok = await talk(ctl, browser(ctl, officer), start([town.body.id]), (o) =>
      o.messages.some((m) => m.type === 'status' && m.onAir),
    )
    const first = ok.messages[0] as TalkStatus
    expect(first).toMatchObject({ type: 'status', onAir: true, endReason: null })
    expect(first.remainingMs).toBeGreaterThan(0)
    const audit = await ctl.api<{ action: string; actor: string; target: string }[]>(
      'GET',
      '/api/audit?action=live.talk',
    )
    expect(audit.body).toEqual([
      expect.objectContaining({ action: 'live.talk', actor: 'officer', target: first.sessionId }),
    ])
  })
})

describe('the talk socket when access changes on air', () => {
  it('takes the officer off the air when an admin takes away the scheduler role', async () => {
    const ctl = await startController()
    const id = await createUser(ctl, { username: 'officer', password: PW, roles: ['scheduler'] })
    const officer = await loginCookie(ctl, 'officer', PW)
    const ws = new WebSocket(`${ctl.url.replace(/^http/, 'ws')}/api/live/talk`, {
      headers: browser(ctl, officer),
    })
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    )
    const onAir = new Promise<TalkStatus>((resolve) =>
      ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as TalkStatus
        if (m.type === 'status' && m.onAir) resolve(m)
      }),
    )
    ws.on('open', () => ws.send(JSON.stringify({ type: 'start', zones: [], mode: 'toggle' })))
    const status = await onAir
    expect((await ctl.api('PATCH', `/api/users/${id}`, { roles: ['technician'] })).status).toBe(200)
    expect(await closed).toEqual({ code: TALK_CLOSE.forbidden, reason: 'ACCESS_CHANGED' })
    const hub = ctl.controller.deps?.services.live
    await hub?.settled(status.sessionId)
    expect(hub?.get(status.sessionId)).toMatchObject({ endReason: 'closed' })
  })
})

describe('the talk socket limits', () => {
  it('closes a peer that sends audio faster than a microphone, and refuses oversized frames', async () => {
    const ctl = await startController()
    await createUser(ctl, { username: 'officer', password: PW, roles: ['scheduler'] })
    const officer = await loginCookie(ctl, 'officer', PW)
    const flood = (frame: number, count: number) => {
      const ws = new WebSocket(`${ctl.url.replace(/^http/, 'ws')}/api/live/talk`, {
        headers: browser(ctl, officer),
      })
      ws.on('error', () => undefined) // the server may cut the connection mid-send
      ws.on('open', () => ws.send(JSON.stringify({ type: 'start', zones: [], mode: 'hold' })))
      ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as TalkStatus
        if (m.type !== 'status' || !m.onAir) return
        for (let i = 0; i < count; i++) ws.send(Buffer.alloc(frame))
      })
      return new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
    }
    // 20 frames of 16 KB at once: 3.4 s of audio in an instant (the burst allows 2 s).
    expect(await flood(16_000, 20)).toBe(TALK_CLOSE.tooMuch)
    // One frame over the message limit: ws refuses it (1009, message too big).
    expect(await flood(64 * 1024, 1)).toBe(1009)
    const hub = ctl.controller.deps?.services.live
    await Promise.all((hub?.list() ?? []).map((s) => hub?.settled(s.id)))
    expect(hub?.list().filter((s) => s.endedAt === null)).toEqual([])
  })
})
