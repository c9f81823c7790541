import { h, select, setText } from '../dom.js'
import type { MessageKey } from '../i18n.js'
import type { NodeView } from '../types.js'
import { createTodayDeviation } from './deviation-panel.js'
import { createKeyedList } from './keyed-list.js'
import {
  countNodes,
  filterFromParams,
  filterToParams,
  matcher,
  type NodeFilter,
  offlineFirst,
  SORTS,
  STATE_FILTERS,
  sortByName,
  zoneSubtree,
} from './node-filter.js'
import { createNodeRow, nodeColumns } from './node-row.js'
import { createPager } from './pager.js'
import type { ViewFactory } from './view.js'
import { createZoneCommands } from './zone-commands.js'
import { createZoneSelect } from './zone-select.js'

/** How often relative times ("3 分钟前") are refreshed. */
const TICK_MS = 15_000

type CountKey = Exclude<keyof ReturnType<typeof countNodes>, 'pending'>

/** The summary cards, each a filter: total, then by state, then playing. */
const COUNTS: { key: CountKey; state: NodeFilter['state'] }[] = [
  { key: 'total', state: 'all' },
  { key: 'online', state: 'online' },
  { key: 'degraded', state: 'degraded' },
  { key: 'flapping', state: 'flapping' },
  { key: 'offline', state: 'offline' },
  { key: 'playing', state: 'playing' },
]

/**
 * The fleet dashboard: counts by state, filters (zone subtree, state, search), sort by name or
 * by how long nodes have been offline, the list, and commands to a selected zone. Each stream
 * message updates only the rows it changed; the list shows the first rows that match and grows
 * as one scrolls (simple windowing).
 */
export const nodesView: ViewFactory = (ctx, route) => {
  const { i18n, store } = ctx
  const t = i18n.t
  const filter: NodeFilter = filterFromParams(route.params)

  const counts = COUNTS.map(({ key, state }) => {
    const value = h('span', { class: 'count-value' }, '0')
    const button = h(
      'button',
      { type: 'button', class: `count count-${key}`, 'data-count': key },
      h('span', { class: 'count-mark', 'aria-hidden': 'true' }),
      value,
      h('span', { class: 'count-label' }, t(`nodes.${key}`)),
    )
    button.addEventListener('click', () => {
      filter.state = filter.state === state ? 'all' : state
      stateSelect.input.value = filter.state
      changed()
    })
    return { button, value, state }
  })

  const zoneSelect = createZoneSelect(i18n, 'f-zone', filter.zone)
  const stateSelect = select(
    'f-state',
    t('filter.state'),
    STATE_FILTERS.map((s) => [s, t(`filter.state.${s}` as MessageKey)]),
    filter.state,
  )
  const sortSelect = select(
    'f-sort',
    t('filter.sort'),
    SORTS.map((s) => [s, t(`filter.sort.${s}` as MessageKey)]),
    filter.sort,
  )
  const search = h('input', {
    id: 'f-q',
    type: 'search',
    placeholder: t('filter.searchPlaceholder'),
    autocomplete: 'off',
    enterkeyhint: 'search',
  })
  search.value = filter.q
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('filter.label') },
    zoneSelect.wrap,
    stateSelect.wrap,
    h('div', { class: 'field field-grow' }, h('label', { for: 'f-q' }, t('filter.search')), search),
    sortSelect.wrap,
  )
  form.addEventListener('submit', (e) => e.preventDefault())

  const cols = nodeColumns(i18n)
  const tbody = h('tbody')
  const table = h(
    'table',
    { class: 'grid nodes-table' },
    h('caption', { class: 'sr-only' }, t('nodes.caption')),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...[cols.name, cols.zone, cols.state, cols.lastSeen, cols.plan].map((c) =>
          h('th', { scope: 'col' }, c),
        ),
      ),
    ),
    tbody,
  )
  const message = h('p', { class: 'message', hidden: true })
  const retry = h('button', { type: 'button', class: 'button', hidden: true }, t('common.retry'))
  retry.addEventListener('click', () => void ctx.live.reload())
  const pager = createPager(i18n, () => relist())
  let zoneNodes = 0
  const zoneCmd = createZoneCommands(ctx, () => zoneNodes)
  // How in step the fleet played today: for the office and the technicians.
  const inStep =
    ctx.session.has('scheduler') || ctx.session.has('technician')
      ? createTodayDeviation(i18n, {
          load: (signal) => ctx.api.deviation(signal),
          tz: () => store.tz,
        })
      : null

  const el = h(
    'section',
    { class: 'page page-nodes', 'aria-labelledby': 'nodes-h' },
    h('h1', { id: 'nodes-h' }, t('nodes.heading')),
    h(
      'div',
      { class: 'counts', role: 'group', 'aria-label': t('nodes.countsLabel') },
      ...counts.map((c) => c.button),
    ),
    inStep?.el ?? null,
    form,
    // Commands to a whole zone are the technicians'.
    ctx.session.has('technician') ? zoneCmd.el : null,
    h('div', { class: 'table-wrap' }, table),
    message,
    retry,
    pager.el,
  )

  const list = createKeyedList<NodeView>({
    container: tbody,
    key: (n) => n.id,
    create: createNodeRow(
      i18n,
      () => Date.now(),
      () => store.tz,
    ),
  })

  let sorted: string[] | null = null
  const names = new Map<string, string>()
  let frame = 0

  function relist(): void {
    frame = 0
    zoneSelect.fill(store.zones, filter.zone)
    sorted ??= sortByName(store.nodes)
    const match = matcher(filter, store.zones)
    // The counts follow the zone and the search, not the state (each count is a state filter).
    const inScope = matcher({ ...filter, state: 'all' }, store.zones)
    const inZone = filter.zone ? zoneSubtree(store.zones, filter.zone) : null
    const scoped: NodeView[] = []
    let matching: NodeView[] = []
    zoneNodes = 0
    for (const id of sorted) {
      const n = store.nodes.get(id)
      if (!n) continue
      if (inZone?.has(n.zone) && !n.retiredAt) zoneNodes++
      if (inScope(n)) scoped.push(n)
      if (match(n)) matching.push(n)
    }
    const c = countNodes(scoped)
    for (const k of counts) {
      const key = k.button.dataset.count as CountKey
      setText(k.value, String(c[key]))
      k.button.setAttribute('aria-pressed', String(filter.state === k.state))
    }
    if (filter.sort === 'offline') matching = offlineFirst(matching)
    list.render(matching.slice(0, pager.limit))
    pager.show(list.size, matching.length)
    zoneCmd.setZone(store.zone(filter.zone) ? filter.zone : '')

    let text: string | null = null
    if (store.error) text = t('common.loadError', { msg: store.error })
    else if (!store.loaded) text = t('common.loading')
    else if (store.nodes.size === 0) text = t('nodes.noNodes')
    else if (matching.length === 0) text = t('nodes.empty')
    message.hidden = text === null
    setText(message, text ?? '')
    retry.hidden = !store.error
    table.hidden = matching.length === 0
  }

  function schedule(): void {
    if (!frame) frame = requestAnimationFrame(relist)
  }

  function changed(): void {
    pager.reset()
    ctx.router.replaceParams(filterToParams(filter))
    schedule()
  }

  let searchTimer: ReturnType<typeof setTimeout> | undefined
  search.addEventListener('input', () => {
    clearTimeout(searchTimer)
    searchTimer = setTimeout(() => {
      filter.q = search.value
      changed()
    }, 120)
  })
  zoneSelect.input.addEventListener('change', () => {
    filter.zone = zoneSelect.input.value
    changed()
  })
  stateSelect.input.addEventListener('change', () => {
    filter.state = stateSelect.input.value as NodeFilter['state']
    changed()
  })
  sortSelect.input.addEventListener('change', () => {
    filter.sort = sortSelect.input.value as NodeFilter['sort']
    changed()
  })

  const offs = [
    store.on('nodes', (ids) => {
      if (ids === null) {
        sorted = null
        names.clear()
        for (const n of store.nodes.values()) names.set(n.id, n.name)
      } else {
        for (const id of ids) {
          const name = store.nodes.get(id)?.name
          if (names.get(id) !== name) sorted = null
          if (name !== undefined) names.set(id, name)
        }
      }
      schedule()
    }),
    store.on('error', schedule),
  ]
  for (const n of store.nodes.values()) names.set(n.id, n.name)
  const tick = setInterval(() => {
    list.refresh()
    zoneCmd.refresh()
  }, TICK_MS)
  relist()

  return {
    el,
    destroy() {
      for (const off of offs) off()
      clearInterval(tick)
      clearTimeout(searchTimer)
      if (frame) cancelAnimationFrame(frame)
      pager.destroy()
      zoneCmd.destroy()
      inStep?.destroy()
    },
  }
}
