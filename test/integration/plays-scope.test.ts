import { describe, expect, it } from 'vitest'
import type { Play } from '../../contract/index.js'
import { makeTone } from '../helpers/audio.js'
import { tokenHeaders } from '../helpers/auth.js'
import { startController, type TestController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { rawNode } from '../helpers/node-client.js'
import { tmpDir } from '../helpers/tmp-dir.js'

interface Page {
  items: Play[]
  total: number
}

const DATE = '2030-05-06'

/** Two towns with a node each, a day with two items, and four play events stored as ingested. */
async function playedDay(ctl: TestController) {
  const zone = async (name: string) =>
    (await ctl.api<{ id: string }>('POST', '/api/zones', { name })).body.id
  const townA = await zone('二十里铺镇')
  const townB = await zone('大堡子镇')
  const a = await ctl.register('宋家寨 1', townA)
  const b = await ctl.register('严小村 1', townB)
  const news = await ctl.upload(await makeTone(tmpDir(), 'news', 1, 440), '新闻录音')
  const policy = await ctl.upload(await makeTone(tmpDir(), 'policy', 1, 660), '政策解读')
  const put = await ctl.api('PUT', `/api/days/${DATE}`, {
    items: [
      { id: 'm1', start: '08:00:00', audioId: news.id, title: '早间新闻' },
      // No title of its own: the recording's.
      { id: 'm2', start: '09:00:00', audioId: policy.id, title: '' },
    ],
  })
  expect(put.status).toBe(200)
  let second = 0
  const event = (nodeId: string, id: string, type: string, item: string, audioId: string) => {
    second += 1
    const at = `${DATE}T08:00:0${second}.000+08:00`
    const body = { type, at, itemId: `${DATE}/${item}`, audioId, deviationMs: 120 }
    return {
      nodeId,
      id,
      type,
      at,
      date: DATE,
      itemId: `${DATE}/${item}`,
      reason: type === 'play.failed' ? 'download' : null,
      body: JSON.stringify(body),
      receivedAt: at,
    }
  }
  const deps = ctl.controller.deps
  if (!deps) throw new Error('no deps')
  deps.repos.events.insertBatch([
    event(a.id, 'a1', 'play.started', 'm1', news.id),
    event(a.id, 'a2', 'play.finished', 'm2', policy.id),
    // Played under an earlier running order, then edited away: the recording's title.
    event(a.id, 'a3', 'play.finished', 'gone', policy.id),
    event(b.id, 'b1', 'play.failed', 'm1', news.id),
  ])
  return { townA, townB, a, b }
}

describe('GET /api/plays', () => {
  it('gives a technician titles and node names, and a zone-limited user only its zones', async () => {
    const ctl = await startController()
    const { townA, townB, a, b } = await playedDay(ctl)
    const get = async (headers: Record<string, string>, query = '') => {
      const r = await ctl.apiWith<Page | Play[]>(headers, 'GET', `/api/plays?date=${DATE}${query}`)
      expect(r.status).toBe(200)
      return r
    }

    // A technician (who may not read running orders) reads titles, not ids.
    const tech = await tokenHeaders(ctl, ['technician'])
    const all = (await get(tech, '&limit=10')).body as Page
    expect(all.total).toBe(4)
    expect(all.items.map((p) => [p.eventId, p.title, p.nodeName])).toEqual([
      ['a1', '早间新闻', '宋家寨 1'],
      ['a2', '政策解读', '宋家寨 1'],
      ['a3', '政策解读', '宋家寨 1'],
      ['b1', '早间新闻', '严小村 1'],
    ])
    expect(all.items[0]).toMatchObject({ deviationMs: 120, type: 'play.started' })

    // Limited to town A: only node a's plays, whatever the filters ask for.
    const techA = await tokenHeaders(ctl, ['technician'], [townA])
    const unpaged = await get(techA)
    expect((unpaged.body as Play[]).map((p) => p.eventId)).toEqual(['a1', 'a2', 'a3'])
    expect(unpaged.headers.get('x-total-count')).toBe('3')
    expect(((await get(techA, '&limit=10')).body as Page).total).toBe(3)
    expect(((await get(techA, `&zone=${townB}`)).body as Page).total).toBe(0)
    expect(((await get(techA, `&node=${b.id}`)).body as Page).total).toBe(0)
    expect(((await get(techA, `&node=${a.id}`)).body as Page).total).toBe(3)
    expect(((await get(techA, '&outcome=failed')).body as Page).total).toBe(0)

    // A scheduler limited to town B: only node b's.
    const schedB = await tokenHeaders(ctl, ['scheduler'], [townB])
    const ofB = (await get(schedB, '&limit=10')).body as Page
    expect(ofB.items.map((p) => [p.eventId, p.title, p.reason])).toEqual([
      ['b1', '早间新闻', 'download'],
    ])

    // An installer may not read plays at all.
    const inst = await tokenHeaders(ctl, ['installer'])
    expect((await ctl.apiWith(inst, 'GET', `/api/plays?date=${DATE}`)).status).toBe(403)
  })
})

describe('GET /api/reports/day for a user limited to zones', () => {
  it('holds only the nodes and zones it reaches, in JSON and in the CSV', async () => {
    const ctl = await startController()
    const zone = async (name: string, parentId?: string) =>
      (await ctl.api<{ id: string }>('POST', '/api/zones', { name, parentId })).body.id
    const district = await zone('城北区')
    const townA = await zone('二十里铺镇', district)
    const townB = await zone('大堡子镇', district)
    const a = await rawNode(ctl, '宋家寨 1', townA)
    const b = await rawNode(ctl, '严小村 1', townB)
    for (const node of [a, b]) {
      await node.birth()
      await waitFor(
        async () =>
          (await ctl.api<{ online: boolean }>('GET', `/api/nodes/${node.id}`)).body.online,
        'the birth stored',
      )
    }
    const today = (await ctl.api<{ date: string }>('GET', '/api/reports/deviation')).body.date
    interface Day {
      speakers: number
      byZone: { zoneId: string; nodes: number }[]
      nodes: { nodeId: string }[]
    }
    const whole = await ctl.api<Day>('GET', `/api/reports/day?date=${today}`)
    expect(whole.body.speakers).toBe(2)
    expect(whole.body.byZone.map((z) => z.zoneId).sort()).toEqual([district, townA, townB].sort())

    const schedB = await tokenHeaders(ctl, ['scheduler'], [townB])
    const mine = await ctl.apiWith<Day>(schedB, 'GET', `/api/reports/day?date=${today}`)
    expect(mine.status).toBe(200)
    expect(mine.body.speakers).toBe(1)
    expect(mine.body.nodes.map((n) => n.nodeId)).toEqual([b.id])
    // The district above is not shown as if town B were all of it.
    expect(mine.body.byZone).toEqual([expect.objectContaining({ zoneId: townB, nodes: 1 })])
    const csv = await fetch(`${ctl.url}/api/reports/day?date=${today}&format=csv`, {
      headers: schedB,
    })
    const text = await csv.text()
    expect(text).toContain('严小村 1')
    expect(text).not.toContain('宋家寨 1')
  })
})
