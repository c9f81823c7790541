import { h } from '../dom.js'
import type { I18n } from '../i18n.js'
import type { Column } from '../programme-types.js'

/** A column's make-good policy (补播) as the API takes it. */
export interface MakeGoodFields {
  makeGood: boolean
  makeGoodWindowMin: number
  timeBound: boolean
}

/**
 * Inputs of a column's make-good policy: replay missed segments (补播) within a window, or mark
 * the column time-bound (weather, warnings), which is never made good. Ids prefixed by `p`.
 */
export function makeGoodFields(i18n: I18n, p: string, value: Partial<MakeGoodFields>) {
  const t = i18n.t
  const on = h('input', { id: `${p}-mg`, type: 'checkbox' })
  const minutes = h('input', {
    id: `${p}-mg-window`,
    type: 'number',
    min: 5,
    max: 720,
    step: 5,
    inputmode: 'numeric',
  })
  const bound = h('input', { id: `${p}-bound`, type: 'checkbox' })
  on.checked = value.makeGood === true
  minutes.value = String(value.makeGoodWindowMin ?? 120)
  bound.checked = value.timeBound === true
  const sync = () => {
    on.disabled = bound.checked
    if (bound.checked) on.checked = false
    minutes.disabled = !on.checked
  }
  on.addEventListener('change', sync)
  bound.addEventListener('change', sync)
  sync()
  const els = [
    h('label', { class: 'check', for: on.id }, on, t('columns.makeGood')),
    h(
      'div',
      { class: 'field' },
      h('label', { for: minutes.id }, t('columns.makeGoodWindow')),
      minutes,
    ),
    h('label', { class: 'check', for: bound.id }, bound, t('columns.timeBound')),
    h('p', { class: 'panel-note' }, t('columns.makeGoodNote')),
  ]
  const read = (): MakeGoodFields | null => {
    const n = Number(minutes.value)
    if (on.checked && (!Number.isInteger(n) || n < 5 || n > 720)) {
      minutes.setCustomValidity(t('common.rangeError', { min: 5, max: 720 }))
      minutes.reportValidity()
      return null
    }
    minutes.setCustomValidity('')
    return {
      makeGood: on.checked,
      makeGoodWindowMin:
        Number.isInteger(n) && n >= 5 && n <= 720 ? n : (value.makeGoodWindowMin ?? 120),
      timeBound: bound.checked,
    }
  }
  minutes.addEventListener('input', () => minutes.setCustomValidity(''))
  return { els, read }
}

/** The tag a column's list entry shows for its policy, or null without one. */
export function makeGoodTag(i18n: I18n, c: Column): HTMLElement | null {
  if (c.timeBound) return h('span', { class: 'tag col-bound' }, i18n.t('columns.timeBoundTag'))
  if (!c.makeGood) return null
  return h(
    'span',
    { class: 'tag col-mg' },
    i18n.t('columns.makeGoodTag', { min: c.makeGoodWindowMin ?? 120 }),
  )
}
