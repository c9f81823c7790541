import { describe, expect, it } from 'vitest'
import { fnv1a64 } from './fnv1a64.js'
import { planVersionOf } from './plan-version.js'
import { type PlanInputs, type PlanItem, resolvePlan } from './resolve-plan.js'

const TZ = 'Asia/Shanghai'
const TOWN = 't-ershilipu'
const NODE = { id: 'node-001', zoneIds: ['v-yanxiao', TOWN] }
const NEIGHBOUR = { id: 'node-002', zoneIds: ['v-jinjiawan', TOWN] }

function inputs(dayTypes: PlanInputs['dayTypes'] = new Map()): PlanInputs {
  const item = (id: string, start: string, audioId: string) => ({ id, start, audioId, title: id })
  return {
    templates: {
      working: [item('news', '07:00:00', 'a-news'), item('weather', '12:00:00', 'a-weather')],
      rest: [
        item('culture', '09:00:00', 'a-culture'),
        { ...item('town', '19:00:00', 'a-news'), zones: [TOWN] },
      ],
    },
    dayOrders: new Map(),
    dayTypes,
    audio: new Map([
      ['a-news', { sha256: 'a'.repeat(64), sizeBytes: 480_000, durationMs: 300_000 }],
      ['a-weather', { sha256: 'b'.repeat(64), sizeBytes: 96_000, durationMs: 60_000 }],
      ['a-culture', { sha256: 'd'.repeat(64), sizeBytes: 1_440_000, durationMs: 900_000 }],
    ]),
  }
}

describe('planVersionOf', () => {
  const dates = ['2025-09-30', '2025-10-01']
  const base = resolvePlan(inputs(), NODE, dates, TZ)
  const change = (i: number, patch: Partial<PlanItem>) =>
    base.map((p, j) => (j === i ? { ...p, ...patch } : p))

  it('is 16 hex digits and the same for equal input resolved twice', () => {
    const again = resolvePlan(inputs(), NODE, dates, TZ)
    expect(planVersionOf(base)).toMatch(/^[0-9a-f]{16}$/)
    expect(planVersionOf(again)).toBe(planVersionOf(base))
  })

  it('does not depend on the order the items are given in', () => {
    expect(planVersionOf([...base].reverse())).toBe(planVersionOf(base))
  })

  it('is the same for two nodes that play the same items', () => {
    const neighbour = NEIGHBOUR
    expect(planVersionOf(resolvePlan(inputs(), neighbour, dates, TZ))).toBe(planVersionOf(base))
  })

  it.each<[string, PlanItem[]]>([
    ['an item is removed', base.slice(1)],
    ['an item is added', [...base, { ...base[0]!, itemId: '2025-09-30/extra' }]],
    ['the plan is empty', []],
    ['a start moves by one second', change(0, { startAt: base[0]!.startAt + 1000 })],
    ['the audio is re-uploaded (new hash)', change(1, { sha256: 'e'.repeat(64) })],
    ['the audio id changes', change(1, { audioId: 'a-other' })],
    ['the size changes', change(1, { sizeBytes: 1 })],
    ['the duration changes', change(1, { durationMs: 1 })],
    ['a title is edited', change(2, { title: '新标题' })],
    ['a priority changes', change(2, { priority: 51 })],
    ['a column is set', change(2, { columnId: 'news' })],
    ['an itemId changes', change(2, { itemId: '2025-09-30/renamed' })],
    ['a date label changes', change(2, { date: '2025-09-29' })],
  ])('changes when %s', (_, changed) => {
    expect(planVersionOf(changed)).not.toBe(planVersionOf(base))
  })

  it('changes when an office override flips a day type', () => {
    const flipped = inputs(new Map([['2025-10-01', 'working']]))
    expect(planVersionOf(resolvePlan(flipped, NODE, dates, TZ))).not.toBe(planVersionOf(base))
  })
})

describe('planVersionOf of an empty plan', () => {
  it('is the FNV-1a 64 hash of an empty JSON list', () => {
    expect(planVersionOf([])).toBe(fnv1a64('[]'))
  })
})
