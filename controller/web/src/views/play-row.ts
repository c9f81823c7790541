import { h, setAttr, setText } from '../dom.js'
import { dateTimeOf, itemClock, timeOf } from '../format.js'
import type { I18n } from '../i18n.js'
import type { NodeView, Play } from '../types.js'
import type { Row } from './keyed-list.js'
import { reasonText } from './play-text.js'
import { outcomeOf } from './plays-data.js'

export { REASONS, reasonText } from './play-text.js'

/** What the page knows about an item: its title and start from the day's running order. */
export interface ItemInfo {
  title: string | null
  clock: string | null
}

/** One play event's row. Node names and item titles are looked up when the row updates. */
export function createPlayRow(
  i18n: I18n,
  nodeOf: (id: string) => NodeView | undefined,
  itemOf: (itemId: string) => ItemInfo | undefined,
  tz: () => string,
): (p: Play) => Row<Play> {
  const labels = {
    node: i18n.t('plays.col.node'),
    item: i18n.t('plays.col.item'),
    result: i18n.t('plays.col.result'),
  }
  return () => {
    const time = h('time')
    const node = h('td', { class: 'cell-node', 'data-label': labels.node })
    const item = h('td', { class: 'cell-item', 'data-label': labels.item })
    const badge = h('span', { class: 'badge' })
    const reason = h('span', { class: 'reason' })
    const el = h(
      'tr',
      {},
      h('th', { scope: 'row', class: 'cell-time' }, time),
      node,
      item,
      h('td', { class: 'cell-result', 'data-label': labels.result }, badge, reason),
    )
    return {
      el,
      update(p) {
        const o = outcomeOf(p)
        setAttr(el, 'data-event-id', p.eventId)
        setAttr(el, 'data-outcome', o)
        setText(time, timeOf(p.at, tz()))
        setAttr(time, 'datetime', p.at)
        setAttr(time, 'title', dateTimeOf(p.at, tz(), i18n.locale()))
        const n = nodeOf(p.nodeId)
        setText(node, n?.name ?? p.nodeId)
        setAttr(node, 'title', p.nodeId)
        const info = p.itemId ? itemOf(p.itemId) : undefined
        const clock = info?.clock ?? (p.itemId ? itemClock(p.itemId) : null)
        const title = info?.title ?? p.itemId ?? i18n.t('common.none')
        setText(item, clock && info?.title ? `${clock} ${title}` : title)
        setAttr(item, 'title', p.itemId)
        setAttr(badge, 'class', `badge outcome-${o}`)
        setText(badge, o === 'other' ? p.type : i18n.t(`result.${o}`))
        setText(reason, o === 'failed' || o === 'missed' ? reasonText(i18n, p.reason) : '')
        setAttr(reason, 'title', p.error ?? null)
      },
    }
  }
}
