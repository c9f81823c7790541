import { h } from '../dom.js'
import { shortDateTime } from '../format.js'
import type { I18n } from '../i18n.js'
import type { WebhookDelivery } from '../types.js'

/** Deliveries shown. */
export const DELIVERIES_SHOWN = 20

/** The last webhook deliveries: when, which alert event, where, attempt, outcome. */
export function renderDeliveries(
  i18n: I18n,
  tz: string,
  list: readonly WebhookDelivery[],
): HTMLElement {
  const t = i18n.t
  if (list.length === 0) return h('p', { class: 'message' }, t('deliveries.none'))
  const cols = [
    t('deliveries.col.at'),
    t('deliveries.col.event'),
    t('deliveries.col.url'),
    t('deliveries.col.attempt'),
    t('deliveries.col.result'),
  ]
  const newest = [...list].sort((a, b) => (a.at < b.at ? 1 : -1)).slice(0, DELIVERIES_SHOWN)
  const rows = newest.map((d) => {
    const outcome = d.statusCode !== null ? `HTTP ${d.statusCode}` : (d.error ?? '')
    return h(
      'tr',
      { 'data-delivered': String(d.delivered) },
      h(
        'th',
        { scope: 'row' },
        h('time', { datetime: d.at }, shortDateTime(d.at, tz, i18n.locale())),
      ),
      h(
        'td',
        { 'data-label': cols[1] },
        d.event === 'opened' || d.event === 'resolved' ? t(`deliveries.event.${d.event}`) : d.event,
        h('span', { class: 'node-id' }, d.alertId),
      ),
      h('td', { class: 'cell-url', 'data-label': cols[2] }, d.url),
      h('td', { class: 'num', 'data-label': cols[3] }, String(d.attempt)),
      h(
        'td',
        { 'data-label': cols[4] },
        h(
          'span',
          { class: `badge ${d.delivered ? 'outcome-finished' : 'outcome-failed'}` },
          t(d.delivered ? 'deliveries.ok' : 'deliveries.failed'),
        ),
        outcome ? h('span', { class: 'delivery-detail' }, outcome) : null,
      ),
    )
  })
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'grid deliveries-table' },
      h('caption', { class: 'sr-only' }, t('deliveries.heading')),
      h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...rows),
    ),
  )
}
