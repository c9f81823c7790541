import { describe, expect, it } from 'vitest'
import { DEFAULT_TEMPLATE_TIMES, defaultTemplate, itemIdForStart } from './default-templates.js'
import { planDayDigests, planVersionOf } from './plan-version.js'
import { ANNOUNCEMENT_PRIORITY, SEGMENT_PRIORITY_MAX } from './priority.js'
import {
  type AnnouncementInput,
  type PlanInputs,
  planForNode,
  resolveDates,
  resolvePlan,
} from './resolve-plan.js'
import type { RunningOrderItem } from './running-order.js'
import { DEFAULT_SEGMENTS } from './running-order.js'
import { validateDay } from './validate-day.js'

const TZ = 'Asia/Shanghai'
const TOWN = 't-ershilipu'
const VILLAGE = 'v-yanxiao'
const OTHER = 'v-songjiazhai'
const REGULAR = { id: 'node-1', zoneIds: [VILLAGE, TOWN] }
const TEST_NODE = { id: 'node-t', zoneIds: [VILLAGE, TOWN], isTest: true }
const FAR = { id: 'node-far', zoneIds: [OTHER] }
const TUESDAY = '2025-09-30'

const AUDIO = new Map([
  ['a-news', { sha256: 'a'.repeat(64), sizeBytes: 1000, durationMs: 60_000, title: '新闻' }],
  ['a-alert', { sha256: 'b'.repeat(64), sizeBytes: 500, durationMs: 20_000, title: '警报' }],
])

const item = (id: string, start: string, extra: Partial<RunningOrderItem> = {}) => ({
  id,
  start,
  audioId: 'a-news',
  title: `title ${id}`,
  ...extra,
})

function inputs(over: Partial<PlanInputs> = {}): PlanInputs {
  return {
    templates: { working: [item('w1', '08:00:00')], rest: [item('r1', '09:00:00')] },
    dayOrders: new Map(),
    dayTypes: new Map(),
    audio: AUDIO,
    ...over,
  }
}

const ids = (items: readonly { itemId: string }[]) => items.map((i) => i.itemId)

describe('resolveDates: drill days', () => {
  const drill = inputs({
    dayOrders: new Map([
      [TUESDAY, { mode: 'replace' as const, drill: true, items: [item('d1', '10:00:00')] }],
    ]),
  })

  it('gives test nodes the date order marked drill and the others the plain template', () => {
    const test = resolvePlan(drill, TEST_NODE, [TUESDAY], TZ)
    expect(ids(test)).toEqual([`${TUESDAY}/d1`])
    expect(test[0]?.drill).toBe(true)
    const regular = resolvePlan(drill, REGULAR, [TUESDAY], TZ)
    expect(ids(regular)).toEqual([`${TUESDAY}/w1`])
    expect(regular[0]?.drill).toBeUndefined()
  })

  it('keeps the audience on the district resolution, for reports', () => {
    const resolved = resolveDates(drill, [TUESDAY], TZ)
    expect(resolved.map((r) => [r.itemId, r.audience])).toEqual([
      [`${TUESDAY}/w1`, 'regular'],
      [`${TUESDAY}/d1`, 'test'],
    ])
  })

  it('lets test nodes play the ordinary programme on ordinary days', () => {
    expect(ids(resolvePlan(inputs(), TEST_NODE, [TUESDAY], TZ))).toEqual([`${TUESDAY}/w1`])
  })
})

describe('resolveDates: announcements', () => {
  const at = Date.parse('2025-09-30T02:00:00Z') // 10:00 in Shanghai
  const ann = (over: Partial<AnnouncementInput> = {}): AnnouncementInput => ({
    id: 'x1',
    at,
    audioId: 'a-alert',
    title: '',
    priority: ANNOUNCEMENT_PRIORITY.urgent,
    latestStartAt: at + 600_000,
    ...over,
  })

  it('plans an announcement on its local date with its priority, kind and deadline', () => {
    const plan = resolvePlan(inputs({ announcements: [ann()] }), REGULAR, [TUESDAY], TZ)
    expect(plan.find((p) => p.kind === 'announcement')).toEqual({
      itemId: `${TUESDAY}/ann-x1`,
      date: TUESDAY,
      startAt: at,
      audioId: 'a-alert',
      sha256: 'b'.repeat(64),
      sizeBytes: 500,
      durationMs: 20_000,
      title: '警报',
      priority: 80,
      kind: 'announcement',
      latestStartAt: at + 600_000,
    })
  })

  it('reaches only the targeted zones and, as a drill, only test nodes', () => {
    const targeted = inputs({ announcements: [ann({ zones: [TOWN] })] })
    expect(ids(resolvePlan(targeted, FAR, [TUESDAY], TZ))).not.toContain(`${TUESDAY}/ann-x1`)
    expect(ids(resolvePlan(targeted, REGULAR, [TUESDAY], TZ))).toContain(`${TUESDAY}/ann-x1`)
    const drill = inputs({ announcements: [ann({ drill: true })] })
    expect(ids(resolvePlan(drill, REGULAR, [TUESDAY], TZ))).not.toContain(`${TUESDAY}/ann-x1`)
    const onTest = resolvePlan(drill, TEST_NODE, [TUESDAY], TZ)
    expect(onTest.find((p) => p.kind === 'announcement')?.drill).toBe(true)
  })

  it('leaves out announcements of dates outside the plan and with unknown audio', () => {
    const other = inputs({ announcements: [ann({ at: at + 86_400_000 }), ann({ audioId: 'no' })] })
    expect(resolvePlan(other, REGULAR, [TUESDAY], TZ).some((p) => p.kind)).toBe(false)
  })

  it('keeps the priority order: emergency > urgent > any scheduled segment', () => {
    expect(ANNOUNCEMENT_PRIORITY.emergency).toBeGreaterThan(ANNOUNCEMENT_PRIORITY.urgent)
    expect(ANNOUNCEMENT_PRIORITY.urgent).toBeGreaterThan(SEGMENT_PRIORITY_MAX)
  })
})

describe('resolveDates: columns and titles', () => {
  it('takes the column default priority when an item names none, and its own when it does', () => {
    const columns = new Map([['c-news', { defaultPriority: 30 }]])
    const templates = {
      working: [
        item('a', '08:00:00', { columnId: 'c-news' }),
        item('b', '09:00:00', { columnId: 'c-news', priority: 40 }),
        item('c', '10:00:00', { columnId: 'c-gone' }),
      ],
      rest: [],
    }
    const plan = resolvePlan(inputs({ templates, columns }), REGULAR, [TUESDAY], TZ)
    expect(plan.map((p) => p.priority)).toEqual([30, 40, 50])
  })

  it("uses the audio's title for an item without one", () => {
    const templates = { working: [item('a', '08:00:00', { title: '' })], rest: [] }
    expect(resolvePlan(inputs({ templates }), REGULAR, [TUESDAY], TZ)[0]?.title).toBe('新闻')
  })
})

describe('planForNode', () => {
  it('gives the same result as resolving the node alone', () => {
    const i = inputs({
      templates: { working: [item('z', '08:00:00', { zones: [TOWN] })], rest: [] },
    })
    const resolved = resolveDates(i, [TUESDAY, '2025-10-01'], TZ)
    for (const node of [REGULAR, TEST_NODE, FAR]) {
      expect(planForNode(resolved, node)).toEqual(resolvePlan(i, node, [TUESDAY, '2025-10-01'], TZ))
    }
  })
})

describe('planDayDigests', () => {
  it('changes only the digest of the date that changed', () => {
    const dates = [TUESDAY, '2025-10-01']
    const before = planDayDigests(resolvePlan(inputs(), REGULAR, dates, TZ), dates)
    const rest = { working: [item('w1', '08:00:00')], rest: [item('r1', '09:30:00')] }
    const after = planDayDigests(
      resolvePlan(inputs({ templates: rest }), REGULAR, dates, TZ),
      dates,
    )
    expect(after[TUESDAY]).toBe(before[TUESDAY])
    expect(after['2025-10-01']).not.toBe(before['2025-10-01'])
    expect(planDayDigests([], ['2025-10-02'])).toEqual({ '2025-10-02': planVersionOf([]) })
  })

  it('keeps the version of plain segments unchanged by the new optional fields', () => {
    const plan = resolvePlan(inputs(), REGULAR, [TUESDAY], TZ)
    expect(planVersionOf(plan)).toBe(planVersionOf(plan.map((p) => ({ ...p }))))
    expect(planVersionOf([{ ...plan[0]!, drill: true }])).not.toBe(planVersionOf(plan))
  })
})

describe('defaultTemplate', () => {
  it.each(['working', 'rest'] as const)(
    'seeds the %s day with the baseline count of empty slots, valid outside quiet hours',
    (type) => {
      const items = defaultTemplate(type)
      expect(items).toHaveLength(DEFAULT_SEGMENTS[type])
      expect(items.every((i) => i.audioId === null && i.id === itemIdForStart(i.start))).toBe(true)
      expect(items.map((i) => i.start)).toEqual(DEFAULT_TEMPLATE_TIMES[type])
      const issues = validateDay(items, new Map(), { targetCount: DEFAULT_SEGMENTS[type] })
      expect(issues.every((i) => i.code === 'MISSING_AUDIO' && i.severity === 'warning')).toBe(true)
    },
  )
})
