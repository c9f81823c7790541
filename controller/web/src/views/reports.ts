import { h, setHidden, setText } from '../dom.js'
import { addDays, dateIn } from '../format.js'
import { programmeApi } from '../programme-api.js'
import type { DayReport } from '../programme-types.js'
import { addMonths, daysInMonth } from './calendar-data.js'
import { createLibrary } from './library.js'
import { apiErrorText } from './programme-text.js'
import { createReadinessPanel } from './readiness-panel.js'
import { createDayReport } from './report-day.js'
import { createSummaryReport } from './report-summary.js'
import type { ViewFactory } from './view.js'

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/
/** The summary API's longest range. */
const MAX_DAYS = 366

/**
 * Reports (`#/reports?date=&from=&to=`): tomorrow's readiness; one date's scheduled vs played
 * vs failed vs missed per node, zone and column; the summary over a range with the district
 * figure and the played-vs-scheduled chart; CSV downloads of both.
 */
export const reportsView: ViewFactory = (ctx, route) => {
  const { i18n, store } = ctx
  const t = i18n.t
  const api = programmeApi
  const library = createLibrary(api, store)
  const today = dateIn(store.tz)
  const param = (k: string) => {
    const v = route.params.get(k)
    return v && DATE_RE.test(v) ? v : null
  }
  let date = param('date') ?? today
  let from = param('from') ?? `${today.slice(0, 7)}-01`
  let to = param('to') ?? today

  const readiness = createReadinessPanel(i18n, api, store)
  const day = createDayReport(i18n, {
    tz: () => store.tz,
    zones: () => store.zones,
    column: (id) => library.column(id),
  })
  const summary = createSummaryReport(i18n)

  const dateInput = h('input', { id: 'rp-date', type: 'date', required: true })
  dateInput.value = date
  const dayCsv = h('a', { class: 'button rp-csv', download: '' }, t('report.csv'))
  const dayStatus = h('p', { class: 'message', hidden: true })
  const fromInput = h('input', { id: 'rp-from', type: 'date', required: true })
  const toInput = h('input', { id: 'rp-to', type: 'date', required: true })
  fromInput.value = from
  toInput.value = to
  const presets = (['thisMonth', 'lastMonth', 'last30'] as const).map((p) => {
    const b = h(
      'button',
      { type: 'button', class: 'button small', 'data-preset': p },
      t(`report.preset.${p}`),
    )
    b.addEventListener('click', () => preset(p))
    return b
  })
  const sumCsv = h('a', { class: 'button rp-csv', download: '' }, t('report.csv'))
  const sumStatus = h('p', { class: 'message', hidden: true })

  const el = h(
    'section',
    { class: 'page page-reports', 'aria-labelledby': 'rp-h' },
    h('h1', { id: 'rp-h' }, t('report.heading')),
    readiness.el,
    h('h2', { id: 'rp-day-h' }, t('report.dayHeading')),
    h(
      'form',
      { class: 'filters', 'aria-labelledby': 'rp-day-h' },
      h('div', { class: 'field' }, h('label', { for: 'rp-date' }, t('report.date')), dateInput),
      h('div', { class: 'field field-button' }, dayCsv),
    ),
    dayStatus,
    day.el,
    h('h2', { id: 'rp-sum-h' }, t('report.summaryHeading')),
    h(
      'form',
      { class: 'filters rp-range', 'aria-labelledby': 'rp-sum-h' },
      h('div', { class: 'field' }, h('label', { for: 'rp-from' }, t('report.from')), fromInput),
      h('div', { class: 'field' }, h('label', { for: 'rp-to' }, t('report.to')), toInput),
      h('div', { class: 'field field-button rp-presets' }, ...presets),
      h('div', { class: 'field field-button' }, sumCsv),
    ),
    sumStatus,
    summary.el,
  )
  for (const f of el.querySelectorAll('form'))
    f.addEventListener('submit', (e) => e.preventDefault())
  let dayAbort: AbortController | null = null
  let lastDay: DayReport | null = null
  let sumAbort: AbortController | null = null

  function params(): void {
    ctx.router.replaceParams({
      date: date === today ? '' : date,
      from: from === `${today.slice(0, 7)}-01` ? '' : from,
      to: to === today ? '' : to,
    })
  }

  async function loadDay(): Promise<void> {
    dayAbort?.abort()
    const ac = new AbortController()
    dayAbort = ac
    dayCsv.href = api.dayCsvUrl(date, i18n.lang())
    setText(dayStatus, t('common.loading'))
    setHidden(dayStatus, false)
    try {
      const r = await api.dayReport(date, ac.signal)
      if (ac.signal.aborted) return
      lastDay = r
      day.show(r)
      setHidden(day.el, false)
      setHidden(dayStatus, r.totals.scheduled > 0 || r.nodes.length > 0)
      setText(dayStatus, t('report.nothingScheduled'))
    } catch (err) {
      if (ac.signal.aborted) return
      setHidden(day.el, true)
      setText(dayStatus, t('common.loadError', { msg: apiErrorText(i18n, err) }))
    }
  }

  async function loadSummary(): Promise<void> {
    sumAbort?.abort()
    const ac = new AbortController()
    sumAbort = ac
    sumCsv.href = api.summaryCsvUrl(from, to, i18n.lang())
    if (from > to || Date.parse(to) - Date.parse(from) > (MAX_DAYS - 1) * 86_400_000) {
      setText(sumStatus, t('report.badRange', { max: MAX_DAYS }))
      setHidden(sumStatus, false)
      setHidden(summary.el, true)
      return
    }
    try {
      const s = await api.summary(from, to, ac.signal)
      if (ac.signal.aborted) return
      summary.show(s)
      setHidden(summary.el, false)
      setHidden(sumStatus, true)
    } catch (err) {
      if (ac.signal.aborted) return
      setHidden(summary.el, true)
      setText(sumStatus, t('common.loadError', { msg: apiErrorText(i18n, err) }))
      setHidden(sumStatus, false)
    }
  }

  function preset(p: 'thisMonth' | 'lastMonth' | 'last30'): void {
    const month = today.slice(0, 7)
    if (p === 'thisMonth') {
      from = `${month}-01`
      to = today
    } else if (p === 'lastMonth') {
      const last = addMonths(month, -1)
      from = `${last}-01`
      to = `${last}-${String(daysInMonth(last)).padStart(2, '0')}`
    } else {
      from = addDays(today, -29)
      to = today
    }
    fromInput.value = from
    toInput.value = to
    params()
    void loadSummary()
  }

  dateInput.addEventListener('change', () => {
    if (!DATE_RE.test(dateInput.value)) return
    date = dateInput.value
    params()
    void loadDay()
  })
  for (const input of [fromInput, toInput]) {
    input.addEventListener('change', () => {
      if (!DATE_RE.test(fromInput.value) || !DATE_RE.test(toInput.value)) return
      from = fromInput.value
      to = toInput.value
      params()
      void loadSummary()
    })
  }

  // Plays arrive all day: refresh the shown reports a little after they do.
  let timer: ReturnType<typeof setTimeout> | undefined
  const later = () => {
    if (timer !== undefined) return
    timer = setTimeout(() => {
      timer = undefined
      void loadDay()
      if (to >= date) void loadSummary()
    }, 1500)
  }
  const offs = [
    store.on('plays', later),
    store.on('resync', later),
    library.on('change', () => {
      if (lastDay) day.show(lastDay)
    }),
  ]
  void loadDay()
  void loadSummary()
  void library.load().catch(() => {})

  return {
    el,
    destroy() {
      for (const off of offs) off()
      clearTimeout(timer)
      dayAbort?.abort()
      sumAbort?.abort()
      readiness.destroy()
      day.destroy()
      summary.destroy()
      library.destroy()
    },
  }
}
