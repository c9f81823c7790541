import { h, setAttr, setHidden, setText } from '../dom.js'
import { ago, dateTimeOf, duration } from '../format.js'
import type { I18n } from '../i18n.js'
import { shownState } from '../node-state.js'
import type { NodeView } from '../types.js'
import type { Row } from './keyed-list.js'
import { planStatus } from './node-filter.js'
import { degradedLine, stateText } from './state-text.js'

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

/** The link to a node's page. */
export const nodeHref = (id: string) => `#/nodes/${encodeURIComponent(id)}`

/** A state badge (colour, shape and text); `update` sets the state. */
export function createStateBadge(i18n: I18n) {
  const text = h('span', { class: 'badge-text' })
  const el = h('span', { class: 'badge state' }, h('span', { class: 'dot', 'aria-hidden': 'true' }))
  el.append(text)
  return {
    el,
    update(n: NodeView, tz: string): void {
      const s = shownState(n)
      setAttr(el, 'class', `badge state state-${s}`)
      setText(text, stateText(i18n, s))
      const since = n.stateSince
        ? i18n.t('state.since', { time: dateTimeOf(n.stateSince, tz, i18n.locale()) })
        : null
      setAttr(el, 'title', since)
    },
  }
}

/** Under the badge: why a node is degraded, or how long it has been offline. */
export function stateDetail(i18n: I18n, n: NodeView, now: number): string {
  if (n.retiredAt) return ''
  if (n.state === 'degraded' && n.degradedReasons.length > 0) {
    return degradedLine(i18n, n.degradedReasons)
  }
  if (n.offlineSince && !n.online) {
    const sec = (now - Date.parse(n.offlineSince)) / 1000
    if (sec >= 0) return i18n.t('state.offlineFor', { d: duration(sec, i18n) })
  }
  if (n.state === 'flapping') return i18n.t('state.flappingDetail')
  return ''
}

/** One node's table row; `update` touches only what changed. */
export function createNodeRow(
  i18n: I18n,
  now: () => number,
  tz: () => string,
): (n: NodeView) => Row<NodeView> {
  const cols = nodeColumns(i18n)
  return () => {
    const name = h('a', { class: 'node-name' })
    const test = h('span', { class: 'tag', hidden: true }, i18n.t('tag.test'))
    const id = h('span', { class: 'node-id' })
    const zone = h('td', { class: 'cell-zone', 'data-label': cols.zone })
    const state = createStateBadge(i18n)
    const playing = h('span', { class: 'tag tag-playing', hidden: true }, i18n.t('tag.playing'))
    const incident = h('span', { class: 'tag tag-incident', hidden: true }, i18n.t('tag.incident'))
    const detail = h('span', { class: 'state-detail' })
    const seen = h('time', { class: 'last-seen' })
    const plan = h('span', { class: 'badge plan' })
    const el = h(
      'tr',
      {},
      h('th', { scope: 'row', class: 'cell-name' }, name, test, id),
      zone,
      h(
        'td',
        { class: 'cell-state', 'data-label': cols.state },
        state.el,
        playing,
        incident,
        detail,
      ),
      h('td', { class: 'cell-seen', 'data-label': cols.lastSeen }, seen),
      h('td', { class: 'cell-plan', 'data-label': cols.plan }, plan),
    )
    return {
      el,
      update(n) {
        const zoneTz = tz()
        setAttr(el, 'data-node-id', n.id)
        setAttr(el, 'data-state', shownState(n))
        setText(name, n.name)
        setAttr(name, 'href', nodeHref(n.id))
        setHidden(test, !n.isTest)
        setText(id, n.id)
        setText(zone, n.zoneName)
        state.update(n, zoneTz)
        setHidden(playing, !n.playing || n.retiredAt !== null)
        setHidden(incident, !n.incidentId)
        const d = stateDetail(i18n, n, now())
        setText(detail, d)
        setHidden(detail, d === '')
        setText(seen, ago(n.lastSeen, now(), i18n))
        setAttr(seen, 'datetime', n.lastSeen)
        setAttr(seen, 'title', n.lastSeen ? dateTimeOf(n.lastSeen, zoneTz, i18n.locale()) : null)
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
