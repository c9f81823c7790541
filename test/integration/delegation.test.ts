import { describe, expect, it } from 'vitest'
import { tokenHeaders } from '../helpers/auth.js'
import { startController } from '../helpers/controller.js'
import { uploadTone } from './programme-fixtures.js'

describe('分级管理: a scheduler limited to a town', () => {
  it('cannot change the district-wide programme, and announces only into its own zones', async () => {
    const ctl = await startController()
    await ctl.api('POST', '/api/zones/setup', {
      district: '630105',
      towns: ['630105100', '630105101'],
    })
    const zones = (await ctl.api<{ id: string; code: string }[]>('GET', '/api/zones')).body
    const dbz = zones.find((z) => z.code === '630105100')?.id as string
    const town = await tokenHeaders(ctl, ['scheduler'], [dbz])
    const news = await uploadTone(ctl, '新闻', 1)
    const day = { items: [{ start: '08:00:00', audioId: news.id }] }

    const refused: [string, string, unknown][] = [
      ['PUT', '/api/days/2026-12-10', day],
      ['DELETE', '/api/days/2026-12-10', undefined],
      ['POST', '/api/days/copy', { pairs: [{ from: 'template:working', to: '2026-12-11' }] }],
      ['PUT', '/api/templates/working', day],
      ['PUT', '/api/calendar/2026-12-10', { type: 'rest' }],
      ['PUT', '/api/calendar/range', { dates: ['2026-12-10'], type: 'rest' }],
      ['POST', '/api/holidays', { text: '一、元旦：1月1日放假。', year: 2027 }],
      ['POST', '/api/columns', { name: '镇新闻', colour: '#123456' }],
    ]
    for (const [method, path, body] of refused) {
      const r = await ctl.apiWith<{ code: string }>(town, method, path, body)
      expect([`${method} ${path}`, r.status, r.body.code]).toEqual([
        `${method} ${path}`,
        403,
        'FORBIDDEN',
      ])
    }
    // Nothing changed.
    expect(
      (await ctl.api<{ hasOwnOrder: boolean }>('GET', '/api/days/2026-12-10')).body.hasOwnOrder,
    ).toBe(false)

    const announce = (zonesOf: string[]) =>
      ctl.apiWith<{ code: string; id: string }>(town, 'POST', '/api/announcements', {
        audioId: news.id,
        priority: 'emergency',
        zones: zonesOf,
      })
    const whole = await announce([])
    expect(whole.status).toBe(403) // the whole district
    expect((await announce(['630105101'])).status).toBe(403) // another town, by code
    const own = await announce(['630105100'])
    expect(own.status).toBe(201)

    // The district office's announcement to everyone cannot be cancelled by the town.
    const district = await ctl.api<{ id: string }>('POST', '/api/announcements', {
      audioId: news.id,
      priority: 'urgent',
    })
    const cancel = await ctl.apiWith(town, 'POST', `/api/announcements/${district.body.id}/cancel`)
    expect(cancel.status).toBe(403)
    const mine = await ctl.apiWith(town, 'POST', `/api/announcements/${own.body.id}/cancel`)
    expect(mine.status).toBe(200)
  })
})
