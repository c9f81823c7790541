import { describe, expect, it } from 'vitest'
import { type DayOrder, type PlanInputs, resolveDates, resolvePlan } from './resolve-plan.js'
import type { RunningOrderItem } from './running-order.js'
import { orderSourceFor, recordedDayType, zoneDayTypesOn } from './zone-orders.js'

const TZ = 'Asia/Shanghai'
const DAY = '2025-09-30'
const TOWN = 't-ershilipu'
const VILLAGE = 'v-yanxiao'
const OTHER_TOWN = 't-dabaozi'
const AUDIO = new Map([['a', { sha256: 'a'.repeat(64), sizeBytes: 1, durationMs: 1000 }]])

const item = (id: string, start: string): RunningOrderItem => ({
  id,
  start,
  audioId: 'a',
  title: id,
})
const order = (items: RunningOrderItem[], extra: Partial<DayOrder> = {}): DayOrder => ({
  mode: 'replace',
  items,
  ...extra,
})

function inputs(zones: [string, string[], DayOrder][]): PlanInputs {
  return {
    templates: { working: [item('w1', '08:00:00')], rest: [] },
    dayOrders: new Map([[DAY, order([item('d1', '09:00:00')])]]),
    zoneOrders: new Map(
      zones.map(([id, lineage, o]) => [id, { lineage, days: new Map([[DAY, o]]) }]),
    ),
    dayTypes: new Map(),
    audio: AUDIO,
  }
}

const node = (zoneIds: string[], isTest = false) => ({ id: 'n', zoneIds, isTest })
const ids = (items: readonly { itemId: string }[]) => items.map((i) => i.itemId)

describe('zone orders: a node plays the order of its nearest zone that has one', () => {
  const town = inputs([[TOWN, [TOWN], order([item('t1', '10:00:00')])]])

  it('gives nodes in the town the town order and the others the district order', () => {
    expect(ids(resolvePlan(town, node([VILLAGE, TOWN]), [DAY], TZ))).toEqual([`${DAY}/t1`])
    expect(ids(resolvePlan(town, node([TOWN]), [DAY], TZ))).toEqual([`${DAY}/t1`])
    expect(ids(resolvePlan(town, node([OTHER_TOWN]), [DAY], TZ))).toEqual([`${DAY}/d1`])
  })

  it('lets a village order below the town win for its own nodes only', () => {
    const both = inputs([
      [TOWN, [TOWN], order([item('t1', '10:00:00')])],
      [VILLAGE, [VILLAGE, TOWN], order([item('v1', '11:00:00')], { mode: 'add' })],
    ])
    expect(ids(resolvePlan(both, node([VILLAGE, TOWN]), [DAY], TZ))).toEqual([
      `${DAY}/w1`,
      `${DAY}/v1`,
    ])
    expect(ids(resolvePlan(both, node(['v-other', TOWN]), [DAY], TZ))).toEqual([`${DAY}/t1`])
    expect(orderSourceFor(both, DAY, [VILLAGE, TOWN])).toMatchObject({ zoneId: VILLAGE })
    expect(orderSourceFor(both, DAY, ['v-other', TOWN])).toMatchObject({ zoneId: TOWN })
    expect(orderSourceFor(both, DAY, [OTHER_TOWN]).kind).toBe('district')
  })

  it('replaces the template for a zone even when the district has no order', () => {
    const noDistrict = { ...town, dayOrders: new Map() }
    expect(ids(resolvePlan(noDistrict, node([OTHER_TOWN]), [DAY], TZ))).toEqual([`${DAY}/w1`])
    expect(ids(resolvePlan(noDistrict, node([TOWN]), [DAY], TZ))).toEqual([`${DAY}/t1`])
    expect(orderSourceFor(noDistrict, DAY, [OTHER_TOWN]).kind).toBe('template')
  })

  it('plays a zone drill order on test nodes only; the others keep the district order', () => {
    const drill = inputs([[TOWN, [TOWN], order([item('t1', '10:00:00')], { drill: true })]])
    expect(ids(resolvePlan(drill, node([TOWN]), [DAY], TZ))).toEqual([`${DAY}/d1`])
    const test = resolvePlan(drill, node([TOWN], true), [DAY], TZ)
    expect(ids(test)).toEqual([`${DAY}/t1`])
    expect(test[0]?.drill).toBe(true)
  })

  it('marks resolved items with their order zone and the zones that replace them', () => {
    const resolved = resolveDates(town, [DAY], TZ)
    expect(resolved.map((r) => [r.itemId, r.orderZone, r.overriddenBy])).toEqual([
      [`${DAY}/d1`, undefined, [TOWN]],
      [`${DAY}/t1`, TOWN, undefined],
    ])
    // Plan items never carry the targeting fields.
    expect(Object.keys(resolvePlan(town, node([TOWN]), [DAY], TZ)[0] ?? {})).not.toContain(
      'orderZone',
    )
  })
})

describe('zoneDayTypesOn and recordedDayType', () => {
  const inputs = {
    zoneDayTypes: new Map([
      ['town', { lineage: ['town', 'district'], days: new Map([['2026-12-07', 'rest' as const]]) }],
      [
        'village',
        { lineage: ['village', 'town'], days: new Map([['2026-12-08', 'working' as const]]) },
      ],
    ]),
  }

  it("records the zones with their own type that date, and a node takes its nearest zone's", () => {
    const record = {
      dayType: 'working' as const,
      zoneDayTypes: zoneDayTypesOn(inputs, '2026-12-07'),
    }
    expect(record.zoneDayTypes).toEqual({ town: 'rest' })
    expect(recordedDayType(record, ['village', 'town', 'district'])).toBe('rest')
    expect(recordedDayType(record, ['other', 'district'])).toBe('working')
  })
})
