import { describe, expect, it } from 'vitest'
import type { DayType } from './calendar.js'
import { type DayOrder, type PlanInputs, resolvePlan } from './resolve-plan.js'
import type { RunningOrderItem } from './running-order.js'
import { dayTypeFor } from './zone-orders.js'

const TZ = 'Asia/Shanghai'
const DAY = '2025-09-30' // a Tuesday: a working day by the official calendar
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

function inputs(types: [string, string[], DayType][], extra: Partial<PlanInputs> = {}): PlanInputs {
  return {
    templates: { working: [item('w1', '08:00:00')], rest: [item('r1', '09:00:00')] },
    dayOrders: new Map(),
    dayTypes: new Map(),
    zoneDayTypes: new Map(
      types.map(([id, lineage, type]) => [id, { lineage, days: new Map([[DAY, type]]) }]),
    ),
    audio: AUDIO,
    ...extra,
  }
}

const node = (zoneIds: string[], isTest = false) => ({ id: 'n', zoneIds, isTest })
const ids = (plan: PlanInputs, zoneIds: string[], isTest = false) =>
  resolvePlan(plan, node(zoneIds, isTest), [DAY], TZ).map((i) => i.itemId.slice(11))
const order = (items: RunningOrderItem[], extra: Partial<DayOrder> = {}): DayOrder => ({
  mode: 'add',
  items,
  ...extra,
})

describe("zone calendar overrides: a node takes its nearest zone's day type", () => {
  it("plays the rest-day template in a town marked rest, and the working day's elsewhere", () => {
    const town = inputs([[TOWN, [TOWN], 'rest']])
    expect(ids(town, [TOWN])).toEqual(['r1'])
    expect(ids(town, [VILLAGE, TOWN])).toEqual(['r1'])
    expect(ids(town, [OTHER_TOWN])).toEqual(['w1'])
    expect(dayTypeFor(town, DAY, [VILLAGE, TOWN])).toMatchObject({
      type: 'rest',
      source: 'override',
      zoneId: TOWN,
    })
    expect(dayTypeFor(town, DAY, [OTHER_TOWN])).toEqual({ type: 'working', source: 'official' })
  })

  it("lets a village's override below the town win for its own nodes", () => {
    const both = inputs([
      [TOWN, [TOWN], 'rest'],
      [VILLAGE, [VILLAGE, TOWN], 'working'],
    ])
    expect(ids(both, [VILLAGE, TOWN])).toEqual(['w1'])
    expect(ids(both, ['v-other', TOWN])).toEqual(['r1'])
  })

  it("beats the district's override and keeps the district's order on the town's day type", () => {
    const plan = inputs([[TOWN, [TOWN], 'working']], {
      dayTypes: new Map([[DAY, 'rest']]),
      dayOrders: new Map([[DAY, order([item('d1', '10:00:00')])]]),
    })
    expect(ids(plan, [TOWN])).toEqual(['w1', 'd1'])
    expect(ids(plan, [OTHER_TOWN])).toEqual(['r1', 'd1'])
    expect(dayTypeFor(plan, DAY, [OTHER_TOWN])).toMatchObject({ type: 'rest', zoneId: '' })
  })

  it("combines with a zone's own order: the nearest order on the nearest day type", () => {
    const plan = inputs([[VILLAGE, [VILLAGE, TOWN], 'rest']], {
      zoneOrders: new Map([
        [TOWN, { lineage: [TOWN], days: new Map([[DAY, order([item('t1', '11:00:00')])]]) }],
      ]),
    })
    expect(ids(plan, [VILLAGE, TOWN])).toEqual(['r1', 't1'])
    expect(ids(plan, ['v-other', TOWN])).toEqual(['w1', 't1'])
    expect(ids(plan, [OTHER_TOWN])).toEqual(['w1'])
  })

  it('keeps drill orders for test nodes only, on the zone day type', () => {
    const plan = inputs([[TOWN, [TOWN], 'rest']], {
      dayOrders: new Map([[DAY, order([item('drill', '12:00:00')], { drill: true })]]),
      zoneOrders: new Map([
        [
          VILLAGE,
          {
            lineage: [VILLAGE, TOWN],
            days: new Map([[DAY, order([item('v1', '13:00:00')], { drill: true })]]),
          },
        ],
      ]),
    })
    expect(ids(plan, [TOWN])).toEqual(['r1'])
    expect(ids(plan, [TOWN], true)).toEqual(['r1', 'drill'])
    expect(ids(plan, [VILLAGE, TOWN])).toEqual(['r1'])
    expect(ids(plan, [VILLAGE, TOWN], true)).toEqual(['r1', 'v1'])
    expect(ids(plan, [OTHER_TOWN])).toEqual(['w1'])
    expect(ids(plan, [OTHER_TOWN], true)).toEqual(['w1', 'drill'])
  })
})
