import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { instantToLocalDate, instantToLocalTime } from '../../schedules/index.js'
import type { Agent, AgentEvents } from '../../speaker-agent/agent.js'
import { makeTone } from '../helpers/audio.js'
import { startController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { tmpDir } from '../helpers/tmp-dir.js'
import { itemsOn, planOf, startNode, uploadTone } from './programme-fixtures.js'

const TZ = 'Asia/Shanghai'

/** Resolves with the next agent event of `name` that matches `pred`. */
function next<K extends keyof AgentEvents>(
  agent: Agent,
  name: K,
  pred: (...args: AgentEvents[K]) => boolean = () => true,
): Promise<AgentEvents[K][0]> {
  return new Promise((resolve) => {
    const listener = (...args: AgentEvents[K]) => {
      if (!pred(...args)) return
      agent.events.off(name, listener as never)
      resolve(args[0])
    }
    agent.events.on(name, listener as never)
  })
}

interface AnnouncementView {
  id: string
  status: string
  date: string
  counts: { targeted: number; acknowledged: number; pendingOnline: number; played: number }
  nodes: { nodeId: string; delivery: string; play: { status: string; drill: boolean } | null }[]
}

describe('POST /api/announcements on real agents', () => {
  it('interrupts a playing segment, says so, and the programme resumes in progress', async () => {
    const ctl = await startController()
    const segment = await uploadTone(ctl, '长节目', 6, 440)
    const alert = await uploadTone(ctl, '紧急通知', 1.5, 880)
    const node = await startNode(ctl, { name: '西海路 1' })
    const at = Math.ceil((Date.now() + 3000) / 1000) * 1000
    const date = instantToLocalDate(at, TZ)
    const started = next(node.agent, 'started', (e) => e.audioId === segment.id)
    await ctl.api('PUT', `/api/days/${date}`, {
      mode: 'add',
      items: [{ start: instantToLocalTime(at, TZ), audioId: segment.id, title: '长节目' }],
    })
    const first = await started
    const cut = next(node.agent, 'interrupted')
    const played = next(node.agent, 'played', (e) => e.audioId === alert.id)
    const resumed = next(node.agent, 'started', (e) => e.audioId === segment.id && !!e.offsetMs)
    const finished = next(node.agent, 'played', (e) => e.audioId === segment.id)
    const post = await ctl.api<AnnouncementView>('POST', '/api/announcements', {
      audioId: alert.id,
      priority: 'urgent',
      title: '停水通知',
    })
    expect(post.status).toBe(201)
    const interrupted = await cut
    expect(interrupted).toMatchObject({
      itemId: first.itemId,
      reason: 'preempted',
      byItemId: `${post.body.date}/ann-${post.body.id}`,
    })
    expect(interrupted.playedMs).toBeGreaterThan(0)
    expect((await played).rmsDb).toBeGreaterThan(-40)
    const back = await resumed
    expect(back.offsetMs).toBeGreaterThan(interrupted.playedMs)
    const end = await finished
    expect(end.offsetMs).toBe(back.offsetMs)
    const name = first.itemId.replace('/', '_')
    expect(existsSync(join(node.wavDir, `${name}.wav`))).toBe(true)
    expect(existsSync(join(node.wavDir, `${name}_from${back.offsetMs}.wav`))).toBe(true)

    const view = await waitFor(async () => {
      const r = await ctl.api<AnnouncementView>('GET', `/api/announcements/${post.body.id}`)
      return r.body.nodes[0]?.play?.status === 'played' ? r.body : null
    }, 'the announcement reported played')
    expect(view).toMatchObject({
      status: 'delivered',
      counts: { targeted: 1, acknowledged: 1, pendingOnline: 0, played: 1 },
    })
    const report = await waitFor(async () => {
      const r = await ctl.api<{
        nodes: { items: { itemId: string; status: string; interrupted: boolean; kind: string }[] }[]
      }>('GET', `/api/reports/day?date=${date}`)
      const items = r.body.nodes[0]?.items ?? []
      return items.some((i) => i.itemId === first.itemId && i.status === 'played') ? items : null
    }, 'the report shows the segment played')
    expect(report.find((i) => i.itemId === first.itemId)).toMatchObject({ interrupted: true })
    expect(report.find((i) => i.kind === 'announcement')).toMatchObject({ status: 'played' })
  }, 40_000)

  it('plays an emergency over an urgent announcement, then the urgent one again from its start', async () => {
    const ctl = await startController()
    const urgent = await uploadTone(ctl, 'urgent', 4, 500)
    const emergency = await uploadTone(ctl, 'emergency', 1, 1000)
    const node = await startNode(ctl, { name: 'n1' })
    const order: string[] = []
    for (const type of ['started', 'played', 'interrupted'] as const) {
      node.agent.events.on(type, (e: { audioId: string }) =>
        order.push(`${e.audioId === urgent.id ? 'urgent' : 'emergency'} ${type}`),
      )
    }
    const urgentStarted = next(node.agent, 'started', (e) => e.audioId === urgent.id)
    await ctl.api('POST', '/api/announcements', { audioId: urgent.id, priority: 'urgent' })
    await urgentStarted
    const replayed = next(node.agent, 'played', (e) => e.audioId === urgent.id)
    await ctl.api('POST', '/api/announcements', { audioId: emergency.id, priority: 'emergency' })
    const done = await replayed
    expect(done.offsetMs).toBeUndefined()
    expect(done.playedMs).toBeGreaterThan(3500)
    expect(order).toEqual([
      'urgent started',
      'urgent interrupted',
      'emergency started',
      'emergency played',
      'urgent started',
      'urgent played',
    ])
  }, 40_000)

  it('plays a drill only on test nodes and marks its reports as drill', async () => {
    const ctl = await startController()
    const drill = await uploadTone(ctl, '演练', 1, 700)
    const test = await startNode(ctl, { name: '测试喇叭', isTest: true })
    const regular = await startNode(ctl, { name: '普通喇叭' })
    const played = next(test.agent, 'played', (e) => e.audioId === drill.id)
    const post = await ctl.api<AnnouncementView>('POST', '/api/announcements', {
      audioId: drill.id,
      priority: 'urgent',
      drill: true,
    })
    expect((await played).drill).toBe(true)
    const ann = `${post.body.date}/ann-${post.body.id}`
    expect(await itemsOn(ctl, test.nodeId, post.body.date)).toContain(ann)
    expect(await itemsOn(ctl, regular.nodeId, post.body.date)).not.toContain(ann)
    const view = await waitFor(async () => {
      const r = await ctl.api<AnnouncementView>('GET', `/api/announcements/${post.body.id}`)
      return r.body.nodes[0]?.play?.status === 'played' ? r.body : null
    }, 'the drill reported played')
    expect(view.nodes.map((n) => n.nodeId)).toEqual([test.nodeId])
    expect(view.nodes[0]?.play?.drill).toBe(true)
    const report = await ctl.api<{
      totals: { scheduled: number }
      drill: { scheduled: number; played: number }
    }>('GET', `/api/reports/day?date=${post.body.date}`)
    expect(report.body.drill).toMatchObject({ scheduled: 1, played: 1 })
    expect(report.body.totals.scheduled).toBe(0)
  }, 40_000)
})

describe('POST /api/announcements: validation and cancel', () => {
  it('refuses unknown audio and zones and past instants, and cancels a scheduled one', async () => {
    const ctl = await startController()
    const a = await uploadTone(ctl, 'a', 1)
    const node = await ctl.register('n1')
    for (const body of [
      { audioId: 'a-nope', priority: 'urgent' },
      { audioId: a.id, priority: 'urgent', zones: ['z-nope'] },
      { audioId: a.id, priority: 'urgent', at: '2020-01-01T00:00:00Z' },
    ]) {
      const r = await ctl.api<{ code: string }>('POST', '/api/announcements', body)
      expect([r.status, r.body.code]).toEqual([422, 'ANNOUNCEMENT_INVALID'])
    }
    expect((await ctl.api('POST', '/api/announcements', { audioId: a.id })).status).toBe(400)
    const later = new Date(Date.now() + 3_600_000).toISOString()
    const created = await ctl.api<AnnouncementView>('POST', '/api/announcements', {
      audioId: a.id,
      priority: 'emergency',
      at: later,
    })
    const itemId = `${created.body.date}/ann-${created.body.id}`
    const item = (await planOf(ctl, node.id)).items.find((i) => i.itemId === itemId)
    expect(item).toMatchObject({ kind: 'announcement', priority: 95 })
    const inUse = await ctl.api<{ code: string; message: string }>('DELETE', `/api/audio/${a.id}`)
    expect(inUse.body.code).toBe('AUDIO_IN_USE')
    expect(inUse.body.message).toContain('announcements')
    const cancelled = await ctl.api<AnnouncementView>(
      'POST',
      `/api/announcements/${created.body.id}/cancel`,
    )
    expect(cancelled.body.status).toBe('cancelled')
    expect((await planOf(ctl, node.id)).items.some((i) => i.itemId === itemId)).toBe(false)
    const again = await ctl.api<{ code: string }>(
      'POST',
      `/api/announcements/${created.body.id}/cancel`,
    )
    expect([again.status, again.body.code]).toEqual([409, 'ANNOUNCEMENT_CLOSED'])
  })

  it('accepts a fresh recording as a multipart upload', async () => {
    const ctl = await startController()
    const file = await makeTone(tmpDir(), 'fresh', 1, 600)
    const form = new FormData()
    form.append('file', new Blob([await readFile(file)]), 'fresh.wav')
    form.append('title', '临时通知')
    form.append('priority', 'emergency')
    const res = await fetch(`${ctl.url}/api/announcements`, {
      method: 'POST',
      body: form,
      headers: ctl.headers,
    })
    const body = (await res.json()) as AnnouncementView & { title: string; level: string }
    expect(res.status).toBe(201)
    expect(body).toMatchObject({ title: '临时通知', level: 'emergency' })
    const library = await ctl.api<{ id: string }[]>('GET', '/api/audio')
    expect(library.body).toHaveLength(1)
  })
})
