import { describe, expect, it } from 'vitest'
import type { Play } from '../../contract/index.js'
import { makeTone } from '../helpers/audio.js'
import { tokenHeaders } from '../helpers/auth.js'
import { startController, type TestController } from '../helpers/controller.js'
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
