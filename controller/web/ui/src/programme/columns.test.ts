import { describe, expect, it } from 'vitest'
import type { Column } from '../../../../../contract/index.js'
import { ApiError } from '../api/client'
import type { Translate } from '../api/errors'
import {
  bodyOf,
  columnErrorText,
  formErrors,
  formOf,
  mayManage,
  newForm,
  PALETTE,
  policyTag,
} from './columns'
import zh from './columns.messages.zh.json'
import libraryZh from './library.messages.zh.json'

// The columns tab's form checks, the body it sends, its tags and a refused delete, in Chinese.
const frame: Record<string, string> = {
  'common.listSep': '，',
  'error.FORBIDDEN': '你的角色无权执行此操作',
}
const t: Translate = (key, vars = {}) => {
  const raw =
    (zh as Record<string, string>)[key] ?? (libraryZh as Record<string, string>)[key] ?? frame[key]
  if (raw === undefined) return key
  return raw.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`))
}
const column = (over: Partial<Column> = {}): Column => ({
  id: 'c1',
  name: '新闻',
  colour: '#1f6fb2',
  defaultPriority: 40,
  makeGood: false,
  makeGoodWindowMin: 120,
  timeBound: false,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  ...over,
})

describe('columns tab helpers', () => {
  it('offers the palette in turn and priority 50 to a new column', () => {
    expect(newForm(0).colour).toBe(PALETTE[0])
    expect(newForm(PALETTE.length + 1).colour).toBe(PALETTE[1])
    expect(newForm(3).defaultPriority).toBe(50)
  })

  it('names every wrong field and sends nothing while one is wrong', () => {
    const f = {
      ...newForm(0),
      name: '  ',
      colour: 'red',
      defaultPriority: 61,
      makeGood: true,
      makeGoodWindowMin: 4,
    }
    expect(formErrors(f)).toEqual({
      name: 'columns.error.name',
      colour: 'columns.error.colour',
      defaultPriority: 'columns.error.priority',
      makeGoodWindowMin: 'columns.error.window',
    })
    expect(bodyOf(f)).toBeNull()
    expect(formErrors({ ...newForm(0), name: '天'.repeat(51) }).name).toBe('columns.error.nameLong')
    expect(
      formErrors({ ...newForm(0), name: 'x', defaultPriority: 2.5 }).defaultPriority,
    ).toBeDefined()
  })

  it('sends a trimmed name, a lower-case colour and a make-good policy', () => {
    const f = {
      ...newForm(0),
      name: ' 天气 ',
      colour: '#ABCDEF',
      defaultPriority: 0,
      makeGood: true,
      makeGoodWindowMin: 90,
    }
    expect(bodyOf(f)).toEqual({
      name: '天气',
      colour: '#abcdef',
      defaultPriority: 0,
      makeGood: true,
      makeGoodWindowMin: 90,
      timeBound: false,
    })
  })

  it('never makes good a time-bound column, and keeps the window when make-good is off', () => {
    const bound = bodyOf({ ...newForm(0), name: '预警', makeGood: true, timeBound: true })
    expect(bound).toMatchObject({ makeGood: false, timeBound: true })
    const off = bodyOf(
      { ...newForm(0), name: '文化', makeGood: false, makeGoodWindowMin: 1 },
      column({ makeGoodWindowMin: 30 }),
    )
    expect(off?.makeGoodWindowMin).toBe(30)
    expect(formOf(column({ makeGood: true, timeBound: true })).makeGood).toBe(false)
  })

  it('tags the policy as the list shows it', () => {
    expect(policyTag(column(), t)).toBeNull()
    expect(policyTag(column({ makeGood: true, makeGoodWindowMin: 60 }), t)).toEqual({
      kind: 'makeGood',
      text: '补播 60 分钟内',
    })
    expect(policyTag(column({ timeBound: true }), t)).toEqual({ kind: 'bound', text: '时效性' })
  })

  it('lets only a user not limited to zones manage columns', () => {
    expect(mayManage({ zones: [] })).toBe(true)
    expect(mayManage({ zones: ['z1'] })).toBe(false)
    expect(mayManage(null)).toBe(false)
  })

  it('says where a column is still used when the server refuses to delete it', () => {
    const err = new ApiError(409, 'used', 'COLUMN_IN_USE', {
      templates: ['working'],
      dates: ['2026-12-08'],
    })
    expect(columnErrorText(err, t)).toBe('仍被工作日模板；2026-12-08 的节目单使用')
    expect(columnErrorText(new ApiError(403, 'no', 'FORBIDDEN'), t)).toBe('你的角色无权执行此操作')
  })
})
