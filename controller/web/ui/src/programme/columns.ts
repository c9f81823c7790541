import type { Column } from '../../../../../contract/index.js'
import { ApiError } from '../api/client'
import { errorText, type Translate } from '../api/errors'
import { usageText } from './library'

// Columns (栏目) on the recordings page: the form's values, their checks and the body the API
// takes, the policy tag a list row shows and a refused delete in words.

/** Colours offered to a new column, in turn. */
export const PALETTE = ['#c0392b', '#1f6fb2', '#2e8b57', '#d68910', '#7d3c98', '#117a65', '#a04000']

/** Priority bounds of a column (announcements are above 60). */
export const PRIORITY_MIN = 0
export const PRIORITY_MAX = 60
/** Make-good window bounds, minutes. */
export const WINDOW_MIN = 5
export const WINDOW_MAX = 720

/** The create / edit form. */
export interface ColumnForm {
  name: string
  colour: string
  defaultPriority: number
  makeGood: boolean
  makeGoodWindowMin: number
  timeBound: boolean
}

/** What the API takes for a column (POST body; PATCH takes the same fields). */
export type ColumnBody = ColumnForm

/** A fresh form: the next palette colour, priority 50, no make-good. */
export function newForm(existing: number): ColumnForm {
  return {
    name: '',
    colour: PALETTE[existing % PALETTE.length] ?? '#1f6fb2',
    defaultPriority: 50,
    makeGood: false,
    makeGoodWindowMin: 120,
    timeBound: false,
  }
}

/** The form holding a column's values. */
export function formOf(c: Column): ColumnForm {
  return {
    name: c.name,
    colour: c.colour,
    defaultPriority: c.defaultPriority,
    makeGood: c.makeGood && !c.timeBound,
    makeGoodWindowMin: c.makeGoodWindowMin,
    timeBound: c.timeBound,
  }
}

/** Per field, the message key of what is wrong (empty: nothing). */
export type FormErrors = Partial<
  Record<'name' | 'colour' | 'defaultPriority' | 'makeGoodWindowMin', string>
>

/** What is wrong with the form, as message keys per field. */
export function formErrors(f: ColumnForm): FormErrors {
  const e: FormErrors = {}
  const name = f.name.trim()
  if (!name) e.name = 'columns.error.name'
  else if (name.length > 50) e.name = 'columns.error.nameLong'
  if (!/^#[0-9A-Fa-f]{6}$/.test(f.colour)) e.colour = 'columns.error.colour'
  const p = f.defaultPriority
  if (!Number.isInteger(p) || p < PRIORITY_MIN || p > PRIORITY_MAX)
    e.defaultPriority = 'columns.error.priority'
  const w = f.makeGoodWindowMin
  if (f.makeGood && (!Number.isInteger(w) || w < WINDOW_MIN || w > WINDOW_MAX)) {
    e.makeGoodWindowMin = 'columns.error.window'
  }
  return e
}

/**
 * The body to send, or null while the form has errors. A time-bound column is never made good;
 * a window out of bounds with make-good off keeps the column's own (or the default 120).
 */
export function bodyOf(f: ColumnForm, before?: Column): ColumnBody | null {
  if (Object.keys(formErrors(f)).length > 0) return null
  const w = f.makeGoodWindowMin
  const windowOk = Number.isInteger(w) && w >= WINDOW_MIN && w <= WINDOW_MAX
  return {
    name: f.name.trim(),
    colour: f.colour.toLowerCase(),
    defaultPriority: f.defaultPriority,
    makeGood: f.makeGood && !f.timeBound,
    makeGoodWindowMin: windowOk ? w : (before?.makeGoodWindowMin ?? 120),
    timeBound: f.timeBound,
  }
}

/** The tag a list row shows for the column's policy, or null without one. */
export function policyTag(
  c: Column,
  t: Translate,
): { kind: 'bound' | 'makeGood'; text: string } | null {
  if (c.timeBound) return { kind: 'bound', text: t('columns.timeBoundTag') }
  if (!c.makeGood) return null
  return { kind: 'makeGood', text: t('columns.makeGoodTag', { min: c.makeGoodWindowMin }) }
}

/** Whether the user may change columns: a user not limited to zones (the server's rule). */
export const mayManage = (me: { readonly zones: readonly string[] } | null): boolean =>
  me !== null && me.zones.length === 0

/** A refused call in words: COLUMN_IN_USE says where the column is still used. */
export function columnErrorText(err: unknown, t: Translate): string {
  if (err instanceof ApiError && err.code === 'COLUMN_IN_USE') {
    const d = (err.details ?? {}) as { templates?: unknown; dates?: unknown }
    const templates = Array.isArray(d.templates)
      ? d.templates.filter((x): x is 'working' | 'rest' => x === 'working' || x === 'rest')
      : []
    const dates = Array.isArray(d.dates)
      ? d.dates.filter((x): x is string => typeof x === 'string')
      : []
    return t('columns.error.inUse', {
      where: usageText({ templates, dates, announcements: [], orders: [] }, t),
    })
  }
  return errorText(err, t)
}
