import { describe, expect, it } from 'vitest'
import type { Announcement } from '../../contract/index.js'
import { tokenHeaders } from '../helpers/auth.js'
import { startController, type TestController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { openStream } from '../helpers/stream.js'
import { twoTowns } from '../helpers/zones.js'
import { uploadTone } from './programme-fixtures.js'

/** The stream's announcements so far, every frame's together. */
async function announcementStream(ctl: TestController, headers: Record<string, string>) {
  const stream = await openStream(ctl, headers)
  return { items: () => stream.of('announcements').flat() as Announcement[], close: stream.close }
}

describe('分级管理: announcements a user limited to zones sees', () => {
  it('lists, reads and streams only those reaching their zones, narrowed to their nodes', async () => {
    const ctl = await startController()
    const { townA, villageA, townB, a, b } = await twoTowns(ctl)
    const village = await tokenHeaders(ctl, ['scheduler'], [villageA])
    const whole = await announcementStream(ctl, await tokenHeaders(ctl, ['scheduler']))
    const limited = await announcementStream(ctl, village)
    const news = await uploadTone(ctl, '通知', 1)
    const announce = async (title: string, zones?: string[]) => {
      const r = await ctl.api<Announcement>('POST', '/api/announcements', {
        audioId: news.id,
        priority: 'urgent',
        title,
        ...(zones ? { zones } : {}),
      })
      expect(r.status).toBe(201)
      return r.body
    }
    const toB = await announce('大堡子镇停水', [townB])
    const everyone = await announce('全区防汛')
    const toTownA = await announce('二十里铺镇通知', [townA])
    const toVillage = await announce('宋家寨村通知', [villageA])

    // The district office sees all four, each with all its nodes.
    const all = await ctl.api<Announcement[]>('GET', '/api/announcements')
    expect(all.body.map((x) => x.title).sort()).toEqual(
      ['全区防汛', '大堡子镇停水', '二十里铺镇通知', '宋家寨村通知'].sort(),
    )
    expect(
      all.body
        .find((x) => x.id === everyone.id)
        ?.nodes.map((n) => n.nodeId)
        .sort(),
    ).toEqual([a.id, b.id].sort())

    // The village scheduler: the district-wide one, the one to its town (both reach its node)
    // and its own; not the other town's. Node results and figures are only its own node's.
    const mine = await ctl.apiWith<Announcement[]>(village, 'GET', '/api/announcements')
    expect(mine.status).toBe(200)
    expect(mine.body.map((x) => x.id).sort()).toEqual(
      [everyone.id, toTownA.id, toVillage.id].sort(),
    )
    const wide = mine.body.find((x) => x.id === everyone.id)!
    expect(wide.nodes.map((n) => n.nodeId)).toEqual([a.id])
    expect(wide.counts.targeted).toBe(1)
    expect((await ctl.apiWith(village, 'GET', `/api/announcements/${toB.id}`)).status).toBe(403)
    const one = await ctl.apiWith<Announcement>(village, 'GET', `/api/announcements/${everyone.id}`)
    expect([one.status, one.body.nodes.map((n) => n.nodeId)]).toEqual([200, [a.id]])
    // Seen, not theirs to withdraw; nothing changed.
    expect(
      (await ctl.apiWith(village, 'POST', `/api/announcements/${everyone.id}/cancel`)).status,
    ).toBe(403)
    expect(
      (await ctl.api<Announcement>('GET', `/api/announcements/${everyone.id}`)).body.cancelledAt,
    ).toBeNull()

    // The live stream: the other town's announcement never reaches the limited stream.
    await waitFor(
      async () => limited.items().some((x) => x.id === toVillage.id),
      'the village announcement on the limited stream',
    )
    await waitFor(
      async () => whole.items().some((x) => x.id === toVillage.id),
      'the village announcement on the whole stream',
    )
    expect(whole.items().some((x) => x.id === toB.id)).toBe(true)
    expect(limited.items().some((x) => x.id === toB.id)).toBe(false)
    expect(limited.items().some((x) => x.id === everyone.id)).toBe(true)
    for (const x of limited.items()) expect(x.nodes.every((n) => n.nodeId === a.id)).toBe(true)
    limited.close()
    whole.close()
  })
})
