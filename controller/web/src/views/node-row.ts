import { h, setAttr, setText } from '../dom.js'
import { ago, dateTimeOf, TZ } from '../format.js'
import type { I18n } from '../i18n.js'
import type { NodeView } from '../types.js'
import type { Row } from './keyed-list.js'
import { planStatus } from './node-filter.js'

/** Column labels, also shown before each value when the table becomes cards on a phone. */
export function nodeColumns(i18n: I18n) {
  return {
    name: i18n.t('col.name'),
    zone: i18n.t('col.zone'),
    state: i18n.t('col.state'),
    lastSeen: i18n.t('col.lastSeen'),
    plan: i18n.t('col.plan'),
  }
}

/** One node's table row; `update` touches only what changed. */
export function createNodeRow(i18n: I18n, now: () => number): (n: NodeView) => Row<NodeView> {
  const cols = nodeColumns(i18n)
  return () => {
    const name = h('span', { class: 'node-name' })
    const test = h('span', { class: 'tag', hidden: true }, i18n.t('tag.test'))
    const id = h('span', { class: 'node-id' })
    const zone = h('td', { class: 'cell-zone', 'data-label': cols.zone })
    const stateText = h('span', { class: 'badge-text' })
    const state = h(
      'span',
      { class: 'badge state' },
      h('span', { class: 'dot', 'aria-hidden': 'true' }),
      stateText,
    )
    const seen = h('time', { class: 'last-seen' })
    const plan = h('span', { class: 'badge plan' })
    const el = h(
      'tr',
      {},
      h('th', { scope: 'row', class: 'cell-name' }, name, test, id),
      zone,
      h('td', { class: 'cell-state', 'data-label': cols.state }, state),
      h('td', { class: 'cell-seen', 'data-label': cols.lastSeen }, seen),
      h('td', { class: 'cell-plan', 'data-label': cols.plan }, plan),
    )
    return {
      el,
      update(n) {
        setAttr(el, 'data-node-id', n.id)
        const s = n.retiredAt ? 'retired' : n.online ? 'online' : 'offline'
        setAttr(el, 'data-state', s)
        setText(name, n.name)
        test.hidden = !n.isTest
        setText(id, n.id)
        setText(zone, n.zoneName)
        setAttr(state, 'class', `badge state state-${s}`)
        setText(stateText, i18n.t(`state.${s}`))
        const since = n.stateSince
          ? i18n.t('state.since', { time: dateTimeOf(n.stateSince, TZ, i18n.locale()) })
          : null
        setAttr(state, 'title', since)
        setText(seen, ago(n.lastSeen, now(), i18n))
        setAttr(seen, 'datetime', n.lastSeen)
        setAttr(seen, 'title', n.lastSeen ? dateTimeOf(n.lastSeen, TZ, i18n.locale()) : null)
        const p = planStatus(n)
        setAttr(plan, 'class', `badge plan plan-${p}`)
        setAttr(el, 'data-plan', p)
        setText(plan, i18n.t(`plan.${p}`))
        const none = i18n.t('common.none')
        setAttr(
          plan,
          'title',
          i18n.t('plan.detail', {
            applied: n.appliedPlanVersion ?? none,
            current: n.planVersion ?? none,
          }),
        )
      },
    }
  }
}
