import { button, h, setAttr, setHidden, setText } from '../dom.js'
import { ago, dateTimeOf } from '../format.js'
import type { I18n } from '../i18n.js'
import type { Store } from '../store.js'
import type { Alert } from '../types.js'
import { alertKindText, alertText, SEVERITIES, severityText } from './alert-text.js'
import { createKeyedList } from './keyed-list.js'
import { nodeHref } from './node-row.js'

/** Open before resolved, then most severe, then newest. */
export function compareAlerts(a: Alert, b: Alert): number {
  const open = Number(a.resolvedAt !== null) - Number(b.resolvedAt !== null)
  if (open !== 0) return open
  const sev = SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity)
  if (sev !== 0) return sev
  return a.openedAt < b.openedAt ? 1 : a.openedAt > b.openedAt ? -1 : 0
}

/** Where an alert has its state word: 未确认, 已确认, 已解决（自动）. */
function stateOf(i18n: I18n, a: Alert): { key: string; text: string } {
  if (a.resolvedAt) {
    const how = a.resolution === 'manual' ? i18n.t('alert.byHand') : i18n.t('alert.auto')
    return { key: 'resolved', text: i18n.t('alert.state.resolved', { how }) }
  }
  if (a.ackedAt) return { key: 'acked', text: i18n.t('alert.state.acked') }
  return { key: 'open', text: i18n.t('alert.state.open') }
}

/** The alert list: a row per alert with acknowledge and resolve buttons. */
export function createAlertTable(
  i18n: I18n,
  store: Store,
  act: (a: Alert, what: 'ack' | 'resolve') => Promise<void>,
) {
  const t = i18n.t
  const cols = {
    severity: t('alerts.col.severity'),
    alert: t('alerts.col.alert'),
    opened: t('alerts.col.opened'),
    state: t('alerts.col.state'),
    actions: t('alerts.col.actions'),
  }
  const tbody = h('tbody')
  const table = h(
    'table',
    { class: 'grid alerts-table' },
    h('caption', { class: 'sr-only' }, t('alerts.caption')),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, cols.alert),
        h('th', { scope: 'col' }, cols.severity),
        h('th', { scope: 'col' }, cols.opened),
        h('th', { scope: 'col' }, cols.state),
        h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, cols.actions)),
      ),
    ),
    tbody,
  )
  const list = createKeyedList<Alert>({
    container: tbody,
    key: (a) => a.id,
    create: () => {
      let current: Alert | null = null
      const kind = h('span', { class: 'alert-kind' })
      const text = h('span', { class: 'alert-text' })
      const subject = h('a', { class: 'alert-subject', hidden: true })
      const severity = h('span', { class: 'badge severity' })
      const opened = h('time')
      const state = h('span', { class: 'alert-state' })
      const run = (what: 'ack' | 'resolve') => async () => {
        if (!current) return
        ack.disabled = true
        resolve.disabled = true
        try {
          await act(current, what)
        } finally {
          ack.disabled = false
          resolve.disabled = false
        }
      }
      const ack = button(t('alerts.ack'), () => void run('ack')(), { class: 'button small ack' })
      const resolve = button(t('alerts.resolve'), () => void run('resolve')(), {
        class: 'button small resolve',
      })
      const el = h(
        'tr',
        {},
        h('th', { scope: 'row', class: 'cell-alert' }, kind, text, subject),
        h('td', { class: 'cell-severity', 'data-label': cols.severity }, severity),
        h('td', { class: 'cell-opened', 'data-label': cols.opened }, opened),
        h('td', { class: 'cell-alert-state', 'data-label': cols.state }, state),
        h('td', { class: 'cell-actions' }, ack, resolve),
      )
      return {
        el,
        update(a) {
          current = a
          const s = stateOf(i18n, a)
          setAttr(el, 'data-alert-id', a.id)
          setAttr(el, 'data-kind', a.kind)
          setAttr(el, 'data-state', s.key)
          setText(kind, alertKindText(i18n, a.kind))
          setText(text, alertText(i18n, store, a))
          // A link to the node, or to the dashboard filtered to the zone.
          const href = a.nodeId
            ? nodeHref(a.nodeId)
            : a.zoneId
              ? `#/nodes?zone=${encodeURIComponent(a.zoneId)}`
              : null
          setHidden(subject, href === null)
          setAttr(subject, 'href', href)
          setText(subject, a.nodeId ? t('alerts.openNode') : t('alerts.openZone'))
          setAttr(severity, 'class', `badge severity severity-${a.severity}`)
          setText(severity, severityText(i18n, a.severity))
          setText(opened, ago(a.openedAt, Date.now(), i18n))
          setAttr(opened, 'datetime', a.openedAt)
          setAttr(opened, 'title', dateTimeOf(a.openedAt, store.tz, i18n.locale()))
          setText(state, s.text)
          const when = a.resolvedAt ?? a.ackedAt
          setAttr(state, 'title', when ? dateTimeOf(when, store.tz, i18n.locale()) : null)
          setHidden(ack, a.ackedAt !== null || a.resolvedAt !== null)
          setHidden(resolve, a.resolvedAt !== null)
        },
      }
    },
  })
  return {
    el: table,
    render(alerts: readonly Alert[]): void {
      list.render(alerts)
      table.hidden = alerts.length === 0
    },
    refresh: () => list.refresh(),
  }
}
