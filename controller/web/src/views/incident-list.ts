import { h } from '../dom.js'
import { dateTimeOf, duration } from '../format.js'
import type { I18n } from '../i18n.js'
import type { Store } from '../store.js'
import type { Incident } from '../types.js'
import { incidentCauseText } from './alert-text.js'

/** Newest first. */
const byStart = (a: Incident, b: Incident) => (a.startedAt < b.startedAt ? 1 : -1)

/** Incidents (many nodes dropping at once): cause, zone, node count, start and end. */
export function renderIncidents(i18n: I18n, store: Store, list: readonly Incident[]): HTMLElement {
  const t = i18n.t
  if (list.length === 0) return h('p', { class: 'message' }, t('incidents.none'))
  const cols = [
    t('incidents.col.cause'),
    t('incidents.col.nodes'),
    t('incidents.col.started'),
    t('incidents.col.duration'),
  ]
  const rows = [...list].sort(byStart).map((i) => {
    const zone = store.zone(i.zoneId)?.name
    const end = i.endedAt ? Date.parse(i.endedAt) : Date.now()
    const took = duration(Math.max(0, (end - Date.parse(i.startedAt)) / 1000), i18n)
    return h(
      'tr',
      { 'data-incident-id': i.id, 'data-open': String(!i.endedAt) },
      h(
        'th',
        { scope: 'row' },
        incidentCauseText(i18n, i.cause),
        zone ? h('span', { class: 'node-id' }, zone) : null,
      ),
      h('td', { class: 'num', 'data-label': cols[1] }, String(i.nodeIds.length)),
      h('td', { 'data-label': cols[2] }, dateTimeOf(i.startedAt, store.tz, i18n.locale())),
      h(
        'td',
        { 'data-label': cols[3] },
        i.endedAt
          ? took
          : h(
              'span',
              { class: 'badge severity severity-critical' },
              t('incidents.ongoing', { d: took }),
            ),
      ),
    )
  })
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'grid incidents-table' },
      h('caption', { class: 'sr-only' }, t('incidents.heading')),
      h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...rows),
    ),
  )
}
