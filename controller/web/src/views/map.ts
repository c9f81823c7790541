import { h, select, setAttr, setHidden, setText } from '../dom.js'
import type { MessageKey } from '../i18n.js'
import { NODE_STATES, type ShownState, shownState } from '../node-state.js'
import type { NodeView } from '../types.js'
import { coloursOf, DRAW_ORDER, drawMap } from './map-draw.js'
import { hasPosition, nearest, type Placed, place } from './map-geo.js'
import { createMapTip, mapListItem } from './map-tip.js'
import { collator, filterFromParams, filterToParams, matcher } from './node-filter.js'
import { nodeHref } from './node-row.js'
import { stateText } from './state-text.js'
import type { ViewFactory } from './view.js'
import { createZoneSelect } from './zone-select.js'

/** Nodes listed under the map (with and without a position) before "show all". */
const LISTED = 100
const PAD = 36
const EMPTY_HEIGHT = 160
const HIT_RADIUS = 14

/**
 * The map (`#/map`): nodes with coordinates drawn on a plain canvas (no tiles: the network may
 * be closed), fitted to their bounding box, coloured and shaped by state; hover or tap names a
 * node, click opens its page. Nodes without coordinates are listed as "no position".
 */
export const mapView: ViewFactory = (ctx, route) => {
  const { i18n, store } = ctx
  const t = i18n.t
  const filter = filterFromParams(route.params)
  let focusId = route.params.get('focus') ?? ''

  const zoneSelect = createZoneSelect(i18n, 'm-zone', filter.zone)
  const stateSelect = select(
    'm-state',
    t('filter.state'),
    (['all', ...NODE_STATES, 'playing'] as const).map((s) => [
      s,
      t(`filter.state.${s}` as MessageKey),
    ]),
    filter.state,
  )
  const form = h(
    'form',
    { class: 'filters', 'aria-label': t('filter.label') },
    zoneSelect.wrap,
    stateSelect.wrap,
  )
  form.addEventListener('submit', (e) => e.preventDefault())

  const legendCounts = new Map<ShownState, HTMLElement>()
  const legend = h(
    'ul',
    { class: 'map-legend', 'aria-label': t('map.legend') },
    ...NODE_STATES.map((s) => {
      const n = h('span', { class: 'legend-count' }, '0')
      legendCounts.set(s, n)
      return h(
        'li',
        { class: 'legend-item', 'data-state': s },
        h('span', { class: `shape shape-${s}`, 'aria-hidden': 'true' }),
        stateText(i18n, s),
        n,
      )
    }),
  )
  const canvas = h('canvas', { class: 'map-canvas', 'aria-hidden': 'true' })
  const tip = createMapTip(i18n, store)
  const empty = h('p', { class: 'map-empty', hidden: true })
  const wrap = h('div', { class: 'map-wrap' }, canvas, tip.el, empty)

  const placedList = h('ul', { class: 'map-list placed-list' })
  const placedMore = h('p', { class: 'list-more' })
  const placedSummary = h('summary', {})
  const placedBox = h('details', { class: 'map-details' }, placedSummary, placedList, placedMore)
  const unplacedList = h('ul', { class: 'map-list unplaced-list' })
  const unplacedMore = h('p', { class: 'list-more' })
  const unplacedH = h('h2', { id: 'unplaced-h' })
  const unplacedBox = h(
    'section',
    { class: 'unplaced', 'aria-labelledby': 'unplaced-h' },
    unplacedH,
    unplacedList,
    unplacedMore,
  )
  const message = h('p', { class: 'message', hidden: true })

  const el = h(
    'section',
    { class: 'page page-map', 'aria-labelledby': 'map-h' },
    h('h1', { id: 'map-h' }, t('map.heading')),
    form,
    legend,
    message,
    wrap,
    placedBox,
    unplacedBox,
  )

  let placed: Placed[] = []
  let tapped: string | null = null
  let frame = 0
  let size = { width: 0, height: 0 }

  function measure(): void {
    const width = Math.max(280, Math.round(wrap.clientWidth))
    const height = Math.round(Math.min(640, Math.max(300, width * (width < 600 ? 1 : 0.6))))
    size = { width, height }
    canvas.style.width = `${width}px`
    canvas.style.height = `${height}px`
  }

  function render(): void {
    frame = 0
    zoneSelect.fill(store.zones, filter.zone)
    if (size.width === 0) measure()
    const match = matcher(filter, store.zones)
    const shown: NodeView[] = []
    const counts = new Map<ShownState, number>()
    for (const n of store.nodes.values()) {
      if (!match(n)) continue
      shown.push(n)
      const s = shownState(n)
      counts.set(s, (counts.get(s) ?? 0) + 1)
    }
    for (const [s, elCount] of legendCounts) setText(elCount, String(counts.get(s) ?? 0))
    // With nothing to draw, a short empty map instead of a blank grid.
    const height = shown.some(hasPosition) ? size.height : EMPTY_HEIGHT
    canvas.style.height = `${height}px`
    const result = place(shown, size.width, height, PAD)
    placed = result.placed.sort(
      (a, b) => DRAW_ORDER[shownState(a.node)] - DRAW_ORDER[shownState(b.node)],
    )
    const focus = placed.find((p) => p.node.id === focusId) ?? null
    drawMap(canvas, {
      width: size.width,
      height,
      placed,
      stateOf: (p) => shownState(p.node),
      projection: result.projection,
      colours: coloursOf(el),
      focus,
    })
    setAttr(canvas, 'data-drawn', String(placed.length))
    setAttr(wrap, 'data-drawn', String(placed.length))
    setHidden(empty, placed.length > 0)
    setText(empty, t('map.noneWithPosition'))

    const byName = (a: NodeView, b: NodeView) => collator.compare(a.name, b.name)
    const issues = [...placed].reverse()
    placedList.replaceChildren(...issues.slice(0, LISTED).map((p) => mapListItem(i18n, p.node, p)))
    setText(placedSummary, t('map.listPlaced', { n: placed.length }))
    setHidden(placedBox, placed.length === 0)
    setText(
      placedMore,
      placed.length > LISTED ? t('map.listMore', { n: placed.length - LISTED }) : '',
    )
    const unplaced = result.unplaced.sort(byName)
    unplacedList.replaceChildren(...unplaced.slice(0, LISTED).map((n) => mapListItem(i18n, n)))
    setText(unplacedH, t('map.unplaced', { n: unplaced.length }))
    setHidden(unplacedBox, unplaced.length === 0)
    setText(
      unplacedMore,
      unplaced.length > LISTED ? t('map.listMore', { n: unplaced.length - LISTED }) : '',
    )

    let text: string | null = null
    if (store.error) text = t('common.loadError', { msg: store.error })
    else if (!store.loaded) text = t('common.loading')
    setHidden(message, text === null)
    setText(message, text ?? '')

    // Keep the tooltip on the node it names (it may have moved or changed state).
    const shownId = tip.nodeId
    const target = shownId ? placed.find((p) => p.node.id === shownId) : focus
    showTip(target ?? null)
  }
  const schedule = () => {
    frame ||= requestAnimationFrame(render)
  }

  function showTip(p: Placed | null): void {
    canvas.style.cursor = p ? 'pointer' : ''
    tip.show(p, { tapped: p !== null && tapped === p.node.id, ...size })
  }

  function at(e: PointerEvent | MouseEvent): Placed | null {
    const box = canvas.getBoundingClientRect()
    return nearest(placed, e.clientX - box.left, e.clientY - box.top, HIT_RADIUS)
  }
  canvas.addEventListener('pointermove', (e) => {
    if (e.pointerType !== 'mouse') return
    const p = at(e)
    if ((p?.node.id ?? null) !== tip.nodeId) showTip(p)
  })
  canvas.addEventListener('pointerleave', (e) => {
    if (e.pointerType === 'mouse') showTip(null)
  })
  canvas.addEventListener('pointerup', (e) => {
    const p = at(e)
    if (!p) {
      tapped = null
      showTip(null)
      return
    }
    // A mouse click opens the node; a tap names it first, a second tap opens it.
    if (e.pointerType === 'mouse' || tapped === p.node.id) {
      location.hash = nodeHref(p.node.id)
      return
    }
    tapped = p.node.id
    showTip(p)
  })

  const update = () => {
    ctx.router.replaceParams({ ...filterToParams(filter), focus: focusId })
    schedule()
  }
  zoneSelect.input.addEventListener('change', () => {
    filter.zone = zoneSelect.input.value
    focusId = ''
    update()
  })
  stateSelect.input.addEventListener('change', () => {
    filter.state = stateSelect.input.value as typeof filter.state
    update()
  })

  const observer =
    typeof ResizeObserver === 'function'
      ? new ResizeObserver(() => {
          const before = size.width
          measure()
          if (Math.abs(before - size.width) >= 4) schedule()
        })
      : null
  observer?.observe(wrap)
  const offs = [store.on('nodes', schedule), store.on('error', schedule)]
  const scheme = window.matchMedia?.('(prefers-color-scheme: dark)')
  scheme?.addEventListener('change', schedule)
  schedule()

  return {
    el,
    destroy() {
      for (const off of offs) off()
      observer?.disconnect()
      scheme?.removeEventListener('change', schedule)
      cancelAnimationFrame(frame)
    },
  }
}
