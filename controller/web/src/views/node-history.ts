import { errorText } from '../api.js'
import { h, setText } from '../dom.js'
import { dayLabel, shortDateTime } from '../format.js'
import type { I18n } from '../i18n.js'
import type { DayAvailability, NodeView, Transition } from '../types.js'
import { stateText, transitionReasonText } from './state-text.js'
import { type DayBar, dayBars, lastDays } from './timeline-data.js'

/** Days shown. */
export const HISTORY_DAYS = 7
/** Transitions listed before "show all". */
const LISTED = 20

const pct = (v: number) => `${v >= 99.95 || v <= 0.05 ? v.toFixed(0) : v.toFixed(1)}%`

/**
 * The node's last 7 days: a bar per day (online and offline stretches), the share of each day
 * it was online, and the list of transitions with their reasons.
 */
export function createNodeHistory(i18n: I18n) {
  const t = i18n.t
  const bars = h('div', { class: 'days', role: 'list', 'aria-label': t('node.daysLabel') })
  const scale = h(
    'div',
    { class: 'day-scale', 'aria-hidden': 'true' },
    ...['00:00', '06:00', '12:00', '18:00', '24:00'].map((s) => h('span', {}, s)),
  )
  const legend = h(
    'p',
    { class: 'legend' },
    ...(['online', 'offline', 'none'] as const).map((s) =>
      h('span', { class: 'legend-item' }, h('span', { class: `swatch dseg-${s}` }), t(`seg.${s}`)),
    ),
  )
  const listBody = h('tbody')
  const list = h(
    'table',
    { class: 'grid transitions-table' },
    h('caption', { class: 'sr-only' }, t('node.transitions')),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, t('node.col.at')),
        h('th', { scope: 'col' }, t('node.col.change')),
        h('th', { scope: 'col' }, t('node.col.reason')),
      ),
    ),
    listBody,
  )
  const more = h(
    'button',
    { type: 'button', class: 'button', hidden: true },
    t('node.allTransitions'),
  )
  const message = h('p', { class: 'message', hidden: true })
  const el = h(
    'div',
    { class: 'history' },
    h('div', { class: 'panel days-panel' }, scale, bars, legend),
    h('h3', {}, t('node.transitions')),
    message,
    h('div', { class: 'table-wrap' }, list),
    more,
  )
  let all = false
  let shown: Transition[] = []
  let zone = 'Asia/Shanghai'

  function renderList(): void {
    const newest = [...shown].reverse()
    const rows = (all ? newest : newest.slice(0, LISTED)).map((tr) =>
      h(
        'tr',
        { 'data-to': tr.to },
        h(
          'th',
          { scope: 'row' },
          h('time', { datetime: tr.at }, shortDateTime(tr.at, zone, i18n.locale())),
        ),
        h(
          'td',
          { 'data-label': t('node.col.change') },
          h(
            'span',
            { class: `badge state state-${tr.to === 'offline' ? 'offline' : 'online'}` },
            h('span', { class: 'dot', 'aria-hidden': 'true' }),
            t('node.change', {
              from: stateText(i18n, tr.from === 'offline' ? 'offline' : 'online'),
              to: stateText(i18n, tr.to === 'offline' ? 'offline' : 'online'),
            }),
          ),
        ),
        h('td', { 'data-label': t('node.col.reason') }, transitionReasonText(i18n, tr.reason)),
      ),
    )
    listBody.replaceChildren(...rows)
    list.hidden = rows.length === 0
    more.hidden = all || newest.length <= LISTED
  }
  more.addEventListener('click', () => {
    all = true
    renderList()
  })

  function dayRow(bar: DayBar, server: number | undefined, locale: string): HTMLElement {
    const share = server ?? bar.onlinePct
    const label = dayLabel(bar.date, locale)
    const shareText = share === null ? t('common.none') : pct(share)
    return h(
      'div',
      {
        class: 'day',
        role: 'listitem',
        'data-date': bar.date,
        'aria-label': t('node.dayLabel', { day: label, pct: shareText }),
      },
      h('span', { class: 'day-name', 'aria-hidden': 'true' }, label),
      h(
        'span',
        { class: 'day-bar', 'aria-hidden': 'true' },
        ...bar.segments
          .filter((s) => s.state !== 'future')
          .map((s) => {
            // CSSOM, not a style attribute: the page's CSP allows no inline styles.
            const seg = h('span', { class: `dseg dseg-${s.state}` })
            seg.style.left = `${(s.from * 100).toFixed(3)}%`
            seg.style.width = `${((s.to - s.from) * 100).toFixed(3)}%`
            return seg
          }),
      ),
      h('span', { class: 'day-pct', 'aria-hidden': 'true' }, shareText),
    )
  }

  return {
    el,
    show(
      node: NodeView,
      transitions: Transition[],
      availability: DayAvailability[] | null,
      tz: string,
    ): void {
      message.hidden = true
      shown = transitions
      zone = tz
      const now = Date.now()
      const dates = lastDays(HISTORY_DAYS, tz, now)
      const created = Date.parse(node.createdAt)
      const days = dayBars(transitions, {
        dates,
        tz,
        now,
        current: node.online ? 'online' : 'offline',
        createdAt: Number.isNaN(created) ? 0 : created,
      })
      const byDate = new Map((availability ?? []).map((a) => [a.date, a.onlinePct]))
      bars.replaceChildren(
        ...days.reverse().map((d) => dayRow(d, byDate.get(d.date), i18n.locale())),
      )
      renderList()
      if (transitions.length === 0) {
        message.hidden = false
        setText(message, t('node.noTransitions'))
      }
    },
    fail(err: unknown): void {
      message.hidden = false
      setText(message, t('common.loadError', { msg: errorText(err) }))
    },
  }
}
