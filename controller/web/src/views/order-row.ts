import { h, setAttr, setHidden, setText } from '../dom.js'
import type { I18n } from '../i18n.js'
import type { Issue, OrderItem } from '../programme-types.js'
import type { Zone } from '../types.js'
import type { Library } from './library.js'
import type { Row } from './order-model.js'
import { clock, issueText, mmss, normaliseTime } from './programme-text.js'
import { zonesText } from './zone-tree.js'

/** What a row asks the editor to do. */
export interface RowActions {
  change(id: string, patch: Partial<OrderItem>, sort?: boolean): void
  pickAudio(id: string): void
  pickZones(id: string): void
  move(id: string, dir: -1 | 1): void
  remove(id: string): void
  /** Add mode: copy a template item into the date's own items. */
  override(id: string): void
}

/** What a row shows besides its item. */
export interface RowState {
  row: Row
  /** Whether the item can be edited here (a template row in add mode cannot). */
  editable: boolean
  /** Whether move buttons are offered (not in add mode). */
  movable: boolean
  /** Add mode: each row says whether it comes from the template or the date. */
  showOrigin: boolean
  first: boolean
  last: boolean
  /** An add-mode date item with a template item's id: removing it restores the template's. */
  overrides: boolean
  issues: Issue[]
  /** Issues are being re-checked (a change not saved yet). */
  stale: boolean
}

let seq = 0

function field(label: string, control: HTMLElement, cls: string): HTMLElement {
  return h('div', { class: `or-field ${cls}` }, h('span', { class: 'or-label' }, label), control)
}

/**
 * One item of the running order: time, audio (with a picker), title, column, zones, priority,
 * move / remove, and the validation issues of this item right under it.
 */
export function createOrderRow(
  i18n: I18n,
  deps: {
    library: Library
    zoneOf: (id: string) => Zone | undefined
    actions: RowActions
    clockOf: (itemId: string) => string
  },
) {
  const t = i18n.t
  const n = ++seq
  const { library, actions } = deps
  let state: RowState | null = null
  const id = () => state?.row.item.id ?? ''

  // A text field, not `type=time`: that one follows the browser's locale (a 12-hour clock with
  // 上午/下午 in zh-CN), while a running order is written in 24-hour time.
  const time = h('input', {
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'off',
    class: 'or-time',
    id: `or-time-${n}`,
    placeholder: 'HH:MM',
    maxlength: 8,
    required: true,
  })
  time.addEventListener('input', () => time.setCustomValidity(''))
  time.addEventListener('change', () => {
    const start = normaliseTime(time.value.trim())
    if (!start) {
      time.setCustomValidity(t('order.badTime'))
      time.reportValidity()
      return
    }
    time.value = clock(start)
    if (start !== state?.row.item.start) actions.change(id(), { start }, true)
  })
  const audioTitle = h('span', { class: 'or-audio-title' })
  const audioMeta = h('span', { class: 'or-audio-meta' })
  const audioButton = h('button', { type: 'button', class: 'button small or-audio-button' })
  audioButton.addEventListener('click', () => actions.pickAudio(id()))
  const audio = h(
    'div',
    { class: 'or-audio-box' },
    h('span', { class: 'or-audio-text' }, audioTitle, audioMeta),
    audioButton,
  )
  const title = h('input', { type: 'text', class: 'or-title', maxlength: 200 })
  title.addEventListener('input', () => actions.change(id(), { title: title.value }))
  const column = h('select', { class: 'or-column' })
  column.addEventListener('change', () => actions.change(id(), { columnId: column.value || null }))
  const zones = h('button', { type: 'button', class: 'button small or-zones' })
  zones.addEventListener('click', () => actions.pickZones(id()))
  const priority = h('input', {
    type: 'number',
    class: 'or-priority',
    min: 0,
    max: 60,
    step: 1,
    inputmode: 'numeric',
  })
  priority.addEventListener('change', () => {
    const v = priority.value.trim()
    const num = Number(v)
    if (v === '') actions.change(id(), { priority: undefined })
    else if (Number.isInteger(num) && num >= 0 && num <= 60) actions.change(id(), { priority: num })
  })
  const up = h('button', { type: 'button', class: 'button small or-up' }, '↑')
  const down = h('button', { type: 'button', class: 'button small or-down' }, '↓')
  const remove = h('button', { type: 'button', class: 'button small danger-outline or-remove' })
  const override = h(
    'button',
    { type: 'button', class: 'button small or-override' },
    t('order.override'),
  )
  up.addEventListener('click', () => actions.move(id(), -1))
  down.addEventListener('click', () => actions.move(id(), 1))
  remove.addEventListener('click', () => actions.remove(id()))
  override.addEventListener('click', () => actions.override(id()))
  const origin = h('span', { class: 'tag or-origin' })
  const issues = h('ul', { class: 'or-issues' })

  const el = h(
    'li',
    { class: 'or-row' },
    field(t('order.col.time'), time, 'or-f-time'),
    field(t('order.col.audio'), audio, 'or-f-audio'),
    field(t('order.col.title'), title, 'or-f-title'),
    field(t('order.col.column'), column, 'or-f-column'),
    field(t('order.col.zones'), zones, 'or-f-zones'),
    field(t('order.col.priority'), priority, 'or-f-priority'),
    h('div', { class: 'or-actions' }, origin, up, down, override, remove),
    issues,
  )
  // The time field is labelled by its own label, read with the row's time for screen readers.
  el.querySelector('.or-f-time .or-label')?.setAttribute('id', `or-time-l-${n}`)

  const keep = (input: HTMLInputElement | HTMLSelectElement, value: string) => {
    if (document.activeElement !== input && input.value !== value) input.value = value
  }

  function fillColumns(current: string | null): void {
    const cols = library.columns
    const want = [['', t('order.noColumn')], ...cols.map((c) => [c.id, c.name])]
    const have = [...column.options].map((o) => [o.value, o.text])
    if (JSON.stringify(want) !== JSON.stringify(have)) {
      column.replaceChildren(...want.map(([v, l]) => h('option', { value: v ?? '' }, l ?? '')))
    }
    keep(column, current ?? '')
  }

  return {
    el,
    update(next: RowState): void {
      state = next
      const { item } = next.row
      const rec = library.recording(item.audioId)
      // Plans and reports use the item's own column (never the recording's).
      const col = library.column(item.columnId ?? null)
      setAttr(el, 'data-item-id', item.id)
      setAttr(el, 'data-origin', next.row.origin)
      setAttr(el, 'data-empty', String(item.audioId === null))
      const worst = next.issues.some((i) => i.severity === 'error')
        ? 'error'
        : next.issues.length > 0
          ? 'warning'
          : null
      setAttr(el, 'data-issue', worst)
      el.classList.toggle('or-readonly', !next.editable)
      if (col) el.style.setProperty('--col', col.colour)
      else el.style.removeProperty('--col')

      const label = clock(item.start)
      if (normaliseTime(time.value) !== item.start) keep(time, label)
      setAttr(time, 'aria-label', t('order.timeLabel', { time: label }))
      if (item.audioId === null) {
        setText(audioTitle, t('order.emptySlot'))
        setText(audioMeta, '')
      } else if (rec) {
        setText(audioTitle, rec.title)
        setText(audioMeta, mmss(rec.durationMs))
      } else {
        setText(audioTitle, item.title || item.audioId)
        setText(audioMeta, library.loaded ? t('order.audioGone') : '')
      }
      setText(audioButton, t(item.audioId === null ? 'order.chooseAudio' : 'order.changeAudio'))
      setAttr(audioButton, 'aria-label', t('order.audioLabel', { time: label }))
      keep(title, item.title)
      title.placeholder = rec?.title ?? ''
      setAttr(title, 'aria-label', t('order.titleLabel', { time: label }))
      fillColumns(item.columnId ?? null)
      setAttr(column, 'aria-label', t('order.columnLabel', { time: label }))
      setText(zones, zonesText(i18n, item.zones, deps.zoneOf))
      setAttr(zones, 'aria-label', t('order.zonesLabel', { time: label }))
      keep(priority, item.priority === undefined ? '' : String(item.priority))
      priority.placeholder = String(col?.defaultPriority ?? 50)
      setAttr(priority, 'aria-label', t('order.priorityLabel', { time: label }))

      for (const c of [time, title, column, priority] as (HTMLInputElement | HTMLSelectElement)[])
        c.disabled = !next.editable
      audioButton.disabled = !next.editable
      zones.disabled = !next.editable
      setHidden(up, !next.editable || !next.movable)
      setHidden(down, !next.editable || !next.movable)
      up.disabled = next.first
      down.disabled = next.last
      setAttr(up, 'aria-label', t('order.moveUp', { time: label }))
      setAttr(down, 'aria-label', t('order.moveDown', { time: label }))
      setHidden(remove, !next.editable)
      setText(remove, t(next.overrides ? 'order.restore' : 'order.remove'))
      setAttr(
        remove,
        'aria-label',
        t(next.overrides ? 'order.restoreLabel' : 'order.removeLabel', { time: label }),
      )
      // Only a date that adds to its template can change one of the template's items.
      setHidden(override, next.editable || !next.showOrigin)
      setAttr(override, 'aria-label', t('order.overrideLabel', { time: label }))
      const originText =
        next.row.origin === 'template'
          ? t('order.fromTemplate')
          : t(next.overrides ? 'order.changed' : 'order.added')
      setText(origin, originText)
      setHidden(origin, !next.showOrigin)

      issues.replaceChildren(
        ...next.issues.map((i) =>
          h(
            'li',
            { class: `or-issue or-issue-${i.severity}`, 'data-code': i.code },
            issueText(i18n, i, deps.clockOf),
          ),
        ),
      )
      issues.classList.toggle('stale', next.stale)
      setHidden(issues, next.issues.length === 0)
    },
  }
}
