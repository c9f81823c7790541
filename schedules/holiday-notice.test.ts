import official from 'chinese-days/dist/chinese-days.json' with { type: 'json' }
import { describe, expect, it } from 'vitest'
import { NoticeParseError, noticeDays, noticeYear, parseHolidayNotice } from './holiday-notice.js'

// The arrangement lines of the State Council's notices as published on gov.cn (国办发明电).
const NOTICES: Record<number, string> = {
  2023: `国务院办公厅关于2023年部分节假日安排的通知
一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。
二、春节：1月21日至27日放假调休，共7天。1月28日（星期六）、1月29日（星期日）上班。
三、清明节：4月5日放假，共1天。
四、劳动节：4月29日至5月3日放假调休，共5天。4月23日（星期日）、5月6日（星期六）上班。
五、端午节：6月22日至24日放假调休，共3天。6月25日（星期日）上班。
六、中秋节、国庆节：9月29日至10月6日放假调休，共8天。10月7日（星期六）、10月8日（星期日）上班。`,
  2024: `国务院办公厅关于2024年部分节假日安排的通知
一、元旦：1月1日放假，与周末连休。
二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。
三、清明节：4月4日至6日放假调休，共3天。4月7日（星期日）上班。
四、劳动节：5月1日至5日放假调休，共5天。4月28日（星期日）、5月11日（星期六）上班。
五、端午节：6月10日放假，与周末连休。
六、中秋节：9月15日至17日放假调休，共3天。9月14日（星期六）上班。
七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。`,
  2025: `国务院办公厅关于2025年部分节假日安排的通知
一、元旦：1月1日（周三）放假1天，不调休。
二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
三、清明节：4月4日（周五）至6日（周日）放假，共3天。
四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。`,
  2026: `国务院办公厅关于2026年部分节假日安排的通知
经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。`,
}

/** What chinese-days publishes for the dates a notice covers. */
function published(year: number) {
  const inYear = (d: string) => d.startsWith(`${year}-`) || d === `${year - 1}-12-31`
  const rest = Object.keys(official.holidays).filter(inYear)
  const working = Object.keys(official.workdays).filter((d) => d.startsWith(`${year}-`))
  return { rest: rest.sort(), working: working.sort() }
}

describe('parseHolidayNotice', () => {
  it.each([2023, 2024, 2025, 2026])(
    'reads the %i notice exactly as chinese-days publishes it',
    (year) => {
      const notice = parseHolidayNotice(NOTICES[year] as string)
      expect(notice.year).toBe(year)
      const days = noticeDays(notice)
      expect({
        rest: days.filter((d) => d.type === 'rest').map((d) => d.date),
        working: days.filter((d) => d.type === 'working').map((d) => d.date),
      }).toEqual(published(year))
      expect(notice.warnings).toEqual([])
    },
  )

  it('names the Spring Festival and its make-up working days (2026)', () => {
    const spring = parseHolidayNotice(NOTICES[2026] as string).holidays[1]
    expect(spring).toMatchObject({
      nameZh: '春节',
      name: 'Spring Festival',
      start: '2026-02-15',
      end: '2026-02-23',
      workDays: ['2026-02-14', '2026-02-28'],
      statedDays: 9,
    })
  })

  it('keeps a combined line as one holiday with both names (2025 National Day and Mid-autumn)', () => {
    const h = parseHolidayNotice(NOTICES[2025] as string).holidays.at(-1)
    expect(h?.nameZh).toBe('国庆节、中秋节')
    expect(h?.name).toBe('National Day / Mid-autumn Festival')
  })

  it('reads a range that crosses New Year, each date with its own year (2023)', () => {
    const ny = parseHolidayNotice(NOTICES[2023] as string).holidays[0]
    expect(ny?.restDays).toEqual(['2022-12-31', '2023-01-01', '2023-01-02'])
  })

  it('takes the year from the caller when the title is not pasted', () => {
    const body =
      '二、春节：2月6日（周六）至12日（周五）放假调休，共7天。2月14日（周日）、2月20日（周六）上班。'
    expect(noticeYear(body)).toBeNull()
    const notice = parseHolidayNotice(body, 2027)
    expect(noticeDays(notice).map((d) => `${d.date} ${d.type}`)).toEqual([
      '2027-02-06 rest',
      '2027-02-07 rest',
      '2027-02-08 rest',
      '2027-02-09 rest',
      '2027-02-10 rest',
      '2027-02-11 rest',
      '2027-02-12 rest',
      '2027-02-14 working',
      '2027-02-20 working',
    ])
    expect(notice.warnings).toEqual([])
  })

  it('warns when one date is both a rest day and a working day', () => {
    const n = parseHolidayNotice('二、春节：2月6日至8日放假调休，共3天。2月7日（周日）上班。', 2027)
    expect(n.warnings).toEqual(['2027-02-07 appears under both 春节 and 春节'])
  })

  it('warns when the stated day count does not match the dates', () => {
    const n = parseHolidayNotice('三、清明节：4月4日至6日放假，共4天。', 2026)
    expect(n.warnings).toEqual(['清明节: the notice says 4 days, the dates give 3'])
  })

  it('reads full-width digits and colons', () => {
    const n = parseHolidayNotice('一、元旦：１月１日放假，共１天。', 2027)
    expect(n.holidays[0]?.restDays).toEqual(['2027-01-01'])
  })

  it.each([
    ['no holiday line', '经国务院批准，现将安排通知如下。', 2027, /no holiday line/],
    ['no year', '一、元旦：1月1日放假。', undefined, /year is unknown/],
    [
      'an impossible date',
      '二、春节：2月30日至3月2日放假调休，共3天。',
      2027,
      /line 1: not a date: 2027-02-30/,
    ],
    [
      'a holiday without dates',
      '二、春节：放假安排另行通知。',
      2027,
      /line 1: no rest dates found for 春节/,
    ],
    ['a reversed range', '二、春节：2月10日至2月3日放假。', 2027, /ends before it starts/],
  ])('refuses %s with a clear error', (_what, text, year, message) => {
    expect(() => parseHolidayNotice(text, year)).toThrow(NoticeParseError)
    expect(() => parseHolidayNotice(text, year)).toThrow(message)
  })
})
