import { Value } from 'typebox/value'
import { describe, expect, it } from 'vitest'
import {
  DayPlanSchema,
  DEFAULT_PRIORITY,
  DEFAULT_SEGMENTS,
  RunningOrderItemSchema,
  RunningOrderSchema,
} from './running-order.js'

const item = { id: 'news', start: '07:00:00', audioId: 'a1', title: '城北新闻' }

describe('RunningOrderItemSchema', () => {
  it.each([
    ['a minimal item', item],
    ['an item whose slot has no audio yet', { ...item, audioId: null }],
    ['an item in a column', { ...item, columnId: 'policy' }],
    ['an item with no column', { ...item, columnId: null }],
    ['an item for the whole district', { ...item, zones: [] }],
    ['an item for two villages', { ...item, zones: ['v-yanxiao', 'v-jinjiawan'] }],
    ['an item with the lowest priority', { ...item, priority: 0 }],
    ['an item with the highest priority', { ...item, priority: 100 }],
    ['an item one second before midnight', { ...item, start: '23:59:59' }],
  ])('accepts %s', (_, value) => {
    expect(Value.Check(RunningOrderItemSchema, value)).toBe(true)
  })

  it.each([
    ['an empty id', { ...item, id: '' }],
    ['a start of 24:00:00', { ...item, start: '24:00:00' }],
    ['a start without seconds', { ...item, start: '07:00' }],
    ['a start without a leading zero', { ...item, start: '7:00:00' }],
    ['a missing audioId', { id: 'news', start: '07:00:00', title: 'x' }],
    ['an empty audioId', { ...item, audioId: '' }],
    ['a missing title', { id: 'news', start: '07:00:00', audioId: null }],
    ['a priority above 100', { ...item, priority: 101 }],
    ['a negative priority', { ...item, priority: -1 }],
    ['a fractional priority', { ...item, priority: 50.5 }],
    ['zones that are not a list', { ...item, zones: 'v-yanxiao' }],
    ['an empty zone id', { ...item, zones: [''] }],
  ])('rejects %s', (_, value) => {
    expect(Value.Check(RunningOrderItemSchema, value)).toBe(false)
  })

  it('defaults the priority to 50', () => {
    expect(Value.Default(RunningOrderItemSchema, { ...item })).toEqual({ ...item, priority: 50 })
    expect(DEFAULT_PRIORITY).toBe(50)
  })
})

describe('RunningOrderSchema and DayPlanSchema', () => {
  it('accepts a running order of items', () => {
    expect(Value.Check(RunningOrderSchema, { items: [item, { ...item, id: 'weather' }] })).toBe(
      true,
    )
    expect(Value.Check(RunningOrderSchema, { items: [{ ...item, start: 'noon' }] })).toBe(false)
  })

  it.each([
    [{ mode: 'replace', items: [] }, true],
    [{ mode: 'add', items: [item] }, true],
    [{ mode: 'merge', items: [] }, false],
    [{ items: [] }, false],
    [{ mode: 'add' }, false],
  ])('DayPlanSchema checks %j as %s', (value, ok) => {
    expect(Value.Check(DayPlanSchema, value)).toBe(ok)
  })
})

describe('DEFAULT_SEGMENTS', () => {
  it('follows the sizing baseline of 15 working-day and 10 rest-day segments', () => {
    expect(DEFAULT_SEGMENTS).toEqual({ working: 15, rest: 10 })
    expect(Object.isFrozen(DEFAULT_SEGMENTS)).toBe(true)
  })
})
