import { describe, expect, it } from 'vitest'
import {
  type DayType,
  dayType,
  type ImportedCalendar,
  isOfficialYear,
  missingNoticeYear,
  officialYears,
} from './calendar.js'

describe('dayType', () => {
  // Dates checked against the State Council notices quoted in chinese-days' generate.ts
  // (2025: 国办发明电〔2024〕12号; 2026: gov.cn content_7047091).
  it.each([
    ['2025-10-01', 'rest', 'National Day', '国庆节', 'National Day on a Wednesday'],
    ['2025-10-06', 'rest', 'Mid-autumn Festival', '中秋', 'Mid-autumn inside Golden Week'],
    ['2025-10-08', 'rest', 'National Day', '国庆节', 'the last day of Golden Week'],
    ['2025-09-28', 'working', 'National Day', '国庆节', 'a make-up working Sunday'],
    ['2025-10-11', 'working', 'National Day', '国庆节', 'a make-up working Saturday'],
    ['2025-01-26', 'working', 'Spring Festival', '春节', 'a Spring Festival make-up Sunday'],
    ['2025-01-01', 'rest', "New Year's Day", '元旦', "New Year's Day"],
    ['2026-02-14', 'working', 'Spring Festival', '春节', 'a 2026 make-up working Saturday'],
    ['2026-10-01', 'rest', 'National Day', '国庆节', '2026 National Day'],
    ['2004-01-01', 'rest', "New Year's Day", '元旦', 'the first day the package knows'],
  ])('%s is a %s day of %s (%s, %s)', (date, type, name, nameZh) => {
    expect(dayType(date)).toEqual({
      type,
      source: 'official',
      holidayName: name,
      holidayNameZh: nameZh,
    })
  })

  it.each([
    ['2025-10-09', 'working', 'a plain Thursday after Golden Week'],
    ['2025-10-12', 'rest', 'a plain Sunday'],
    ['2026-12-31', 'working', 'the last day of the last published year'],
  ])('%s is a plain %s day of a published year (%s)', (date, type) => {
    expect(dayType(date)).toEqual({ type, source: 'official' })
  })

  it.each([
    ['2099-10-01', 'working', 'Thursday: National Day of an unpublished year'],
    ['2099-01-01', 'working', "Thursday: New Year's Day of an unpublished year"],
    ['2099-10-03', 'rest', 'Saturday'],
    ['2099-10-04', 'rest', 'Sunday'],
    ['2099-10-05', 'working', 'Monday'],
    ['2003-10-01', 'working', 'Wednesday: before 2004 the package knows nothing'],
  ])('%s in an unknown year falls back to Mon–Fri: %s (%s)', (date, type) => {
    expect(dayType(date)).toEqual({ type, source: 'weekday' })
  })

  it.each<[string, DayType, string]>([
    ['2025-10-01', 'working', 'a public holiday made a working day'],
    ['2025-09-28', 'rest', 'a make-up working day made a rest day'],
    ['2025-10-09', 'rest', 'a plain working day made a rest day'],
    ['2025-10-12', 'working', 'a plain Sunday made a working day'],
    ['2099-10-01', 'rest', 'an unpublished holiday marked by the office'],
    ['2099-10-03', 'working', 'a Saturday of an unknown year made a working day'],
  ])('an office override on %s wins: %s (%s)', (date, type) => {
    const result = dayType(date, new Map([[date, type]]))
    expect(result.type).toBe(type)
    expect(result.source).toBe('override')
  })

  it('keeps the holiday name on an overridden holiday so editors see what they changed', () => {
    expect(dayType('2025-10-01', new Map([['2025-10-01', 'working']]))).toEqual({
      type: 'working',
      source: 'override',
      holidayName: 'National Day',
      holidayNameZh: '国庆节',
    })
  })

  it('ignores overrides for other dates', () => {
    expect(dayType('2025-10-01', new Map([['2025-10-02', 'working']])).source).toBe('official')
  })

  it.each(['2025-02-29', '2025-10-1', ''])('rejects the invalid date %j', (date) => {
    expect(() => dayType(date)).toThrow(RangeError)
  })

  it('gives the same answers when the process runs west of UTC', () => {
    // chinese-days' own functions shift by a day there; our lookup must not depend on TZ.
    const saved = process.env.TZ
    process.env.TZ = 'America/New_York'
    try {
      expect(new Date(2025, 9, 1).getTimezoneOffset()).toBeGreaterThan(0)
      expect(dayType('2025-10-08').type).toBe('rest')
      expect(dayType('2025-10-09').type).toBe('working')
      expect(dayType('2025-10-11').type).toBe('working')
      expect(dayType('2025-09-30').type).toBe('working')
      expect(dayType('2099-10-03').type).toBe('rest')
    } finally {
      if (saved === undefined) delete process.env.TZ
      else process.env.TZ = saved
    }
  })
})

describe('official years', () => {
  it('lists every year from 2004 to 2026 for chinese-days 1.5.7, ascending', () => {
    const years = officialYears()
    expect(years[0]).toBe(2004)
    expect(years).toEqual(Array.from({ length: years.length }, (_, i) => 2004 + i))
    expect(years.at(-1)).toBeGreaterThanOrEqual(2026)
  })

  it.each([
    [2003, false],
    [2004, true],
    [2025, true],
    [2026, true],
    [2099, false],
  ])('isOfficialYear(%d) is %s', (year, known) => {
    expect(isOfficialYear(year)).toBe(known)
  })
})

describe('imported official arrangements', () => {
  const imported: ImportedCalendar = {
    years: new Set([2027]),
    days: new Map([
      ['2027-02-06', { type: 'rest', name: 'Spring Festival', nameZh: '春节' }],
      ['2027-02-20', { type: 'working', name: 'Spring Festival', nameZh: '春节' }],
    ]),
  }

  it('makes an imported holiday a rest day and its make-up Saturday a working day', () => {
    expect(dayType('2027-02-06', undefined, imported)).toEqual({
      type: 'rest',
      source: 'official',
      holidayName: 'Spring Festival',
      holidayNameZh: '春节',
    })
    expect(dayType('2027-02-20', undefined, imported).type).toBe('working')
  })

  it('treats the other days of an imported year as official weekdays and weekends', () => {
    expect(dayType('2027-03-03', undefined, imported)).toEqual({
      type: 'working',
      source: 'official',
    })
  })

  it('still lets an office override win over an imported holiday', () => {
    const overrides = new Map<string, DayType>([['2027-02-06', 'working']])
    expect(dayType('2027-02-06', overrides, imported)).toMatchObject({
      type: 'working',
      source: 'override',
      holidayNameZh: '春节',
    })
  })

  it.each([
    ['2026-10-31', undefined, null, 'before November nothing is due'],
    ['2026-11-01', undefined, 2027, 'from 1 November the coming year is due'],
    ['2026-12-31', undefined, 2027, 'still due on New Year’s Eve'],
    ['2027-01-01', undefined, 2027, 'a year already begun without data is due'],
    ['2026-11-15', imported, null, 'nothing is due once the coming year is imported'],
  ] as const)('on %s the missing notice year is %s (%s)', (today, imp, year, _why) => {
    expect(missingNoticeYear(today, imp as ImportedCalendar | undefined)).toBe(year)
  })
})
