import { describe, expect, it } from 'vitest'
import type { DayType } from './calendar.js'
import {
  comparePlanItems,
  type DayOrder,
  itemsForDate,
  type PlanInputs,
  type PlanItem,
  type PlanNode,
  reachesNode,
  resolvePlan,
} from './resolve-plan.js'
import type { RunningOrderItem } from './running-order.js'
import { createZonedTime } from './zoned-time.js'

const TZ = 'Asia/Shanghai'

// Zone tree: district 城北区 → towns 二十里铺镇, 大堡子镇 → villages.
const DISTRICT = 'd-chengbei'
const TOWN = 't-ershilipu'
const OTHER_TOWN = 't-dabaozi'
const VILLAGE = 'v-yanxiao' // 严小村, under 二十里铺镇
const SISTER_VILLAGE = 'v-jinjiawan' // 晋家湾, also under 二十里铺镇
const FAR_VILLAGE = 'v-songjiazhai' // 宋家寨, under 大堡子镇

const NODE: PlanNode = { id: 'node-001', zoneIds: [VILLAGE, TOWN, DISTRICT] }

const AUDIO = new Map([
  ['a-news', { sha256: 'a'.repeat(64), sizeBytes: 480_000, durationMs: 300_000 }],
  ['a-weather', { sha256: 'b'.repeat(64), sizeBytes: 96_000, durationMs: 60_000 }],
  ['a-policy', { sha256: 'c'.repeat(64), sizeBytes: 960_000, durationMs: 600_000 }],
  ['a-culture', { sha256: 'd'.repeat(64), sizeBytes: 1_440_000, durationMs: 900_000 }],
])

function item(
  id: string,
  start: string,
  audioId: string | null = 'a-news',
  extra: Partial<RunningOrderItem> = {},
): RunningOrderItem {
  return { id, start, audioId, title: `title of ${id}`, ...extra }
}

function inputs(over: Partial<PlanInputs> = {}): PlanInputs {
  return {
    templates: {
      working: [
        item('w-news', '07:00:00', 'a-news'),
        item('w-weather', '12:00:00', 'a-weather'),
        item('w-policy', '18:30:00', 'a-policy'),
      ],
      rest: [item('r-culture', '09:00:00', 'a-culture'), item('r-news', '19:00:00', 'a-news')],
    },
    dayOrders: new Map(),
    dayTypes: new Map(),
    audio: AUDIO,
    ...over,
  }
}

const ids = (plan: readonly PlanItem[]) => plan.map((p) => p.itemId)
const orders = (entries: [string, DayOrder][]) => new Map(entries)

describe('resolvePlan: templates by day type', () => {
  it.each([
    ['2025-09-30', 'working', 'a plain Tuesday'],
    ['2025-10-01', 'rest', 'National Day'],
    ['2025-09-28', 'working', 'a make-up working Sunday'],
    ['2025-10-11', 'working', 'a make-up working Saturday'],
    ['2025-10-12', 'rest', 'a plain Sunday'],
    ['2099-10-02', 'working', 'a Friday of an unpublished year'],
    ['2099-10-03', 'rest', 'a Saturday of an unpublished year'],
  ])('on %s it plays the %s template (%s)', (date, type) => {
    const prefix = type === 'working' ? 'w-' : 'r-'
    const plan = resolvePlan(inputs(), NODE, [date], TZ)
    expect(plan.length).toBeGreaterThan(0)
    expect(plan.every((p) => p.itemId.startsWith(`${date}/${prefix}`))).toBe(true)
  })

  it.each<[string, DayType, string]>([
    ['2025-10-01', 'working', 'w-news'],
    ['2025-09-30', 'rest', 'r-culture'],
  ])('follows an office override on %s to the %s template', (date, type, first) => {
    const plan = resolvePlan(inputs({ dayTypes: new Map([[date, type]]) }), NODE, [date], TZ)
    expect(plan[0]?.itemId).toBe(`${date}/${first}`)
  })
})

describe('resolvePlan: date orders', () => {
  const date = '2025-09-30'
  const special = [item('s-notice', '10:00:00', 'a-policy'), item('s-late', '20:00:00')]

  it('plays only the date order when it replaces the template', () => {
    const dayOrders = orders([[date, { mode: 'replace', items: special }]])
    const plan = resolvePlan(inputs({ dayOrders }), NODE, [date], TZ)
    expect(ids(plan)).toEqual([`${date}/s-notice`, `${date}/s-late`])
  })

  it('plays nothing on a date whose replacing order is empty', () => {
    const dayOrders = orders([[date, { mode: 'replace', items: [] }]])
    expect(resolvePlan(inputs({ dayOrders }), NODE, [date], TZ)).toEqual([])
  })

  it('merges the date order into the template when it adds', () => {
    const dayOrders = orders([[date, { mode: 'add', items: special }]])
    const plan = resolvePlan(inputs({ dayOrders }), NODE, [date], TZ)
    expect(ids(plan)).toEqual(
      ['w-news', 's-notice', 'w-weather', 'w-policy', 's-late'].map((id) => `${date}/${id}`),
    )
  })

  it('lets an added item with a template id take that item over, keeping ids unique', () => {
    const moved = item('w-weather', '12:30:00', 'a-weather', { title: 'later weather' })
    const dayOrders = orders([[date, { mode: 'add', items: [moved] }]])
    const plan = resolvePlan(inputs({ dayOrders }), NODE, [date], TZ)
    const weather = plan.filter((p) => p.itemId === `${date}/w-weather`)
    expect(weather).toHaveLength(1)
    expect(weather[0]?.title).toBe('later weather')
    expect(weather[0]?.startAt).toBe(Date.parse('2025-09-30T04:30:00Z'))
  })

  it('keeps the last of two items sharing an id within one order', () => {
    const twice = [item('dup', '08:00:00'), item('dup', '09:00:00')]
    const dayOrders = orders([[date, { mode: 'replace', items: twice }]])
    const plan = resolvePlan(inputs({ dayOrders }), NODE, [date], TZ)
    expect(plan.map((p) => p.startAt)).toEqual([Date.parse('2025-09-30T01:00:00Z')])
  })

  it('applies a date order only to its own date', () => {
    const dayOrders = orders([[date, { mode: 'replace', items: special }]])
    const plan = resolvePlan(inputs({ dayOrders }), NODE, ['2025-09-29'], TZ)
    expect(ids(plan)).toEqual(['w-news', 'w-weather', 'w-policy'].map((id) => `2025-09-29/${id}`))
  })

  it('exposes the merged running order of a date through itemsForDate', () => {
    const dayOrders = orders([[date, { mode: 'add', items: special }]])
    expect(itemsForDate(inputs({ dayOrders }), date).map((i) => i.id)).toEqual([
      'w-news',
      'w-weather',
      'w-policy',
      's-notice',
      's-late',
    ])
  })
})

describe('resolvePlan: zone targeting', () => {
  it.each([
    ['no zones at all', undefined, true],
    ['an empty zone list (whole district)', [], true],
    ['the district', [DISTRICT], true],
    ['the town above the village', [TOWN], true],
    ['the village itself', [VILLAGE], true],
    ['a sister village in the same town', [SISTER_VILLAGE], false],
    ['a village in another town', [FAR_VILLAGE], false],
    ['another town', [OTHER_TOWN], false],
    ['another village and the town', [FAR_VILLAGE, TOWN], true],
  ])('an item targeting %s reaches a node in 严小村: %s', (_, zones, reaches) => {
    const extra = zones === undefined ? {} : { zones }
    const dayOrders = orders([
      ['2025-09-30', { mode: 'replace', items: [item('x', '08:00:00', 'a-news', extra)] }],
    ])
    const plan = resolvePlan(inputs({ dayOrders }), NODE, ['2025-09-30'], TZ)
    expect(plan.length).toBe(reaches ? 1 : 0)
    expect(reachesNode(zones, new Set(NODE.zoneIds))).toBe(reaches)
  })

  it('gives a node without zones only the whole-district items', () => {
    const items = [item('all', '08:00:00'), item('town', '09:00:00', 'a-news', { zones: [TOWN] })]
    const dayOrders = orders([['2025-09-30', { mode: 'replace', items }]])
    const loner = { id: 'node-x', zoneIds: [], isTest: true }
    expect(ids(resolvePlan(inputs({ dayOrders }), loner, ['2025-09-30'], TZ))).toEqual([
      '2025-09-30/all',
    ])
  })
})

describe('resolvePlan: audio and item fields', () => {
  const date = '2025-09-30'
  const resolveItems = (items: RunningOrderItem[]) =>
    resolvePlan(
      inputs({ dayOrders: orders([[date, { mode: 'replace', items }]]) }),
      NODE,
      [date],
      TZ,
    )

  it.each([
    ['no audio yet (null)', null],
    ['audio missing from the library', 'a-deleted'],
  ])('skips an item with %s', (_, audioId) => {
    expect(ids(resolveItems([item('empty', '08:00:00', audioId), item('ok', '09:00:00')]))).toEqual(
      [`${date}/ok`],
    )
  })

  it('copies the audio facts, title, start instant and default priority into the plan item', () => {
    expect(resolveItems([item('news', '07:00:00', 'a-news')])).toEqual([
      {
        itemId: '2025-09-30/news',
        date,
        startAt: Date.parse('2025-09-29T23:00:00Z'),
        audioId: 'a-news',
        sha256: 'a'.repeat(64),
        sizeBytes: 480_000,
        durationMs: 300_000,
        title: 'title of news',
        priority: 50,
      },
    ])
  })

  it.each([
    ['a column id is kept', { columnId: 'policy', priority: 90 }, 'policy', 90],
    ['a null column id is left out', { columnId: null, priority: 0 }, undefined, 0],
    ['an absent column id is left out', {}, undefined, 50],
  ])('%s and the priority carried over', (_, extra, columnId, priority) => {
    const [planItem] = resolveItems([item('news', '07:00:00', 'a-news', extra)])
    expect(planItem?.columnId).toBe(columnId)
    expect(planItem !== undefined && 'columnId' in planItem).toBe(columnId !== undefined)
    expect(planItem?.priority).toBe(priority)
  })

  it('places 23:59:59 on its own date, one second before the next local day', () => {
    const [last] = resolveItems([item('late', '23:59:59')])
    expect(last?.startAt).toBe(Date.parse('2025-09-30T15:59:59Z'))
    const [first] = resolvePlan(
      inputs({
        dayOrders: orders([
          ['2025-10-01', { mode: 'replace', items: [item('early', '00:00:00')] }],
        ]),
      }),
      NODE,
      ['2025-10-01'],
      TZ,
    )
    expect((first?.startAt ?? 0) - (last?.startAt ?? 0)).toBe(1000)
  })

  it('places items at the right instants across a DST change in Berlin', () => {
    const items = [item('before', '01:30:00'), item('gap', '02:30:00'), item('after', '03:30:00')]
    const dayOrders = orders([['2025-03-30', { mode: 'replace', items }]])
    const plan = resolvePlan(inputs({ dayOrders }), NODE, ['2025-03-30'], 'Europe/Berlin')
    expect(plan.map((p) => new Date(p.startAt).toISOString())).toEqual([
      '2025-03-30T00:30:00.000Z',
      '2025-03-30T01:30:00.000Z',
      '2025-03-30T01:30:00.000Z',
    ])
    expect(ids(plan)).toEqual(['2025-03-30/before', '2025-03-30/after', '2025-03-30/gap'])
  })
})

describe('resolvePlan: ordering and identity', () => {
  const dates = ['2025-09-26', '2025-09-27', '2025-09-28', '2025-09-29', '2025-09-30', '2025-10-01']

  it('gives every item across a week a unique itemId made of its date and item id', () => {
    const plan = resolvePlan(inputs(), NODE, dates, TZ)
    expect(new Set(ids(plan)).size).toBe(plan.length)
    for (const p of plan) expect(p.itemId.startsWith(`${p.date}/`)).toBe(true)
  })

  it('gives the same itemIds and items when resolved again', () => {
    expect(resolvePlan(inputs(), NODE, dates, TZ)).toEqual(resolvePlan(inputs(), NODE, dates, TZ))
  })

  it('sorts by start instant, then by itemId', () => {
    const items = [item('b', '08:00:00'), item('a', '08:00:00'), item('c', '07:00:00')]
    const dayOrders = orders([['2025-09-30', { mode: 'replace', items }]])
    const plan = resolvePlan(inputs({ dayOrders }), NODE, ['2025-09-30', '2025-09-29'], TZ)
    expect(ids(plan)).toEqual([
      '2025-09-29/w-news',
      '2025-09-29/w-weather',
      '2025-09-29/w-policy',
      '2025-09-30/c',
      '2025-09-30/a',
      '2025-09-30/b',
    ])
  })

  it('gives the same plan with a shared zone from createZonedTime as with the zone name', () => {
    const zone = createZonedTime(TZ)
    const byName = resolvePlan(inputs(), NODE, dates, TZ)
    expect(resolvePlan(inputs(), NODE, dates, zone)).toEqual(byName)
    expect(resolvePlan(inputs(), NODE, dates, zone)).toEqual(byName)
  })

  it('counts a date given twice only once', () => {
    const once = resolvePlan(inputs(), NODE, ['2025-09-30'], TZ)
    expect(resolvePlan(inputs(), NODE, ['2025-09-30', '2025-09-30'], TZ)).toEqual(once)
  })

  it.each([
    ['an invalid date', ['2025-02-30'], TZ],
    ['an unknown time zone', ['2025-09-30'], 'Asia/Xining'],
  ])('rejects %s with a RangeError', (_, badDates, tz) => {
    expect(() => resolvePlan(inputs(), NODE, badDates, tz)).toThrow(RangeError)
  })

  it.each([
    ['an earlier start first', { startAt: 1, itemId: 'b' }, { startAt: 2, itemId: 'a' }, -1],
    ['a later start last', { startAt: 2, itemId: 'a' }, { startAt: 1, itemId: 'b' }, 1],
    [
      'a smaller itemId first at the same start',
      { startAt: 1, itemId: 'a' },
      { startAt: 1, itemId: 'b' },
      -1,
    ],
    [
      'a larger itemId last at the same start',
      { startAt: 1, itemId: 'b' },
      { startAt: 1, itemId: 'a' },
      1,
    ],
    ['equal keys as equal', { startAt: 1, itemId: 'a' }, { startAt: 1, itemId: 'a' }, 0],
  ])('comparePlanItems sorts %s', (_, a, b, sign) => {
    expect(Math.sign(comparePlanItems(a as PlanItem, b as PlanItem))).toBe(sign)
  })
})
