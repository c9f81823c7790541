import { h, setHidden, setText } from '../dom.js'
import { dayLabel } from '../format.js'
import type { I18n } from '../i18n.js'
import type { CalendarDay, DayType } from '../programme-types.js'
import { dayTypeLine, orderText } from './programme-text.js'

/**
 * The calendar's panel for the picked date: what it is and why, its order and count, and the
 * office's actions — mark it working or rest (with a note such as a holiday's name), clear the
 * override, open its running order.
 */
export function createCalendarDayPanel(
  i18n: I18n,
  actions: {
    set(date: string, type: DayType, note: string | null): Promise<void>
    clear(date: string): Promise<void>
  },
) {
  const t = i18n.t
  const heading = h('h2', { class: 'panel-title', id: 'cal-day-h', tabindex: -1 })
  const line = h('p', { class: 'cal-day-line' })
  const order = h('p', { class: 'cal-day-order' })
  const note = h('input', { id: 'cal-note', type: 'text', maxlength: 200, autocomplete: 'off' })
  const working = h(
    'button',
    { type: 'button', class: 'button cal-set-working' },
    t('calendar.setWorking'),
  )
  const rest = h('button', { type: 'button', class: 'button cal-set-rest' }, t('calendar.setRest'))
  const clear = h(
    'button',
    { type: 'button', class: 'button danger-outline cal-clear' },
    t('calendar.clear'),
  )
  const edit = h('a', { class: 'button primary cal-edit' }, t('calendar.editOrder'))
  const status = h('p', { class: 'panel-status', role: 'status' })
  const empty = h('p', { class: 'panel-note' }, t('calendar.pickHint'))
  const body = h(
    'div',
    { class: 'cal-day-body' },
    line,
    order,
    h('div', { class: 'field' }, h('label', { for: 'cal-note' }, t('calendar.note')), note),
    h('div', { class: 'cmd-buttons' }, working, rest, clear),
    edit,
    status,
  )
  const el = h(
    'section',
    { class: 'panel cal-day-panel', 'aria-labelledby': 'cal-day-h' },
    heading,
    empty,
    body,
  )
  let day: CalendarDay | null = null
  let busy = false

  const run = async (fn: () => Promise<void>) => {
    if (busy) return
    busy = true
    for (const b of [working, rest, clear]) b.disabled = true
    setText(status, t('calendar.saving'))
    try {
      await fn()
    } finally {
      busy = false
      for (const b of [working, rest, clear]) b.disabled = false
    }
  }
  const noteValue = () => note.value.trim() || null
  working.addEventListener('click', () => {
    if (day) void run(() => actions.set((day as CalendarDay).date, 'working', noteValue()))
  })
  rest.addEventListener('click', () => {
    if (day) void run(() => actions.set((day as CalendarDay).date, 'rest', noteValue()))
  })
  clear.addEventListener('click', () => {
    if (day) void run(() => actions.clear((day as CalendarDay).date))
  })

  return {
    el,
    show(d: CalendarDay | null, today: string): void {
      const changed = d?.date !== day?.date
      day = d
      setHidden(empty, d !== null)
      setHidden(body, d === null)
      if (!d) {
        setText(heading, t('calendar.dayPanel'))
        return
      }
      el.dataset.date = d.date
      setText(
        heading,
        `${dayLabel(d.date, i18n.locale())}${d.date === today ? ` · ${t('programme.today')}` : ''}`,
      )
      setText(line, dayTypeLine(i18n, d))
      const count = t('order.count', { n: d.segmentCount, target: d.targetCount })
      const extra =
        d.announcementCount > 0
          ? ` · ${t('calendar.announcements', { n: d.announcementCount })}`
          : ''
      setText(order, `${orderText(i18n, d)} · ${count}${extra}`)
      if (changed) {
        note.value = d.note ?? ''
        setText(status, '')
      }
      setHidden(clear, d.source !== 'override')
      working.disabled = busy
      rest.disabled = busy
      edit.href = `#/programme/${d.date}`
    },
    /** Shows how the last action went. */
    done(text: string): void {
      setText(status, text)
    },
    focus(): void {
      heading.focus({ preventScroll: window.innerWidth > 720 })
    },
  }
}
