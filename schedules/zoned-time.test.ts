import { describe, expect, it } from 'vitest'
import {
  addDays,
  createZonedTime,
  instantToLocalDate,
  instantToLocalTime,
  isValidDate,
  isValidTime,
  isValidTimeZone,
  localDateTimeToInstant,
  weekday,
} from './zoned-time.js'

const SH = 'Asia/Shanghai'
const BERLIN = 'Europe/Berlin'
const utc = (iso: string) => Date.parse(iso)

describe('localDateTimeToInstant', () => {
  it.each([
    ['Asia/Shanghai', '2025-10-01', '08:00:00', '2025-10-01T00:00:00Z', 'morning news'],
    ['Asia/Shanghai', '2025-10-01', '00:00:00', '2025-09-30T16:00:00Z', 'local midnight'],
    ['Asia/Shanghai', '2025-10-01', '23:59:59', '2025-10-01T15:59:59Z', 'last second of the day'],
    ['Asia/Shanghai', '2025-12-31', '23:59:59', '2025-12-31T15:59:59Z', 'last second of a year'],
    ['Asia/Shanghai', '2024-02-29', '12:00:00', '2024-02-29T04:00:00Z', 'a leap day'],
    [
      'Asia/Shanghai',
      '1900-01-01',
      '00:00:00',
      '1899-12-31T15:54:17Z',
      'local mean time +08:05:43',
    ],
    ['UTC', '2025-06-01', '06:30:00', '2025-06-01T06:30:00Z', 'UTC itself'],
    ['Europe/Berlin', '2025-01-15', '08:00:00', '2025-01-15T07:00:00Z', 'Berlin winter (CET)'],
    ['Europe/Berlin', '2025-07-15', '08:00:00', '2025-07-15T06:00:00Z', 'Berlin summer (CEST)'],
    [
      'Europe/Berlin',
      '2025-03-30',
      '01:59:59',
      '2025-03-30T00:59:59Z',
      'just before spring-forward',
    ],
    ['Europe/Berlin', '2025-03-30', '02:30:00', '2025-03-30T01:30:00Z', 'a skipped time, moved on'],
    [
      'Europe/Berlin',
      '2025-03-30',
      '03:00:00',
      '2025-03-30T01:00:00Z',
      'just after spring-forward',
    ],
    ['Europe/Berlin', '2025-10-26', '01:59:59', '2025-10-25T23:59:59Z', 'just before fall-back'],
    ['Europe/Berlin', '2025-10-26', '02:30:00', '2025-10-26T00:30:00Z', 'a repeated time, first'],
    ['Europe/Berlin', '2025-10-26', '03:00:00', '2025-10-26T02:00:00Z', 'just after fall-back'],
    ['America/New_York', '2025-11-02', '01:30:00', '2025-11-02T05:30:00Z', 'a fold west of UTC'],
    ['Australia/Lord_Howe', '2025-10-05', '02:15:00', '2025-10-04T15:45:00Z', 'a 30-minute gap'],
    ['Pacific/Apia', '2011-12-30', '12:00:00', '2011-12-30T22:00:00Z', 'a day that never was'],
    ['UTC', '0001-01-02', '00:00:00', '0001-01-02T00:00:00Z', 'the earliest instant'],
    ['UTC', '9999-12-30', '00:00:00', '9999-12-30T00:00:00Z', 'the latest instant'],
  ])('in %s, %s %s is %s (%s)', (tz, date, time, iso) => {
    expect(localDateTimeToInstant(date, time, tz)).toBe(utc(iso))
  })

  it.each([
    ['2025-02-29', '08:00:00', SH, /invalid date/],
    ['2025/10/01', '08:00:00', SH, /invalid date/],
    ['2025-10-01', '24:00:00', SH, /invalid time/],
    ['2025-10-01', '8:00:00', SH, /invalid time/],
    ['2025-10-01', '08:00:00', 'Mars/Olympus_Mons', /unknown time zone/],
    ['0001-01-01', '00:00:00', SH, /outside/],
  ])('rejects %s %s in %s with a RangeError', (date, time, tz, message) => {
    expect(() => localDateTimeToInstant(date, time, tz)).toThrow(RangeError)
    expect(() => localDateTimeToInstant(date, time, tz)).toThrow(message)
  })
})

describe('instantToLocalDate and instantToLocalTime', () => {
  it.each([
    ['2025-09-30T15:59:59.999Z', SH, '2025-09-30', '23:59:59'],
    ['2025-09-30T16:00:00.000Z', SH, '2025-10-01', '00:00:00'],
    ['2025-12-31T16:00:00.000Z', SH, '2026-01-01', '00:00:00'],
    ['2024-02-28T16:00:00.000Z', SH, '2024-02-29', '00:00:00'],
    ['2025-10-26T00:30:00.000Z', BERLIN, '2025-10-26', '02:30:00'],
    ['2025-10-26T01:30:00.000Z', BERLIN, '2025-10-26', '02:30:00'],
    ['2025-03-30T01:00:00.000Z', BERLIN, '2025-03-30', '03:00:00'],
    ['1969-12-31T23:59:59.500Z', 'UTC', '1969-12-31', '23:59:59'],
  ])('%s in %s is %s %s', (iso, tz, date, time) => {
    expect(instantToLocalDate(utc(iso), tz)).toBe(date)
    expect(instantToLocalTime(utc(iso), tz)).toBe(time)
  })

  it.each([
    ['NaN', Number.NaN],
    ['infinity', Number.POSITIVE_INFINITY],
    ['year 10000', utc('+010000-01-01T00:00:00Z')],
    ['year 1 BC', utc('0000-06-01T00:00:00Z')],
  ])('rejects an instant that is %s', (_, ms) => {
    expect(() => instantToLocalDate(ms, SH)).toThrow(RangeError)
  })

  it('round-trips every whole hour of a Berlin fall-back day to the first occurrence', () => {
    const zone = createZonedTime(BERLIN)
    for (let h = 0; h < 24; h++) {
      const time = `${String(h).padStart(2, '0')}:00:00`
      const ms = zone.toInstant('2025-10-26', time)
      expect(zone.toLocalDate(ms)).toBe('2025-10-26')
      expect(zone.toLocalTime(ms)).toBe(time)
    }
  })
})

describe('createZonedTime', () => {
  it.each([
    [SH, '2025-07-01T00:00:00Z', 8 * 3_600_000],
    [BERLIN, '2025-01-01T00:00:00Z', 3_600_000],
    [BERLIN, '2025-07-01T00:00:00Z', 7_200_000],
    ['America/New_York', '2025-01-01T00:00:00Z', -5 * 3_600_000],
    ['UTC', '1969-12-31T23:59:59.999Z', 0],
  ])('reports the offset of %s at %s as %d ms', (tz, iso, offset) => {
    expect(createZonedTime(tz).offsetAt(utc(iso))).toBe(offset)
  })

  it('explains an unknown zone with a RangeError that keeps the cause', () => {
    expect(() => createZonedTime('Asia/Xining')).toThrow(/unknown time zone 'Asia\/Xining'/)
    try {
      createZonedTime('Asia/Xining')
    } catch (err) {
      expect((err as Error).cause).toBeInstanceOf(RangeError)
    }
  })

  it('gives the same instants when one zone object is reused across dates and DST days', () => {
    const zone = createZonedTime(BERLIN)
    const cases: [string, string][] = [
      ['2025-03-30', '02:30:00'],
      ['2025-07-15', '08:00:00'],
      ['2025-03-30', '02:30:00'],
      ['2025-07-15', '08:00:00'],
    ]
    for (const [date, time] of cases) {
      expect(zone.toInstant(date, time)).toBe(localDateTimeToInstant(date, time, BERLIN))
    }
  })

  it('keeps the zone name it was built for', () => {
    expect(createZonedTime(SH).tz).toBe(SH)
  })
})

describe('date and time helpers', () => {
  it.each([
    ['2025-10-01', true],
    ['2024-02-29', true],
    ['2025-02-29', false],
    ['1900-02-29', false],
    ['2000-02-29', true],
    ['2025-04-31', false],
    ['2025-12-31', true],
    ['2025-13-01', false],
    ['2025-00-10', false],
    ['2025-01-00', false],
    ['2025-1-1', false],
    ['0000-01-01', false],
    ['0001-01-01', true],
    ['9999-12-31', true],
    ['', false],
    ['2025-10-01T00:00', false],
  ])('isValidDate(%j) is %s', (s, ok) => {
    expect(isValidDate(s)).toBe(ok)
  })

  it.each([
    ['00:00:00', true],
    ['23:59:59', true],
    ['24:00:00', false],
    ['12:60:00', false],
    ['12:00:60', false],
    ['7:00:00', false],
    ['12:00', false],
  ])('isValidTime(%j) is %s', (s, ok) => {
    expect(isValidTime(s)).toBe(ok)
  })

  it.each([
    ['Asia/Shanghai', true],
    ['UTC', true],
    ['Europe/Berlin', true],
    ['Mars/Olympus_Mons', false],
    ['+08:00', false],
    ['', false],
  ])('isValidTimeZone(%j) is %s', (tz, ok) => {
    expect(isValidTimeZone(tz)).toBe(ok)
  })

  it.each([
    ['2025-10-01', 3, 'Wednesday'],
    ['2025-09-28', 0, 'Sunday'],
    ['2025-10-11', 6, 'Saturday'],
    ['2000-02-29', 2, 'Tuesday'],
    ['0001-01-01', 1, 'Monday'],
  ])('weekday(%s) is %d (%s)', (date, day) => {
    expect(weekday(date)).toBe(day)
  })

  it.each([
    ['2025-12-31', 1, '2026-01-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2025-03-01', -1, '2025-02-28'],
    ['2025-03-30', 1, '2025-03-31'],
    ['2025-10-01', 0, '2025-10-01'],
    ['2025-01-01', 365, '2026-01-01'],
    ['0099-12-31', 1, '0100-01-01'],
  ])('addDays(%s, %d) is %s', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected)
  })

  it.each([
    ['a fractional day count', '2025-01-01', 1.5],
    ['an invalid date', '2025-02-30', 1],
    ['a result after 9999', '9999-12-31', 1],
    ['a result before 0001', '0001-01-01', -1],
  ])('addDays rejects %s', (_, date, n) => {
    expect(() => addDays(date, n)).toThrow(RangeError)
  })

  it('weekday rejects an invalid date', () => {
    expect(() => weekday('2025-02-30')).toThrow(RangeError)
  })
})
