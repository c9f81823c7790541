import { h, setAttr, setHidden, setText } from '../dom.js'
import type { I18n } from '../i18n.js'
import type { Column, Counts, DayReport, NodeReport } from '../programme-types.js'
import type { Zone } from '../types.js'
import { createDeviationPanel, deviationMs } from './deviation-panel.js'
import { createKeyedList } from './keyed-list.js'
import { zoneTree } from './node-filter.js'
import { createPager } from './pager.js'
import { percent, reasonsText } from './programme-text.js'
import { showReportItems } from './report-items.js'

/** The outcome counts shown, in order. */
export const COUNT_KEYS = [
  'scheduled',
  'played',
  'madeGood',
  'silent',
  'interrupted',
  'failed',
  'missed',
  'pending',
] as const

/** Whether a node has anything other than played or pending. */
export function hasProblems(c: Counts): boolean {
  return c.silent + c.interrupted + c.failed + c.missed > 0
}

function countCells(i18n: I18n, c: Counts): HTMLElement[] {
  return COUNT_KEYS.map((k) =>
    h(
      'td',
      {
        class: `num ${c[k] === 0 ? 'zero' : k === 'played' ? 'finished' : k === 'failed' || k === 'missed' || k === 'silent' ? 'failed' : ''}`,
        'data-label': i18n.t(`report.count.${k}`),
        'data-count': k,
      },
      String(c[k]),
    ),
  )
}

function countHead(i18n: I18n, first: string, extra: string[] = []): HTMLElement {
  return h(
    'thead',
    {},
    h(
      'tr',
      {},
      h('th', { scope: 'col' }, first),
      ...extra.map((e) => h('th', { scope: 'col', class: 'num' }, e)),
      ...COUNT_KEYS.map((k) =>
        h('th', { scope: 'col', class: 'num' }, i18n.t(`report.count.${k}`)),
      ),
      h('th', { scope: 'col' }, i18n.t('report.reasons')),
    ),
  )
}

/**
 * One date's proof of play: the district's totals, per zone (the tree, each zone counting
 * everything below it), per column, and per node with each item's status and reason.
 */
export function createDayReport(
  i18n: I18n,
  deps: {
    tz: () => string
    zones: () => readonly Zone[]
    column: (id: string | null) => Column | undefined
  },
) {
  const t = i18n.t
  const cards = h('div', { class: 'counts rp-cards' })
  const reasons = h('p', { class: 'rp-reasons' })
  const drill = h('p', { class: 'panel-note rp-drill' })
  const zones = h('tbody')
  const columns = h('tbody')
  const nodes = h('tbody')
  const onlyProblems = h('input', { type: 'checkbox', id: 'rp-problems' })
  const nodesTable = h(
    'table',
    { class: 'grid rp-nodes' },
    h('caption', { class: 'sr-only' }, t('report.byNode')),
    countHead(i18n, t('report.node'), [t('report.deviationP95')]),
    nodes,
  )
  const deviation = createDeviationPanel(i18n, {
    label: t('deviation.fleetDay'),
    tableTitle: t('deviation.segments'),
  })
  let report: DayReport | null = null
  const pager = createPager(i18n, () => renderNodes())
  onlyProblems.addEventListener('change', () => {
    pager.reset()
    renderNodes()
  })
  const el = h(
    'div',
    { class: 'rp-day' },
    cards,
    reasons,
    drill,
    deviation.el,
    h('h3', {}, t('report.byZone')),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'grid rp-zones' },
        h('caption', { class: 'sr-only' }, t('report.byZone')),
        countHead(i18n, t('report.zone'), [t('report.nodes')]),
        zones,
      ),
    ),
    h('h3', {}, t('report.byColumn')),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'grid rp-columns' },
        h('caption', { class: 'sr-only' }, t('report.byColumn')),
        countHead(i18n, t('report.column')),
        columns,
      ),
    ),
    h(
      'div',
      { class: 'rp-nodes-head' },
      h('h3', {}, t('report.byNode')),
      h('label', { class: 'check', for: 'rp-problems' }, onlyProblems, t('report.onlyProblems')),
    ),
    h('div', { class: 'table-wrap' }, nodesTable),
    pager.el,
  )

  const nodeList = createKeyedList<NodeReport>({
    container: nodes,
    key: (n) => n.nodeId,
    create: () => {
      let shown: NodeReport | null = null
      const name = h('a', { class: 'node-name' })
      const test = h('span', { class: 'tag' }, t('announce.testNode'))
      const zone = h('span', { class: 'node-id' })
      const more = h('button', { type: 'button', class: 'button small rp-more' }, t('report.items'))
      more.addEventListener('click', () => {
        if (shown) void showReportItems(i18n, shown, deps.tz())
      })
      const th = h('th', { scope: 'row', class: 'rp-node' }, name, test, zone, more)
      const row = h('tr', {}, th)
      return {
        el: row,
        update(n: NodeReport): void {
          shown = n
          setAttr(row, 'data-node-id', n.nodeId)
          setAttr(row, 'data-problems', String(hasProblems(n)))
          setText(name, n.name)
          name.href = `#/nodes/${encodeURIComponent(n.nodeId)}`
          setHidden(test, !n.isTest)
          setText(zone, n.zoneName)
          setAttr(more, 'aria-label', t('report.itemsOf', { node: n.name }))
          const dev = n.deviation ? deviationMs(i18n, n.deviation.p95) : '—'
          row.replaceChildren(
            th,
            h('td', { class: 'num', 'data-label': t('report.deviationP95') }, dev),
            ...countCells(i18n, n),
            h(
              'td',
              { class: 'cell-reasons', 'data-label': t('report.reasons') },
              reasonsText(i18n, n.reasons),
            ),
          )
        },
      }
    },
  })

  function renderNodes(): void {
    if (!report) return
    const all = onlyProblems.checked ? report.nodes.filter(hasProblems) : report.nodes
    nodeList.render(all.slice(0, pager.limit))
    pager.show(nodeList.size, all.length)
    nodesTable.hidden = all.length === 0
  }

  /** Each zone's depth and place in the tree (the report's rows come in no fixed order). */
  function treeOf(): Map<string, { depth: number; index: number }> {
    return new Map(
      zoneTree(deps.zones()).map(({ zone, depth }, index) => [zone.id, { depth, index }]),
    )
  }

  return {
    el,
    show(r: DayReport): void {
      report = r
      const c = r.totals
      cards.replaceChildren(
        ...COUNT_KEYS.map((k) =>
          h(
            'div',
            { class: `count rp-card rp-card-${k}`, 'data-count': k },
            h('span', { class: 'count-value' }, String(c[k])),
            h('span', { class: 'count-label' }, t(`report.count.${k}`)),
          ),
        ),
      )
      setText(
        reasons,
        [
          t('report.playedShare', { pct: percent(c.played, c.scheduled), speakers: r.speakers }),
          reasonsText(i18n, c.reasons),
        ]
          .filter(Boolean)
          .join(' · '),
      )
      setText(
        drill,
        r.drill.scheduled > 0
          ? t('report.drillCounts', { scheduled: r.drill.scheduled, played: r.drill.played })
          : '',
      )
      setHidden(drill, r.drill.scheduled === 0)
      const tree = treeOf()
      const place = (id: string) => tree.get(id)?.index ?? Number.MAX_SAFE_INTEGER
      const byTree = [...r.byZone].sort((a, b) => place(a.zoneId) - place(b.zoneId))
      zones.replaceChildren(
        ...byTree.map((z) => {
          const name = h('th', { scope: 'row' }, z.name)
          name.style.setProperty('--depth', String(tree.get(z.zoneId)?.depth ?? 0))
          return h(
            'tr',
            { 'data-zone-id': z.zoneId },
            name,
            h('td', { class: 'num', 'data-label': t('report.nodes') }, String(z.nodes)),
            ...countCells(i18n, z),
            h(
              'td',
              { class: 'cell-reasons', 'data-label': t('report.reasons') },
              reasonsText(i18n, z.reasons),
            ),
          )
        }),
      )
      columns.replaceChildren(
        ...r.byColumn.map((c) => {
          const col = deps.column(c.columnId)
          const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' })
          if (col) swatch.style.background = col.colour
          return h(
            'tr',
            { 'data-column-id': c.columnId ?? 'none' },
            h('th', { scope: 'row' }, col ? swatch : null, c.name ?? t('report.noColumn')),
            ...countCells(i18n, c),
            h(
              'td',
              { class: 'cell-reasons', 'data-label': t('report.reasons') },
              reasonsText(i18n, c.reasons),
            ),
          )
        }),
      )
      deviation.show(r.deviation?.fleet ?? null, r.deviation?.segments ?? [], deps.tz())
      pager.reset()
      nodeList.render([])
      renderNodes()
    },
    destroy: () => pager.destroy(),
  }
}
