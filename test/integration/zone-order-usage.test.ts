import { describe, expect, it } from 'vitest'
import type { AudioUsage, Month } from '../../contract/index.js'
import { clockWithNow } from '../../controller/platform/time.js'
import { startController } from '../helpers/controller.js'
import { createZone } from '../helpers/zones.js'
import { uploadTone } from './programme-fixtures.js'

// Monday 30 November 2026 at 09:00 in Xining: 2 December is inside the plans' horizon, 20
// December beyond it.
const NOW = Date.parse('2026-11-30T01:00:00Z')

describe("a town's own running order counts where the district's does (migration 020)", () => {
  it('keeps a recording only a town plays from deletion, names the town, and shows on the calendar', async () => {
    const ctl = await startController({ clock: clockWithNow(() => NOW) })
    const district = await createZone(ctl, '城北区')
    const town = await createZone(ctl, '二十里铺镇', district)
    await ctl.register('宋家寨 1', town)
    const news = await uploadTone(ctl, '镇新闻', 1)
    for (const date of ['2026-12-02', '2026-12-20']) {
      const put = await ctl.api('PUT', `/api/days/${date}?zone=${town}`, {
        items: [{ id: 'town1', start: '08:00:00', audioId: news.id, title: '镇新闻' }],
      })
      expect(put.status).toBe(200)
    }

    const usage = await ctl.api<AudioUsage>('GET', `/api/audio/${news.id}/usage`)
    expect(usage.status).toBe(200)
    expect(usage.body.dates).toEqual(['2026-12-02', '2026-12-20'])
    expect(usage.body.orders).toEqual([
      { date: '2026-12-02', zoneId: town, zoneName: '二十里铺镇' },
      { date: '2026-12-20', zoneId: town, zoneName: '二十里铺镇' },
    ])
    const del = await ctl.api<{ code: string; message: string }>('DELETE', `/api/audio/${news.id}`)
    expect([del.status, del.body.code]).toEqual([409, 'AUDIO_IN_USE'])
    expect(del.body.message).toContain('二十里铺镇')
    expect((await ctl.api('GET', `/api/audio/${news.id}`)).status).toBe(200)

    // The month view: the dates with a zone's own order say which zones.
    const month = await ctl.api<Month>('GET', '/api/calendar?month=2026-12')
    const day = (date: string) => month.body.days.find((d) => d.date === date)
    expect(day('2026-12-02')).toMatchObject({
      hasOwnOrder: false,
      zoneOrders: [{ zoneId: town, zoneName: '二十里铺镇' }],
    })
    expect(day('2026-12-03')?.zoneOrders).toEqual([])
  })
})
