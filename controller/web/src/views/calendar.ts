import { h, setHidden, setText } from '../dom.js'
import { dateIn, dayLabel } from '../format.js'
import { programmeApi } from '../programme-api.js'
import type { CalendarDay, DayType } from '../programme-types.js'
import { addMonths, isMonth, monthGrid } from './calendar-data.js'
import { createCalendarDayPanel } from './calendar-day.js'
import { apiErrorText, dayTypeText, holidayName } from './programme-text.js'
import type { ViewFactory } from './view.js'

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/

/**
 * The month calendar (`#/calendar?month=YYYY-MM&date=…`): each date working or rest (official,
 * weekday fallback or the office's override, with the holiday's name), its own order if any and
 * its segment count. Picking a date opens its panel: mark it working or rest, clear the
 * override, or go to its running order.
 */
export const calendarView: ViewFactory = (ctx, route) => {
  const { i18n, store } = ctx
  const t = i18n.t
  const api = programmeApi
  const today = dateIn(store.tz)
  const asked = route.params.get('month')
  let month = isMonth(asked) ? asked : today.slice(0, 7)
  const pickedParam = route.params.get('date')
  let selected: string | null = pickedParam && DATE_RE.test(pickedParam) ? pickedParam : null
  let days = new Map<string, CalendarDay>()
  let abort: AbortController | null = null

  const title = h('h2', { class: 'cal-month', id: 'cal-month', 'aria-live': 'polite' })
  const prev = h('button', { type: 'button', class: 'button cal-prev' }, '‹ ', t('calendar.prev'))
  const next = h('button', { type: 'button', class: 'button cal-next' }, t('calendar.next'), ' ›')
  const now = h('button', { type: 'button', class: 'button' }, t('calendar.thisMonth'))
  prev.addEventListener('click', () => go(addMonths(month, -1)))
  next.addEventListener('click', () => go(addMonths(month, 1)))
  now.addEventListener('click', () => go(today.slice(0, 7)))
  const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
  const tbody = h('tbody')
  const table = h(
    'table',
    { class: 'cal-grid', 'aria-labelledby': 'cal-month' },
    h(
      'thead',
      {},
      h('tr', {}, ...weekdays.map((d) => h('th', { scope: 'col' }, t(`calendar.wd.${d}`)))),
    ),
    tbody,
  )
  const message = h('p', { class: 'message', hidden: true })
  const panel = createCalendarDayPanel(i18n, {
    set: (date, type: DayType, note) => act(() => api.setDayType(date, { type, note })),
    clear: (date) => act(() => api.clearDayType(date)),
  })
  const legend = h(
    'ul',
    { class: 'legend cal-legend' },
    h(
      'li',
      { class: 'legend-item' },
      h('span', { class: 'cal-swatch day-working' }),
      t('dayType.working'),
    ),
    h(
      'li',
      { class: 'legend-item' },
      h('span', { class: 'cal-swatch day-rest' }),
      t('dayType.rest'),
    ),
    h(
      'li',
      { class: 'legend-item' },
      h('span', { class: 'cal-mark cal-override' }, '●'),
      t('calendar.legendOverride'),
    ),
    h(
      'li',
      { class: 'legend-item' },
      h('span', { class: 'cal-mark' }, '✎'),
      t('calendar.legendOrder'),
    ),
  )

  const el = h(
    'section',
    { class: 'page page-calendar', 'aria-labelledby': 'cal-h' },
    h('h1', { id: 'cal-h' }, t('calendar.heading')),
    h('div', { class: 'cal-nav' }, prev, title, next, now),
    h(
      'div',
      { class: 'cal-layout' },
      h('div', { class: 'cal-main' }, table, legend, message),
      panel.el,
    ),
  )

  function cell(date: string | null): HTMLElement {
    if (!date) return h('td', { class: 'cal-out' })
    const d = days.get(date)
    const num = String(Number(date.slice(8)))
    const button = h(
      'button',
      {
        type: 'button',
        class: 'cal-day',
        'data-date': date,
        'aria-pressed': String(date === selected),
        'aria-label': d ? dayAria(d) : date,
      },
      h('span', { class: 'cal-num' }, num),
    )
    if (d) {
      const name = holidayName(i18n, d) ?? d.note
      button.dataset.type = d.type
      button.dataset.source = d.source
      button.append(
        h('span', { class: 'cal-type' }, dayTypeText(i18n, d.type)),
        h('span', { class: 'cal-name' }, name ?? ''),
        h(
          'span',
          { class: `cal-count ${d.segmentCount === d.targetCount ? 'ok' : 'warn'}` },
          `${d.segmentCount}/${d.targetCount}`,
        ),
        h(
          'span',
          { class: 'cal-marks', 'aria-hidden': 'true' },
          d.source === 'override' ? h('span', { class: 'cal-mark cal-override' }, '●') : null,
          d.hasOwnOrder ? h('span', { class: 'cal-mark' }, '✎') : null,
          d.drill ? h('span', { class: 'cal-mark' }, t('order.drillTag')) : null,
        ),
      )
    }
    if (date === today) button.classList.add('cal-today')
    if (date < today) button.classList.add('cal-past')
    button.addEventListener('click', () => select(date))
    return h('td', {}, button)
  }

  function dayAria(d: CalendarDay): string {
    const parts = [dayLabel(d.date, i18n.locale()), dayTypeText(i18n, d.type)]
    const name = holidayName(i18n, d) ?? d.note
    if (name) parts.push(name)
    if (d.source === 'override') parts.push(t('dayType.source.override'))
    parts.push(t('calendar.countAria', { n: d.segmentCount, target: d.targetCount }))
    if (d.hasOwnOrder) parts.push(t(d.mode === 'add' ? 'order.mode.add' : 'order.mode.replace'))
    return parts.join(t('common.listSep'))
  }

  function render(): void {
    const [y, m] = month.split('-')
    setText(title, t('calendar.monthTitle', { year: y ?? '', month: Number(m) }))
    tbody.replaceChildren(...monthGrid(month).map((week) => h('tr', {}, ...week.map(cell))))
    panel.show(selected ? (days.get(selected) ?? null) : null, today)
  }

  async function load(): Promise<void> {
    abort?.abort()
    const ac = new AbortController()
    abort = ac
    try {
      const r = await api.calendar(month, ac.signal)
      if (ac.signal.aborted) return
      days = new Map(r.days.map((d) => [d.date, d]))
      setHidden(message, true)
    } catch (err) {
      if (ac.signal.aborted) return
      setText(message, t('common.loadError', { msg: apiErrorText(i18n, err) }))
      setHidden(message, false)
    }
    render()
  }

  async function act(fn: () => Promise<CalendarDay>): Promise<void> {
    try {
      const d = await fn()
      days.set(d.date, d)
      panel.done(t('calendar.saved'))
      render()
    } catch (err) {
      panel.done(t('calendar.saveFailed', { msg: apiErrorText(i18n, err) }))
    }
  }

  function params(): Record<string, string> {
    return { month, date: selected ?? '' }
  }

  function select(date: string): void {
    selected = date
    ctx.router.replaceParams(params())
    render()
    panel.focus()
  }

  function go(next: string): void {
    if (next === month) return
    month = next
    if (selected && selected.slice(0, 7) !== month) selected = null
    ctx.router.replaceParams(params())
    days = new Map()
    render()
    void load()
  }

  let timer: ReturnType<typeof setTimeout> | undefined
  const offs = [
    store.on('programme', (changes) => {
      if (changes.some((c) => c.what !== 'column')) {
        clearTimeout(timer)
        timer = setTimeout(() => void load(), 300)
      }
    }),
    store.on('resync', () => void load()),
  ]
  render()
  void load()
  return {
    el,
    destroy() {
      for (const off of offs) off()
      clearTimeout(timer)
      abort?.abort()
    },
  }
}
