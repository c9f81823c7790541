import { h, setAttr, setHidden, setText } from '../dom.js'
import type { I18n } from '../i18n.js'
import { shownState } from '../node-state.js'
import type { Store } from '../store.js'
import type { NodeView } from '../types.js'
import type { Placed } from './map-geo.js'
import { nodeHref } from './node-row.js'
import { degradedLine, stateText } from './state-text.js'

/** The map's tooltip: the node's name (a link), its state, zone and reasons. */
export function createMapTip(i18n: I18n, store: Store) {
  const name = h('a', { class: 'tip-name' })
  const state = h('span', { class: 'tip-state' })
  const more = h('span', { class: 'tip-more' })
  const el = h('div', { class: 'map-tip', role: 'status', hidden: true }, name, state, more)
  let shown: string | null = null
  return {
    el,
    /** The id of the node shown, or null. */
    get nodeId(): string | null {
      return shown
    },
    /** Shows `p` beside its marker (inside a map of `width` × `height`), or hides the tip. */
    show(p: Placed | null, opts: { tapped: boolean; width: number; height: number }): void {
      shown = p?.node.id ?? null
      setHidden(el, p === null)
      if (!p) return
      const n = store.nodes.get(p.node.id) ?? p.node
      const s = shownState(n)
      setText(name, n.name)
      setAttr(name, 'href', nodeHref(n.id))
      setAttr(el, 'data-node-id', n.id)
      setAttr(state, 'class', `tip-state badge state state-${s}`)
      setText(state, stateText(i18n, s))
      const detail = [
        n.zoneName,
        n.state === 'degraded' ? degradedLine(i18n, n.degradedReasons) : '',
      ]
        .filter(Boolean)
        .join(' · ')
      setText(more, opts.tapped ? `${detail} · ${i18n.t('map.tapAgain')}` : detail)
      const left = Math.min(p.x + 12, opts.width - 228)
      const top = p.y > opts.height - 96 ? p.y - 90 : p.y + 12
      el.style.left = `${Math.max(8, left)}px`
      el.style.top = `${Math.max(8, top)}px`
    },
  }
}

/** One node in the lists under the map; placed ones carry where they were drawn. */
export function mapListItem(i18n: I18n, n: NodeView, p?: Placed): HTMLElement {
  const s = shownState(n)
  const attrs: Record<string, string> = { 'data-node-id': n.id, 'data-state': s }
  if (p) {
    attrs['data-x'] = p.x.toFixed(1)
    attrs['data-y'] = p.y.toFixed(1)
  }
  return h(
    'li',
    attrs,
    h('span', { class: `shape shape-${s}`, 'aria-hidden': 'true' }),
    h('a', { href: nodeHref(n.id) }, n.name),
    h('span', { class: 'list-state' }, stateText(i18n, s)),
    h('span', { class: 'node-id' }, n.zoneName),
  )
}
