import { describe, expect, it } from 'vitest'
import { clockWithNow } from '../../controller/platform/time.js'
import { startController } from '../helpers/controller.js'
import { itemsOn, uploadTone } from './programme-fixtures.js'

// A notice in the State Council's usual form for a year chinese-days does not know yet.
const NOTICE_2027 = `国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至13日（农历正月初七、周六）放假调休，共9天。2月14日（周日）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日（周三）放假，共1天。
六、中秋节：9月15日（周三）放假，共1天。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。`

const ICS_2028 = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//test//holidays//CN',
  'BEGIN:VEVENT',
  'UID:ny-2028',
  'DTSTART;VALUE=DATE:20280101',
  'DTEND;VALUE=DATE:20280104',
  'SUMMARY:元旦',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:sf-2028-work',
  'DTSTART;VALUE=DATE:20280122',
  'DTEND;VALUE=DATE:20280123',
  'SUMMARY:春节 补班',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n')

interface Day {
  date: string
  type: string
  source: string
  holidayNameZh?: string
  makeUp: boolean
}
interface Preview {
  year: number
  current: string
  warnings: string[]
  days: { date: string; type: string }[]
  changes: { date: string; before: { type: string }; after: { type: string } }[]
}

// 28 December 2026, noon in Xining: the plan horizon reaches New Year's Day 2027.
const NOW = Date.parse('2026-12-28T04:00:00Z')

describe('official holidays imported by the office', () => {
  it('warns that 2027 is missing, previews the pasted notice as a diff, and plans New Year as a rest day', async () => {
    const ctl = await startController({ clock: clockWithNow(() => NOW) })
    const status = await ctl.api<{ missingYear: number | null }>('GET', '/api/holidays')
    expect(status.body.missingYear).toBe(2027)
    expect((await ctl.api<Day>('GET', '/api/calendar/2027-01-01')).body).toMatchObject({
      type: 'working',
      source: 'weekday',
    })

    const news = await uploadTone(ctl, '新闻', 1)
    const music = await uploadTone(ctl, '音乐', 1, 660)
    await ctl.api('PUT', '/api/templates/working', {
      items: [{ start: '10:00:00', audioId: news.id }],
    })
    await ctl.api('PUT', '/api/templates/rest', {
      items: [{ start: '11:00:00', audioId: music.id }],
    })
    const node = await ctl.register('n1')
    expect(await itemsOn(ctl, node.id, '2027-01-01')).toEqual(['2027-01-01/t100000'])

    const preview = await ctl.api<Preview>('POST', '/api/holidays/preview', { text: NOTICE_2027 })
    expect(preview.status).toBe(200)
    expect(preview.body).toMatchObject({ year: 2027, current: 'none', warnings: [] })
    expect(preview.body.changes).toContainEqual({
      date: '2027-01-01',
      before: { type: 'working', nameZh: null },
      after: { type: 'rest', nameZh: '元旦' },
    })
    expect(preview.body.changes).toContainEqual({
      date: '2027-02-14',
      before: { type: 'rest', nameZh: null },
      after: { type: 'working', nameZh: '春节' },
    })
    // A preview changes nothing.
    expect((await ctl.api<Day>('GET', '/api/calendar/2027-01-01')).body.type).toBe('working')

    const applied = await ctl.api<Preview>('POST', '/api/holidays', { text: NOTICE_2027 })
    expect(applied.status).toBe(200)
    const feb = await ctl.api<{ days: Day[] }>('GET', '/api/calendar?month=2027-02')
    const byDate = new Map(feb.body.days.map((d) => [d.date, d]))
    for (const d of ['2027-02-05', '2027-02-08', '2027-02-13']) {
      expect(byDate.get(d)).toMatchObject({
        type: 'rest',
        source: 'official',
        holidayNameZh: '春节',
      })
    }
    expect(byDate.get('2027-02-14')).toMatchObject({ type: 'working', makeUp: true })
    expect(byDate.get('2027-02-15')).toMatchObject({ type: 'working', makeUp: false })
    expect(await itemsOn(ctl, node.id, '2027-01-01')).toEqual(['2027-01-01/t110000'])

    const after = await ctl.api<{
      missingYear: number | null
      imported: { year: number; importedBy: string }[]
    }>('GET', '/api/holidays')
    expect(after.body.missingYear).toBeNull()
    expect(after.body.imported).toEqual([
      expect.objectContaining({ year: 2027, source: 'notice', dayCount: 34, importedBy: 'admin' }),
    ])

    // The office's own override still wins over the imported arrangement.
    await ctl.api('PUT', '/api/calendar/2027-02-14', { type: 'rest', note: '社区活动' })
    expect((await ctl.api<Day>('GET', '/api/calendar/2027-02-14')).body).toMatchObject({
      type: 'rest',
      source: 'override',
    })

    // Removing the import gives the year back to the weekday rule.
    expect((await ctl.api('DELETE', '/api/holidays/2027')).status).toBe(204)
    expect((await ctl.api<Day>('GET', '/api/calendar/2027-02-08')).body.type).toBe('working')
    expect(await itemsOn(ctl, node.id, '2027-01-01')).toEqual(['2027-01-01/t100000'])
  })

  it('imports an .ics calendar: all-day holidays rest, "补班" events working', async () => {
    const ctl = await startController({ clock: clockWithNow(() => NOW) })
    const r = await ctl.api<Preview>('POST', '/api/holidays', { ics: ICS_2028 })
    expect(r.status).toBe(200)
    expect(r.body.year).toBe(2028)
    expect(r.body.days).toEqual([
      { date: '2028-01-01', type: 'rest', name: '元旦', nameZh: '元旦' },
      { date: '2028-01-02', type: 'rest', name: '元旦', nameZh: '元旦' },
      { date: '2028-01-03', type: 'rest', name: '元旦', nameZh: '元旦' },
      { date: '2028-01-22', type: 'working', name: '春节', nameZh: '春节' },
    ])
    expect((await ctl.api<Day>('GET', '/api/calendar/2028-01-03')).body.type).toBe('rest')
  })

  it.each([
    ['text with no holiday line', { text: '各地区、各部门要妥善安排好值班工作。', year: 2027 }],
    ['a notice without its year', { text: '二、春节：2月5日至13日放假调休，共9天。' }],
    ['an impossible date', { text: '二、春节：2月30日放假。', year: 2027 }],
    ['both text and ics', { text: NOTICE_2027, ics: ICS_2028 }],
    ['a broken .ics', { ics: 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n' }],
  ])('refuses %s with a clear error and changes nothing', async (_what, body) => {
    const ctl = await startController({ clock: clockWithNow(() => NOW) })
    const r = await ctl.api<{ code: string; message: string }>('POST', '/api/holidays', body)
    expect(r.status).toBe(422)
    expect(r.body.code).toBe('HOLIDAYS_INVALID')
    expect(r.body.message.length).toBeGreaterThan(10)
    const status = await ctl.api<{ imported: unknown[] }>('GET', '/api/holidays')
    expect(status.body.imported).toEqual([])
  })

  it('sets and clears the day type of a range of dates at once', async () => {
    const ctl = await startController({ clock: clockWithNow(() => NOW) })
    const dates = ['2027-03-01', '2027-03-02', '2027-03-03']
    const set = await ctl.api<{ days: Day[] }>('PUT', '/api/calendar/range', {
      dates,
      type: 'rest',
    })
    expect(set.status).toBe(200)
    expect(set.body.days.map((d) => `${d.date} ${d.type} ${d.source}`)).toEqual(
      dates.map((d) => `${d} rest override`),
    )
    const cleared = await ctl.api<{ days: Day[] }>('PUT', '/api/calendar/range', {
      dates,
      type: null,
    })
    expect(cleared.body.days.map((d) => d.type)).toEqual(['working', 'working', 'working'])
    const bad = await ctl.api('PUT', '/api/calendar/range', { dates: ['2027-02-30'], type: 'rest' })
    expect(bad.status).toBe(400)
  })
})
