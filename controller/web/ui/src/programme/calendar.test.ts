import { describe, expect, it } from 'vitest'
import { datesBetween, monthGrid, overrideMark, select, shiftMonth, typeFromText } from './calendar'

describe('calendar page logic', () => {
  it('lays a month out in weeks from Monday', () => {
    // 1 February 2027 is a Monday; 28 days: exactly four weeks.
    const feb = monthGrid('2027-02')
    expect(feb).toHaveLength(4)
    expect(feb[0]?.[0]).toBe('2027-02-01')
    expect(feb[3]?.[6]).toBe('2027-02-28')
    // 1 January 2027 is a Friday: four empty cells before it.
    const jan = monthGrid('2027-01')
    expect(jan[0]).toEqual([null, null, null, null, '2027-01-01', '2027-01-02', '2027-01-03'])
    expect(jan.flat().filter(Boolean)).toHaveLength(31)
  })

  it('steps months across years', () => {
    expect(shiftMonth('2026-12', 1)).toBe('2027-01')
    expect(shiftMonth('2027-01', -1)).toBe('2026-12')
    expect(shiftMonth('2027-02', 12)).toBe('2028-02')
  })

  it('toggles a clicked day and adds the range on shift-click', () => {
    let sel = select([], '2027-02-10', null, false)
    expect(sel).toEqual(['2027-02-10'])
    sel = select(sel, '2027-02-07', '2027-02-10', true)
    expect(sel).toEqual(['2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10'])
    sel = select(sel, '2027-02-08', '2027-02-07', false)
    expect(sel).toEqual(['2027-02-07', '2027-02-09', '2027-02-10'])
    expect(datesBetween('2027-02-27', '2027-03-02')).toEqual([
      '2027-02-27',
      '2027-02-28',
      '2027-03-01',
      '2027-03-02',
    ])
  })

  it("says whose answer a day's type is at the zone shown (issue 11)", () => {
    const day = (
      zone: string,
      ownOverride: boolean,
      kind: 'zone' | 'district' | 'official' | 'weekday',
      name: string | null = null,
    ) => ({
      zone,
      ownOverride,
      source: kind === 'official' || kind === 'weekday' ? kind : ('override' as const),
      typeFrom: { kind, zoneId: name ? 'z-1' : '', zoneName: name },
    })
    expect(typeFromText(day('', true, 'district'))).toEqual({
      key: 'calendar.source.override',
      params: {},
    })
    expect(typeFromText(day('z-1', true, 'zone', '二十里铺镇'))).toEqual({
      key: 'calendar.from.own',
      params: {},
    })
    expect(typeFromText(day('z-2', false, 'zone', '二十里铺镇'))).toEqual({
      key: 'calendar.from.zone',
      params: { name: '二十里铺镇' },
    })
    expect(typeFromText(day('z-2', false, 'district'))).toEqual({
      key: 'calendar.from.district',
      params: {},
    })
    expect(typeFromText(day('z-2', false, 'official'))).toEqual({
      key: 'calendar.source.official',
      params: {},
    })
    expect(typeFromText(day('', false, 'weekday'))).toEqual({
      key: 'calendar.source.weekday',
      params: {},
    })
    expect(overrideMark(day('z-1', true, 'zone', 'x'))).toBe('own')
    expect(overrideMark(day('z-2', false, 'district'))).toBe('inherited')
    expect(overrideMark(day('z-2', false, 'official'))).toBe('')
  })
})
