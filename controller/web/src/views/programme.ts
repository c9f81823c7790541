import { h, setAttr, setHidden, setText } from '../dom.js'
import { addDays, dateIn, dayLabel } from '../format.js'
import { programmeApi } from '../programme-api.js'
import type { CalendarDay, PlanStatus, Template } from '../programme-types.js'
import { addMonths } from './calendar-data.js'
import { countSegments } from './order-model.js'
import { apiErrorText, dayTypeText, holidayName, orderText } from './programme-text.js'
import { createReadinessPanel } from './readiness-panel.js'
import type { ViewFactory } from './view.js'

/** Days listed ahead, today included. */
const AHEAD = 14

/**
 * The programme overview (`#/programme`): tomorrow's readiness, the two templates with their
 * counts and issues, how many nodes hold the current plan per date, and the coming two weeks
 * with each date's day type, order and segment count, each linking to its editor.
 */
export const programmeView: ViewFactory = (ctx) => {
  const { i18n, store } = ctx
  const t = i18n.t
  const api = programmeApi
  const readiness = createReadinessPanel(i18n, api, store)
  const templates = h('div', { class: 'tpl-cards' })
  const plans = h('div', { class: 'plan-status' })
  const days = h('tbody')
  const message = h('p', { class: 'message', hidden: true })
  const cols = ['date', 'type', 'order', 'count', 'announcements'] as const
  const el = h(
    'section',
    { class: 'page page-programme', 'aria-labelledby': 'prog-h' },
    h('h1', { id: 'prog-h' }, t('programme.heading')),
    readiness.el,
    h('h2', {}, t('programme.templates')),
    templates,
    h('h2', {}, t('programme.upcoming')),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'grid upcoming-table' },
        h('caption', { class: 'sr-only' }, t('programme.upcoming')),
        h(
          'thead',
          {},
          h('tr', {}, ...cols.map((c) => h('th', { scope: 'col' }, t(`programme.col.${c}`)))),
        ),
        days,
      ),
    ),
    message,
    h('h2', {}, t('programme.plans')),
    plans,
  )
  let abort: AbortController | null = null

  function templateCard(tpl: Template): HTMLElement {
    const { segments, empty } = countSegments(tpl.items)
    const errors = tpl.issues.filter((i) => i.severity === 'error').length
    const ok = segments === tpl.targetCount && empty === 0
    return h(
      'a',
      { class: 'tpl-card', href: `#/programme/${tpl.dayType}`, 'data-day-type': tpl.dayType },
      h('span', { class: 'tpl-name' }, t(`order.template.${tpl.dayType}`)),
      h(
        'span',
        { class: `tpl-count ${ok ? 'ok' : 'warn'}` },
        t('order.count', { n: segments, target: tpl.targetCount }),
      ),
      h(
        'span',
        { class: 'tpl-issues' },
        errors > 0 ? t('programme.errors', { n: errors }) : t('order.noErrors'),
        empty > 0 ? ` · ${t('order.emptyCount', { n: empty })}` : '',
      ),
      h('span', { class: 'tpl-edit' }, t('programme.edit')),
    )
  }

  function dayRow(d: CalendarDay, today: string): HTMLElement {
    const name = holidayName(i18n, d)
    const ok = d.segmentCount === d.targetCount
    return h(
      'tr',
      { 'data-date': d.date, 'data-type': d.type },
      h(
        'th',
        { scope: 'row' },
        h('a', { href: `#/programme/${d.date}` }, dayLabel(d.date, i18n.locale())),
        d.date === today ? h('span', { class: 'tag' }, t('programme.today')) : null,
      ),
      h(
        'td',
        { 'data-label': t('programme.col.type') },
        h('span', { class: `badge day-${d.type}` }, dayTypeText(i18n, d.type)),
        name ? h('span', { class: 'day-holiday' }, name) : null,
        d.source === 'override' ? h('span', { class: 'tag' }, t('dayType.source.override')) : null,
      ),
      h(
        'td',
        { 'data-label': t('programme.col.order') },
        orderText(i18n, d),
        d.drill ? h('span', { class: 'tag tag-warn' }, t('order.drillTag')) : null,
      ),
      h(
        'td',
        { 'data-label': t('programme.col.count'), class: `num ${ok ? '' : 'warn'}` },
        `${d.segmentCount} / ${d.targetCount}`,
      ),
      h(
        'td',
        { 'data-label': t('programme.col.announcements'), class: 'num' },
        String(d.announcementCount),
      ),
    )
  }

  function planLine(p: PlanStatus): HTMLElement[] {
    const chips = p.dates.map((d) =>
      h(
        'li',
        { class: `plan-chip ${d.current === d.total ? 'ok' : 'warn'}`, 'data-date': d.date },
        h('span', {}, dayLabel(d.date, i18n.locale())),
        h('strong', {}, `${d.current} / ${d.total}`),
      ),
    )
    const out = [
      h(
        'p',
        { class: 'plan-overall' },
        t('programme.plansOverall', { current: p.overall.current, total: p.overall.total }),
      ),
      h('ul', { class: 'plan-chips' }, ...chips),
    ]
    if (p.outdated.length > 0) {
      out.push(
        h(
          'p',
          { class: 'panel-note' },
          t('programme.outdated', {
            list: p.outdated
              .slice(0, 10)
              .map((n) => `${n.name}${n.online ? '' : t('programme.offlineMark')}`)
              .join(t('common.listSep')),
          }),
        ),
      )
    }
    return out
  }

  async function load(): Promise<void> {
    abort?.abort()
    const ac = new AbortController()
    abort = ac
    const today = dateIn(store.tz)
    const month = today.slice(0, 7)
    const last = addDays(today, AHEAD - 1)
    try {
      const months = last.slice(0, 7) === month ? [month] : [month, addMonths(month, 1)]
      const [tpls, status, ...cals] = await Promise.all([
        api.templates(ac.signal),
        api.planStatus(ac.signal).catch(() => null),
        ...months.map((m) => api.calendar(m, ac.signal)),
      ])
      if (ac.signal.aborted) return
      templates.replaceChildren(...tpls.map(templateCard))
      const list = cals.flatMap((c) => c.days).filter((d) => d.date >= today && d.date <= last)
      days.replaceChildren(...list.map((d) => dayRow(d, today)))
      plans.replaceChildren(...(status ? planLine(status) : []))
      setHidden(message, true)
    } catch (err) {
      if (ac.signal.aborted) return
      setText(message, t('common.loadError', { msg: apiErrorText(i18n, err) }))
      setHidden(message, false)
    }
    setAttr(el, 'data-loaded', 'true')
  }

  let timer: ReturnType<typeof setTimeout> | undefined
  const later = () => {
    clearTimeout(timer)
    timer = setTimeout(() => void load(), 500)
  }
  const offs = [store.on('programme', later), store.on('resync', later)]
  // Plan delivery moves as nodes apply plans: refresh it now and then.
  const tick = setInterval(() => void load(), 30_000)
  void load()
  return {
    el,
    destroy() {
      for (const off of offs) off()
      clearTimeout(timer)
      clearInterval(tick)
      abort?.abort()
      readiness.destroy()
    },
  }
}
