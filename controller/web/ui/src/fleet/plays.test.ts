import { describe, expect, it } from 'vitest'
import {
  deviationParts,
  filtersOf,
  localDate,
  localTime,
  outcomeOf,
  PAGE_SIZE,
  playDate,
  playsPath,
  queryOf,
  reasonText,
  titleText,
} from './plays'

const TODAY = '2026-12-06'

describe('plays page logic', () => {
  it('reads the filters from the address and writes back only what differs from the defaults', () => {
    const f = filtersOf({ date: '2026-12-01', zone: 'z1', outcome: 'failed', page: '3' }, TODAY)
    expect(f).toEqual({ date: '2026-12-01', zone: 'z1', node: '', outcome: 'failed', page: 3 })
    expect(queryOf(f, TODAY)).toEqual({
      date: '2026-12-01',
      zone: 'z1',
      outcome: 'failed',
      page: '3',
    })
    // Bad values fall back to the defaults.
    const bad = filtersOf({ date: '1.12.2026', outcome: 'DROP', page: '-2' }, TODAY)
    expect(bad).toEqual({ date: TODAY, zone: '', node: '', outcome: '', page: 1 })
    expect(queryOf(bad, TODAY)).toEqual({})
  })

  it('always asks the server for one page (it caps and counts), and counts with limit 1', () => {
    const f = { date: TODAY, zone: 'z1', node: '', outcome: 'failed', page: 3 }
    expect(playsPath(f)).toBe(
      `api/plays?date=${TODAY}&zone=z1&outcome=failed&limit=${PAGE_SIZE}&offset=${2 * PAGE_SIZE}`,
    )
    expect(playsPath(f, { outcome: 'missed', limit: 1 })).toBe(
      `api/plays?date=${TODAY}&zone=z1&outcome=missed&limit=1&offset=0`,
    )
  })

  it('words outcomes, reasons and deviations', () => {
    expect(outcomeOf({ type: 'play.finished' })).toBe('finished')
    expect(outcomeOf({ type: 'play.finished', makeGood: true })).toBe('madeGood')
    expect(outcomeOf({ type: 'play.failed' })).toBe('failed')
    expect(reasonText({ reason: 'download' }, 'zh')).toBe('下载失败')
    expect(reasonText({ reason: 'download' }, 'en')).toBe('download failed')
    expect(reasonText({ reason: 'brand-new' }, 'zh')).toBe('brand-new')
    expect(reasonText({ reason: null }, 'zh')).toBe('')
    expect(deviationParts(120)).toEqual({ key: 'plays.ms', n: '120' })
    expect(deviationParts(-40)).toEqual({ key: 'plays.ms', n: '-40' })
    expect(deviationParts(1530)).toEqual({ key: 'plays.s', n: '1.5' })
    expect(deviationParts(undefined)).toBeNull()
  })

  it("tells dates and times in the district's zone, whatever the browser's", () => {
    // 2026-12-06 17:30 UTC is already the 7th in Xining.
    const at = Date.parse('2026-12-06T17:30:05Z')
    expect(localDate(at, 'Asia/Shanghai')).toBe('2026-12-07')
    expect(localTime('2026-12-06T17:30:05Z', 'Asia/Shanghai')).toBe('01:30:05')
    expect(localTime('2026-12-06T17:30:05Z', 'Asia/Shanghai', false)).toBe('01:30')
    expect(localTime(undefined, 'Asia/Shanghai')).toBe('')
    expect(playDate({ date: '2026-12-07' })).toBe('2026-12-07')
    expect(playDate({ itemId: '2026-12-08/t080000' })).toBe('2026-12-08')
    expect(playDate({ itemId: 'x' })).toBeNull()
  })
})

describe('titleText', () => {
  const word = (k: 'voice' | 'relay') => (k === 'voice' ? 'Live voice' : 'Relay')
  it("words a live session's kind in the reader's language and keeps the rest", () => {
    expect(titleText({ title: '喊话 · wang · 10:32', live: { kind: 'voice' } }, word)).toBe(
      'Live voice · wang · 10:32',
    )
    expect(titleText({ title: '转播 · radio.county:8000', live: { kind: 'relay' } }, word)).toBe(
      'Relay · radio.county:8000',
    )
    expect(titleText({ title: '天气预报' }, word)).toBe('天气预报')
    expect(titleText({}, word)).toBe('')
  })
})
