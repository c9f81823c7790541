import { describe, expect, it } from 'vitest'
import {
  addDays,
  COUNT_COLUMNS,
  chartOption,
  dayCsvPath,
  hasProblems,
  percent,
  perSpeaker,
  presetRange,
  reasonsLine,
  statusText,
  summaryCsvPath,
  validRange,
  zonesInTreeOrder,
} from './reports'

describe('reports page logic', () => {
  it('shows the outcome columns of the CSV, in its order and words', () => {
    expect(COUNT_COLUMNS.map((c) => c.key)).toEqual([
      'scheduled',
      'played',
      'madeGood',
      'silent',
      'interrupted',
      'failed',
      'missed',
      'pending',
    ])
    expect(COUNT_COLUMNS[2]?.header.zh).toBe('补播')
  })

  it('words statuses and reasons from contract/labels, and counts problems', () => {
    expect(statusText('madeGood', 'zh')).toBe('补播')
    expect(statusText('missed', 'zh')).toBe('未播')
    expect(reasonsLine({ late: 2, offline: 1 }, 'zh')).toBe('迟到×2; 离线×1')
    const none = { silent: 0, interrupted: 0, failed: 0, missed: 0 }
    expect(hasProblems(none)).toBe(false)
    expect(hasProblems({ ...none, missed: 1 })).toBe(true)
    expect(percent(3, 4)).toBe('75%')
    expect(percent(0, 0)).toBe('—')
    expect(perSpeaker(14.98)).toBe('14.98')
    expect(perSpeaker(15)).toBe('15')
  })

  it('offers ranges the summary API takes', () => {
    expect(presetRange('thisMonth', '2026-12-06')).toEqual(['2026-12-01', '2026-12-06'])
    expect(presetRange('lastMonth', '2026-03-06')).toEqual(['2026-02-01', '2026-02-28'])
    expect(presetRange('lastMonth', '2027-01-15')).toEqual(['2026-12-01', '2026-12-31'])
    expect(presetRange('last30', '2026-12-06')).toEqual(['2026-11-07', '2026-12-06'])
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(validRange('2026-01-01', '2026-12-31')).toBe(true)
    expect(validRange('2026-01-01', '2027-01-01')).toBe(true) // 366 days
    expect(validRange('2026-01-01', '2027-01-02')).toBe(false)
    expect(validRange('2026-12-06', '2026-12-05')).toBe(false)
  })

  it('links the CSV routes in the reader language', () => {
    expect(dayCsvPath('2026-12-06', 'zh')).toBe(
      'api/reports/day?date=2026-12-06&format=csv&lang=zh',
    )
    expect(summaryCsvPath('2026-12-01', '2026-12-06', 'en')).toBe(
      'api/reports/summary?from=2026-12-01&to=2026-12-06&format=csv&lang=en',
    )
  })

  it('orders the zones as their tree, parents first', () => {
    const tree = [
      { id: 'v', parentId: 't2' },
      { id: 't1', parentId: 'd' },
      { id: 'd', parentId: null },
      { id: 't2', parentId: 'd' },
    ]
    const rows = zonesInTreeOrder(
      [{ zoneId: 'v' }, { zoneId: 't2' }, { zoneId: 'd' }, { zoneId: 't1' }],
      tree,
    )
    expect(rows.map((r) => [r.zoneId, r.depth])).toEqual([
      ['d', 0],
      ['t1', 1],
      ['t2', 1],
      ['v', 2],
    ])
  })

  it('charts played against scheduled per day, rest days in their own colour', () => {
    const day = (date: string, dayType: 'working' | 'rest', scheduled: number, played: number) =>
      ({ date, dayType, scheduled, played }) as never
    const o = chartOption(
      { days: [day('2026-12-04', 'working', 15, 14), day('2026-12-05', 'rest', 10, 10)] },
      { scheduled: '计划', played: '已播' },
    )
    expect(o.xAxis.data).toEqual(['12/04', '12/05'])
    expect(o.series[0]?.data).toEqual([15, 10])
    expect(o.series[1]?.data[0]).toBe(14)
    expect(o.series[1]?.data[1]).toMatchObject({ value: 10 })
    expect(o.legend.data).toEqual(['计划', '已播'])
  })
})
