import { errorText } from '../api.js'
import { h, setText } from '../dom.js'
import { itemClock, secondsText, shortDateTime } from '../format.js'
import type { I18n } from '../i18n.js'
import type { Play } from '../types.js'
import { deviationText } from './node-charts.js'
import { reasonText } from './play-text.js'
import { createPlayLog, outcomeOf } from './plays-data.js'

/** Plays listed on the node page. */
export const NODE_PLAYS = 50

/** The node's recent plays and failures, newest first; stream events are added live. */
export function createNodePlays(i18n: I18n) {
  const t = i18n.t
  const log = createPlayLog()
  const cols = [
    t('plays.col.time'),
    t('plays.col.item'),
    t('plays.col.result'),
    t('node.col.timing'),
  ]
  const tbody = h('tbody')
  const table = h(
    'table',
    { class: 'grid node-plays-table' },
    h('caption', { class: 'sr-only' }, t('node.plays')),
    h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', { scope: 'col' }, c)))),
    tbody,
  )
  const message = h('p', { class: 'message' }, t('common.loading'))
  const el = h('div', {}, message, h('div', { class: 'table-wrap' }, table))
  let tz = 'Asia/Shanghai'

  function render(): void {
    const rows = log.all.slice(0, NODE_PLAYS).map((p) => {
      const o = outcomeOf(p)
      const clock = p.itemId ? itemClock(p.itemId) : null
      const timing =
        o === 'started' && typeof p.deviationMs === 'number'
          ? deviationText(i18n, p.deviationMs)
          : o === 'finished' && typeof p.playedMs === 'number'
            ? t('node.playedFor', { s: secondsText(p.playedMs) })
            : ''
      return h(
        'tr',
        { 'data-event-id': p.eventId, 'data-outcome': o },
        h(
          'th',
          { scope: 'row', class: 'cell-time' },
          h('time', { datetime: p.at }, shortDateTime(p.at, tz, i18n.locale())),
        ),
        h(
          'td',
          { 'data-label': cols[1] },
          clock ? `${clock} · ${p.itemId}` : (p.itemId ?? t('common.none')),
        ),
        h(
          'td',
          { class: 'cell-result', 'data-label': cols[2] },
          h('span', { class: `badge outcome-${o}` }, o === 'other' ? p.type : t(`result.${o}`)),
          o === 'failed' || o === 'missed'
            ? h('span', { class: 'reason', title: p.error ?? '' }, reasonText(i18n, p.reason))
            : null,
        ),
        h('td', { 'data-label': cols[3] }, timing),
      )
    })
    tbody.replaceChildren(...rows)
    table.hidden = rows.length === 0
    message.hidden = rows.length > 0
    setText(message, t('node.noPlays'))
  }

  return {
    el,
    /** The plays loaded (the timing chart uses them too). */
    get all(): readonly Play[] {
      return log.all
    },
    set(plays: readonly Play[], zoneTz: string): void {
      tz = zoneTz
      log.reset(plays)
      render()
    },
    add(plays: readonly Play[]): boolean {
      if (log.add(plays) === 0) return false
      render()
      return true
    },
    fail(err: unknown): void {
      message.hidden = false
      setText(message, t('common.loadError', { msg: errorText(err) }))
    },
  }
}
