/**
 * Issue 13: who may go on air. Only schedulers (and admins), only into their zones; a node reads
 * only the streams of sessions that target it. A URL relay opened and ended over HTTP.
 */
import { createReadStream } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it, onTestFinished } from 'vitest'
import { makeTone } from '../helpers/audio.js'
import { nodeBasic, tokenHeaders } from '../helpers/auth.js'
import { startController } from '../helpers/controller.js'
import { tmpDir } from '../helpers/tmp-dir.js'

interface Session {
  id: string
  zones: string[]
  endReason: string | null
  code?: string
}

describe('live sessions: access', () => {
  it('lets schedulers go on air only into their zones, and nodes read only their streams', async () => {
    const ctl = await startController()
    const a = await ctl.api<{ id: string }>('POST', '/api/zones', { name: '工具厂社区' })
    const b = await ctl.api<{ id: string }>('POST', '/api/zones', { name: '严小村' })
    const inA = await ctl.register('喇叭 A', a.body.id)
    await ctl.register('喇叭 B', b.body.id)
    // A local source the relay reads (an HTTP stream served by the test).
    const tone = await makeTone(tmpDir(), 'relay', 20, 440)
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'audio/wav' })
      createReadStream(tone).pipe(res)
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    onTestFinished(() => new Promise<void>((r) => server.close(() => r())))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stream`

    const technician = await tokenHeaders(ctl, ['technician'])
    const schedulerA = await tokenHeaders(ctl, ['scheduler'], [a.body.id])
    const schedulerB = await tokenHeaders(ctl, ['scheduler'], [b.body.id])
    const open = (h: Record<string, string>, body: unknown) =>
      ctl.apiWith<Session>(h, 'POST', '/api/live', body)

    expect((await open(technician, { zones: [a.body.id], url })).status).toBe(403)
    expect((await open(schedulerA, { zones: [b.body.id], url })).status).toBe(403)
    expect((await open(schedulerA, { zones: [], url })).status).toBe(403)
    const bad = await open(schedulerA, { zones: [a.body.id], url: 'file:///etc/passwd' })
    expect(bad.status).toBe(422)
    expect(bad.body.code).toBe('LIVE_INVALID')
    expect((await ctl.api('GET', '/api/live')).status).toBe(200)

    const opened = await open(schedulerA, { zones: [a.body.id], url, maxSec: 60 })
    expect(opened.status).toBe(201)
    const id = opened.body.id
    expect(opened.body.endReason).toBeNull()
    // A second relay into the same zone is refused while the first is on air.
    expect((await open(schedulerA, { zones: [a.body.id], url })).status).toBe(409)
    // Outside the session's zones: no reading it, no ending it.
    expect((await ctl.apiWith(schedulerB, 'GET', `/api/live/${id}`)).status).toBe(403)
    expect((await ctl.apiWith(schedulerB, 'POST', `/api/live/${id}/end`, {})).status).toBe(403)
    // Nodes: the stream only, and only of a session that targets them.
    const node = nodeBasic(inA)
    expect((await ctl.apiWith(node, 'GET', '/api/live')).status).toBe(403)
    const res = await fetch(`${ctl.url}/api/live/${id}/stream`, { headers: node })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('audio/ogg')
    const reader = res.body?.getReader()
    const first = await reader?.read()
    expect(
      Buffer.from(first?.value ?? [])
        .subarray(0, 4)
        .toString('latin1'),
    ).toBe('OggS')
    await reader?.cancel()
    expect((await ctl.apiWith(technician, 'GET', `/api/live/${id}/stream`)).status).toBe(403)
    expect((await ctl.apiWith(node, 'GET', '/api/live/0123456789ab/stream')).status).toBe(404)

    const ended = await ctl.apiWith<Session>(schedulerA, 'POST', `/api/live/${id}/end`, {})
    expect(ended.status).toBe(200)
    expect(ended.body.endReason).toBe('ended')
    await ctl.controller.deps?.services.live.settled(id)
    expect((await ctl.apiWith(node, 'GET', `/api/live/${id}/stream`)).status).toBe(410)
    const rec = await ctl.apiWith(schedulerA, 'GET', `/api/live/${id}/recording`)
    expect(rec.status).toBe(200)
    const audit = await ctl.api<unknown>('GET', '/api/audit?action=live.*')
    // Opened through the API, then over: both on record (the end with its length and nodes).
    expect(JSON.stringify(audit.body)).toContain('live.open')
    expect(JSON.stringify(audit.body)).toContain('live.ended')
  })
})
