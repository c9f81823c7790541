import { describe, expect, it } from 'vitest'
import {
  createZonedTime,
  type DayOrder,
  type PlanInputs,
  type RunningOrderItem,
  reachesPlanNode,
  resolveRelays,
} from '../../schedules/index.js'
import { slotReach, slotZones } from './relay-schedule.js'

const DAY = '2026-12-07'
const TOWN = 'town'
const OTHER = 'other-town'
const zone = createZonedTime('Asia/Shanghai')

const relay = (id: string, start: string, end: string, extra: Partial<RunningOrderItem> = {}) =>
  ({
    id,
    start,
    audioId: null,
    title: '县台',
    relay: { url: 'http://10.0.0.5:8000/county.mp3', end },
    ...extra,
  }) as RunningOrderItem
const order = (items: RunningOrderItem[], extra: Partial<DayOrder> = {}): DayOrder => ({
  mode: 'replace',
  items,
  ...extra,
})
const inputs = (over: Partial<PlanInputs> = {}): PlanInputs => ({
  templates: { working: [], rest: [] },
  dayOrders: new Map(),
  dayTypes: new Map(),
  audio: new Map(),
  ...over,
})

/** Which of a town node, another town's node and a test node in the town a slot reaches. */
const reached = (slot: ReturnType<typeof resolveRelays>[number]) => {
  const item = { ...slotReach(slot), zones: slot.zones }
  return {
    town: reachesPlanNode(item, new Set([TOWN]), false),
    other: reachesPlanNode(item, new Set([OTHER]), false),
    townTest: reachesPlanNode(item, new Set([TOWN]), true),
  }
}

describe('relay slots of a day', () => {
  it("are the district order's relay items with their instants, zones and URL", () => {
    const slots = resolveRelays(
      inputs({
        dayOrders: new Map([
          [
            DAY,
            order([
              relay('r19', '19:00:00', '19:30:00', { zones: [TOWN] }),
              { id: 'news', start: '07:00:00', audioId: 'a1', title: '新闻' },
            ]),
          ],
        ]),
      }),
      DAY,
      zone.toInstant,
    )
    expect(slots).toEqual([
      {
        key: `${DAY}/r19`,
        title: '县台',
        zones: [TOWN],
        audience: 'all',
        url: 'http://10.0.0.5:8000/county.mp3',
        startAt: Date.parse('2026-12-07T19:00:00+08:00'),
        endAt: Date.parse('2026-12-07T19:30:00+08:00'),
      },
    ])
    expect(slotZones(slots[0] as never)).toEqual([TOWN])
  })

  it("in a town's own order reach that town's nodes only, and the district's no longer there", () => {
    const slots = resolveRelays(
      inputs({
        dayOrders: new Map([[DAY, order([relay('district', '19:00:00', '19:30:00')])]]),
        zoneOrders: new Map([
          [
            TOWN,
            {
              lineage: [TOWN],
              days: new Map([[DAY, order([relay('county', '20:00:00', '20:30:00')])]]),
            },
          ],
        ]),
      }),
      DAY,
      zone.toInstant,
    )
    const byKey = new Map(slots.map((s) => [s.key, s]))
    const own = byKey.get(`${DAY}/county@${TOWN}`)
    const district = byKey.get(`${DAY}/district`)
    if (!own || !district) throw new Error(`slots: ${[...byKey.keys()]}`)
    expect(reached(own)).toEqual({ town: true, other: false, townTest: true })
    expect(slotZones(own)).toEqual([TOWN])
    expect(reached(district)).toEqual({ town: false, other: true, townTest: false })
  })

  it('on a drill day: the drill order for test nodes, the template for the others', () => {
    const slots = resolveRelays(
      inputs({
        templates: { working: [relay('tpl', '18:00:00', '18:30:00')], rest: [] },
        dayOrders: new Map([
          [DAY, order([relay('drill', '19:00:00', '19:10:00')], { drill: true })],
        ]),
      }),
      DAY,
      zone.toInstant,
    )
    const byKey = new Map(slots.map((s) => [s.key, reached(s)]))
    expect(byKey.get(`${DAY}/tpl`)).toEqual({ town: true, other: true, townTest: false })
    expect(byKey.get(`${DAY}/drill#drill`)).toEqual({ town: false, other: false, townTest: true })
    expect(byKey.size).toBe(2)
  })

  it('skip invalid relays (backwards, with audio, a refused URL)', () => {
    const items = [
      relay('a', '19:00:00', '18:00:00'),
      relay('b', '20:00:00', '20:30:00', { audioId: 'a1' }),
      {
        ...relay('c', '21:00:00', '21:30:00'),
        relay: { url: 'file:///etc/passwd', end: '21:30:00' },
      },
    ]
    const day = inputs({ dayOrders: new Map([[DAY, order(items)]]) })
    expect(resolveRelays(day, DAY, zone.toInstant)).toEqual([])
  })
})
