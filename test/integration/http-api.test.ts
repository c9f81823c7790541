import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodedPcm, makeTone } from '../helpers/audio.js'
import { loginCookie } from '../helpers/auth.js'
import { startController, type TestController } from '../helpers/controller.js'
import { tmpDir } from '../helpers/tmp-dir.js'

async function uploadRaw(ctl: TestController, bytes: Buffer, name: string) {
  const form = new FormData()
  form.append('file', new Blob([bytes]), name)
  const res = await fetch(`${ctl.url}/api/audio`, {
    method: 'POST',
    body: form,
    headers: ctl.headers,
  })
  return { status: res.status, body: (await res.json()) as { code: string; message: string } }
}

describe('POST /api/nodes', () => {
  it('registers a node, shows its secret once, and lists it without the secret', async () => {
    const ctl = await startController()
    await ctl.api('POST', '/api/zones', { name: '西海路社区' })
    const created = await ctl.api<Record<string, unknown>>('POST', '/api/nodes', {
      name: '西海路 7',
      zone: '西海路社区',
      lat: 36.65,
      lon: 101.76,
    })
    expect(created.status).toBe(201)
    expect(created.body.secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(created.body).toMatchObject({ name: '西海路 7', zoneName: '西海路社区', online: false })
    const list = await ctl.api<Record<string, unknown>[]>('GET', '/api/nodes')
    expect(list.body).toHaveLength(1)
    expect(list.body[0]).toMatchObject({ id: created.body.id, online: false, lastSeen: null })
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret as string)
    expect(list.body[0]).not.toHaveProperty('secretHash')
  })

  it.each([
    [{}, /name/],
    [{ name: '', zone: 'x' }, /name/],
    [{ name: 'a', zone: 'x', lat: 200 }, /lat/],
    [{ name: 'a', zone: 'x', extra: 1 }, /additional/],
  ])('refuses %o with a 400 that names the problem and creates nothing', async (body, re) => {
    const ctl = await startController()
    const r = await ctl.api<{ code: string; message: string }>('POST', '/api/nodes', body)
    expect(r.status).toBe(400)
    expect(r.body.code).toBe('BAD_REQUEST')
    expect(r.body.message).toMatch(re)
    expect((await ctl.api<unknown[]>('GET', '/api/nodes')).body).toEqual([])
  })

  it('answers malformed JSON with a 400, not a 500', async () => {
    const ctl = await startController()
    const res = await fetch(`${ctl.url}/api/nodes`, {
      method: 'POST',
      headers: { ...ctl.headers, 'content-type': 'application/json' },
      body: '{"name": ',
    })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { message: string }
    expect(body.message).not.toMatch(/at .*\.js/)
  })
})

describe('POST /api/audio', () => {
  it('stores a recording normalised and content-addressed, once however often it is uploaded', async () => {
    const ctl = await startController()
    const dir = tmpDir()
    const tone = await makeTone(dir, 'tone', 2, 440, 'wav')
    const first = await ctl.upload(tone, '天气预报')
    expect(first).toMatchObject({ title: '天气预报', silent: false })
    expect(first.durationMs).toBeGreaterThan(1950)
    expect(first.durationMs).toBeLessThan(2100)
    const again = await ctl.upload(tone, 'again')
    expect(again.id).toBe(first.id)
    const stored = readdirSync(join(ctl.dataDir, 'audio'))
    expect(stored).toEqual([`${first.sha256}.mp3`])
    expect(readdirSync(join(ctl.dataDir, 'tmp'))).toEqual([])

    // Delivery supports ranges and ETags, so agents resume and never fetch twice.
    const file = await fetch(`${ctl.url}/api/audio/files/${first.sha256}`, { headers: ctl.headers })
    expect(file.status).toBe(200)
    const etag = file.headers.get('etag')
    const bytes = Buffer.from(await file.arrayBuffer())
    const part = await fetch(`${ctl.url}/api/audio/files/${first.sha256}`, {
      headers: { ...ctl.headers, range: 'bytes=100-' },
    })
    expect(part.status).toBe(206)
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(100))
    const cached = await fetch(`${ctl.url}/api/audio/files/${first.sha256}`, {
      // fetch adds `cache-control: no-cache` to conditional requests unless one is given.
      headers: { ...ctl.headers, 'if-none-match': etag ?? '', 'cache-control': 'max-age=0' },
    })
    expect(cached.status).toBe(304)
    writeFileSync(join(dir, 'delivered.mp3'), bytes)
    expect(decodedPcm(join(dir, 'delivered.mp3')).durationMs).toBeGreaterThan(1900)
  })

  it.each([
    [
      'a text file',
      Buffer.from('hello, this is not audio\n'.repeat(50)),
      'notes.mp3',
      /not an audio/,
    ],
    ['an empty file', Buffer.alloc(0), 'empty.wav', /empty/],
    [
      'random bytes',
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
      'x.ogg',
      /not an audio|damaged/,
    ],
  ])('refuses %s with a reason and leaves nothing behind', async (_what, bytes, name, re) => {
    const ctl = await startController()
    const r = await uploadRaw(ctl, bytes, name)
    expect(r.status).toBe(422)
    expect(r.body).toMatchObject({ code: 'AUDIO_INVALID' })
    expect(r.body.message).toMatch(re)
    expect(readdirSync(join(ctl.dataDir, 'audio'))).toEqual([])
    expect(readdirSync(join(ctl.dataDir, 'tmp'))).toEqual([])
    expect((await ctl.api<unknown[]>('GET', '/api/audio')).body).toEqual([])
  })

  it('refuses a file over the size limit with a 413', async () => {
    const ctl = await startController({ args: ['--max-upload-mb', '1'] })
    const r = await uploadRaw(ctl, Buffer.alloc(1024 * 1024 + 10, 1), 'big.wav')
    expect(r.status).toBe(413)
    expect(r.body.code).toBe('AUDIO_TOO_LARGE')
    expect(readdirSync(join(ctl.dataDir, 'tmp'))).toEqual([])
  })

  it('refuses a request without a file', async () => {
    const ctl = await startController()
    const r = await ctl.api<{ code: string }>('POST', '/api/audio', { title: 'x' })
    expect(r.status).toBe(400)
    expect(r.body.code).toBe('AUDIO_MISSING_FILE')
  })
})

describe('PUT /api/days/:date', () => {
  it('saves a running order with stable item ids and reports unknown audio clearly', async () => {
    const ctl = await startController()
    const bad = await ctl.api<{ code: string; message: string }>('PUT', '/api/days/2026-12-01', {
      items: [{ start: '08:00:00', audioId: 'a-nope', title: 'x' }],
    })
    expect(bad.status).toBe(422)
    expect(bad.body.message).toMatch(/a-nope/)
    const empty = await ctl.api<{ items: unknown[] }>('PUT', '/api/days/2026-12-01', {
      items: [
        { start: '08:00:00', audioId: null, title: '空' },
        { start: '08:00:00', audioId: null, title: '空 2' },
      ],
    })
    expect(empty.status).toBe(200)
    expect(empty.body.items).toMatchObject([{ id: 't080000' }, { id: 't080000-2' }])
    const read = await ctl.api<{ items: unknown[] }>('GET', '/api/days/2026-12-01')
    expect(read.body.items).toHaveLength(2)
    for (const [path, body] of [
      ['/api/days/2026-13-40', { items: [] }],
      ['/api/days/2026-12-01', { items: [{ start: '25:00:00', audioId: null }] }],
      ['/api/days/2026-12-01', { items: 'none' }],
    ] as const) {
      expect((await ctl.api('PUT', path, body)).status).toBe(400)
    }
  })
})

describe('GET /api/health', () => {
  it('reports broker, database and uptime', async () => {
    const ctl = await startController()
    const r = await ctl.api<Record<string, unknown>>('GET', '/api/health')
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({
      status: 'ok',
      broker: { mode: 'embedded', connected: true },
      database: { ok: true },
    })
    expect(typeof r.body.uptimeSec).toBe('number')
  })

  it('tells anonymous callers only whether the controller is alive', async () => {
    const ctl = await startController()
    const node = await ctl.register('health probe')
    const basic = `Basic ${Buffer.from(`${node.id}:${node.secret}`).toString('base64')}`
    // Anonymous, a wrong token, and a node's own credentials: liveness only, never a 401.
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: basic },
    ]
    for (const headers of attempts) {
      const r = await ctl.apiWith<Record<string, unknown>>(headers, 'GET', '/api/health')
      expect(r.status).toBe(200)
      expect(r.body).toEqual({ status: 'ok' })
      expect(r.headers.get('www-authenticate')).toBeNull()
    }
    // A logged-in user (a token, or the web UI's session cookie) gets the details. No node is
    // connected, and the controller is an in-process session of its broker, not a client.
    const full = await ctl.api<{ broker: { clients: number; connected: boolean } }>(
      'GET',
      '/api/health',
    )
    expect(full.body.broker).toMatchObject({ clients: 0, connected: true })
    const session = await loginCookie(ctl)
    const web = await ctl.apiWith<{ broker?: unknown }>(session.read, 'GET', '/api/health')
    expect(web.body.broker).toMatchObject({ clients: 0 })
  })

  it('answers unknown routes with a JSON 404', async () => {
    const ctl = await startController()
    const r = await ctl.api<{ code: string }>('GET', '/api/nope')
    expect(r.status).toBe(404)
    expect(r.body.code).toBe('NOT_FOUND')
  })
})
