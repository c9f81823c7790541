import { h, setAttr, setHidden, setText } from '../dom.js'
import { ago, dateTimeOf } from '../format.js'
import type { I18n } from '../i18n.js'
import type { NodeView } from '../types.js'
import { planStatus } from './node-filter.js'
import { createStateBadge, stateDetail } from './node-row.js'
import { degradedText } from './state-text.js'

/** The top of the node page: name, state with since and reasons, zone, versions, position. */
export function createNodeSummary(i18n: I18n) {
  const t = i18n.t
  const name = h('span', { class: 'node-title' })
  const id = h('span', { class: 'node-id' })
  const test = h('span', { class: 'tag', hidden: true }, t('tag.test'))
  const badge = createStateBadge(i18n)
  const playing = h('span', { class: 'tag tag-playing', hidden: true }, t('tag.playing'))
  const since = h('span', { class: 'state-since' })
  const detail = h('p', { class: 'state-detail' })
  const reasons = h('ul', { class: 'reasons' })
  const zone = h('dd')
  const seen = h('dd')
  const version = h('dd')
  const plan = h('dd')
  const position = h('dd')
  const incident = h('p', { class: 'incident-note', hidden: true }, t('node.inIncident'))
  const row = (label: string, value: HTMLElement) => h('div', {}, h('dt', {}, label), value)
  const el = h(
    'div',
    { class: 'node-summary' },
    h('h1', { id: 'node-h' }, name, test, id),
    h(
      'div',
      { class: 'panel state-panel' },
      h('p', { class: 'state-line' }, badge.el, playing, since),
      detail,
      reasons,
      incident,
      h(
        'dl',
        { class: 'facts' },
        row(t('col.zone'), zone),
        row(t('col.lastSeen'), seen),
        row(t('node.agentVersion'), version),
        row(t('col.plan'), plan),
        row(t('node.position'), position),
      ),
    ),
  )
  return {
    el,
    update(n: NodeView, tz: string): void {
      const now = Date.now()
      setText(name, n.name)
      setText(id, n.id)
      setHidden(test, !n.isTest)
      badge.update(n, tz)
      setAttr(el, 'data-state', n.retiredAt ? 'retired' : n.state)
      setHidden(playing, !n.playing)
      setText(
        since,
        n.stateSince
          ? t('node.since', {
              time: dateTimeOf(n.stateSince, tz, i18n.locale()),
              ago: ago(n.stateSince, now, i18n),
            })
          : '',
      )
      const d = n.state === 'degraded' ? '' : stateDetail(i18n, n, now)
      setText(detail, d)
      setHidden(detail, d === '')
      const items =
        n.state === 'degraded' ? n.degradedReasons.map((r) => degradedText(i18n, r)) : []
      reasons.replaceChildren(...items.map((text) => h('li', {}, text)))
      setHidden(reasons, items.length === 0)
      setHidden(incident, !n.incidentId)
      setText(zone, n.zoneName)
      setText(seen, ago(n.lastSeen, now, i18n))
      setAttr(seen, 'title', n.lastSeen ? dateTimeOf(n.lastSeen, tz, i18n.locale()) : null)
      setText(version, n.agentVersion ?? t('common.none'))
      // Plan versions are long hashes: the first 8 characters tell them apart.
      const applied = n.appliedPlanVersion
      setText(
        plan,
        `${t(`plan.${planStatus(n)}`)} · ${applied ? applied.slice(0, 8) : t('common.none')}`,
      )
      setAttr(plan, 'title', applied)
      if (n.lat !== null && n.lon !== null) {
        const link = h('a', { href: `#/map?focus=${encodeURIComponent(n.id)}` }, t('node.onMap'))
        position.replaceChildren(`${n.lat.toFixed(5)}, ${n.lon.toFixed(5)} `, link)
      } else {
        position.replaceChildren(t('map.noPosition'))
      }
    },
  }
}
