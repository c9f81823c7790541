import { describe, expect, it } from 'vitest'
import { clockWithNow } from '../../controller/platform/time.js'
import { startController } from '../helpers/controller.js'
import { uploadTone } from './programme-fixtures.js'

interface Day {
  date: string
  hasOwnOrder: boolean
  items: { id: string; start: string; audioId: string | null; title: string }[]
}
interface Version {
  version: number
  deleted: boolean
  savedBy: string
  items: { start: string }[]
}

// Monday 30 November 2026 at 09:00 in Xining.
const NOW = Date.parse('2026-11-30T01:00:00Z')

describe('running orders: history, restore and copy', () => {
  it('keeps every saved version with who and when, restores one, and undoes a deletion', async () => {
    const ctl = await startController({ clock: clockWithNow(() => NOW) })
    const news = await uploadTone(ctl, '新闻', 1)
    const date = '2026-12-02'
    const save = (start: string) =>
      ctl.api<Day>('PUT', `/api/days/${date}`, {
        items: [{ start, audioId: news.id, title: '新闻' }],
      })
    await save('08:00:00')
    await save('09:00:00')
    expect((await ctl.api('DELETE', `/api/days/${date}`)).status).toBe(200)
    const history = (await ctl.api<Version[]>('GET', `/api/days/${date}/versions`)).body
    expect(history.map((v) => [v.version, v.deleted, v.savedBy, v.items[0]?.start])).toEqual([
      [3, true, 'admin', '09:00:00'],
      [2, false, 'admin', '09:00:00'],
      [1, false, 'admin', '08:00:00'],
    ])
    // Undo the deletion: restore the version before it.
    const undone = await ctl.api<Day>('POST', `/api/days/${date}/versions/2/restore`)
    expect(undone.status).toBe(200)
    expect(undone.body.items.map((i) => i.start)).toEqual(['09:00:00'])
    const first = await ctl.api<Day>('POST', `/api/days/${date}/versions/1/restore`)
    expect(first.body.items.map((i) => i.start)).toEqual(['08:00:00'])
    const now = (await ctl.api<Version[]>('GET', `/api/days/${date}/versions`)).body
    expect(now.map((v) => v.version)).toEqual([5, 4, 3, 2, 1])
    const missing = await ctl.api<{ code: string }>('POST', `/api/days/${date}/versions/9/restore`)
    expect([missing.status, missing.body.code]).toEqual([404, 'DAY_NOT_FOUND'])
  })

  it('copies a day, a template and a whole week to other dates', async () => {
    const ctl = await startController({ clock: clockWithNow(() => NOW) })
    const news = await uploadTone(ctl, '新闻', 1)
    await ctl.api('PUT', '/api/days/2026-12-01', {
      items: [{ start: '07:30:00', audioId: news.id, title: '早间新闻' }],
    })
    await ctl.api('PUT', '/api/templates/rest', {
      items: [{ start: '10:00:00', audioId: news.id }],
    })

    const day = await ctl.api<{ days: Day[] }>('POST', '/api/days/copy', {
      pairs: [
        { from: '2026-12-01', to: '2026-12-03' },
        { from: 'template:rest', to: '2026-12-04' },
      ],
    })
    expect(day.status).toBe(200)
    expect(day.body.days.map((d) => [d.date, d.hasOwnOrder, d.items.map((i) => i.start)])).toEqual([
      ['2026-12-03', true, ['07:30:00']],
      ['2026-12-04', true, ['10:00:00']],
    ])

    // A week: seven pairs, Monday to Sunday onto the next week.
    const pairs = [
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
    ].map((from, i) => ({ from, to: `2026-12-${String(7 + i).padStart(2, '0')}` }))
    const copied = await ctl.api<{ days: Day[] }>('POST', '/api/days/copy', { pairs })
    expect(copied.body.days.map((d) => d.date)).toEqual(pairs.map((p) => p.to))
    const tuesday = await ctl.api<Day>('GET', '/api/days/2026-12-08')
    expect(tuesday.body.items.map((i) => i.title)).toEqual(['早间新闻'])

    const onto = await ctl.api('POST', '/api/days/copy', {
      pairs: [{ from: '2026-12-01', to: '2026-12-01' }],
    })
    expect(onto.status).toBe(400)
    const bad = await ctl.api('POST', '/api/days/copy', {
      pairs: [{ from: 'x', to: '2026-12-01' }],
    })
    expect(bad.status).toBe(400)
  })
})
