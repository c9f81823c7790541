import { h, setHidden, setText } from '../dom.js'
import { timeOf } from '../format.js'
import type { I18n } from '../i18n.js'
import type { DeviationReport, DeviationStats, SegmentDeviation } from '../types.js'

/** "42 毫秒" below a second, "1.2 秒" from one on. */
export function deviationMs(i18n: I18n, ms: number): string {
  return ms < 1000
    ? i18n.t('deviation.ms', { n: Math.round(ms) })
    : i18n.t('deviation.s', { n: Math.round(ms / 100) / 10 })
}

/** "中位 40 毫秒 · P95 …" for a distribution. */
export function statsText(i18n: I18n, s: DeviationStats): string {
  const f = (ms: number) => deviationMs(i18n, ms)
  return i18n.t('deviation.stats', {
    p50: f(s.p50),
    p95: f(s.p95),
    p99: f(s.p99),
    max: f(s.max),
    count: s.count,
  })
}

/**
 * Start deviations (how in step the speakers started): one line of p50/p95/p99/max for the
 * fleet or a node, and optionally a table of segments (all of a date, or the worst of today).
 */
export function createDeviationPanel(i18n: I18n, opts: { label: string; tableTitle?: string }) {
  const t = i18n.t
  const line = h('p', { class: 'deviation-line', 'data-deviation': 'summary' })
  const body = h('tbody')
  const caption = h('caption', {}, opts.tableTitle ?? '')
  const head = ['time', 'title', 'count', 'p50', 'p95', 'p99', 'max'] as const
  const table = h(
    'table',
    { class: 'grid deviation-segments', hidden: true },
    caption,
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...head.map((k) =>
          h(
            'th',
            { scope: 'col', class: k === 'title' || k === 'time' ? '' : 'num' },
            t(`deviation.col.${k}`),
          ),
        ),
      ),
    ),
    body,
  )
  const el = h('div', { class: 'deviation-panel' }, line, h('div', { class: 'table-wrap' }, table))

  return {
    el,
    show(stats: DeviationStats | null, segments: readonly SegmentDeviation[] = [], tz = ''): void {
      setText(
        line,
        stats
          ? `${opts.label}：${statsText(i18n, stats)}`
          : `${opts.label}：${t('deviation.none')}`,
      )
      line.dataset.count = String(stats?.count ?? 0)
      body.replaceChildren(
        ...segments.map((s) =>
          h(
            'tr',
            { 'data-item-id': s.itemId },
            h('td', {}, s.scheduledAt && tz ? timeOf(s.scheduledAt, tz).slice(0, 5) : ''),
            h('th', { scope: 'row' }, s.title || s.itemId),
            h('td', { class: 'num' }, String(s.count)),
            ...[s.p50, s.p95, s.p99, s.max].map((v) =>
              h('td', { class: 'num' }, deviationMs(i18n, v)),
            ),
          ),
        ),
      )
      setHidden(table, segments.length === 0 || opts.tableTitle === undefined)
    },
    fail(): void {
      setText(line, `${opts.label}：${t('deviation.unavailable')}`)
      setHidden(table, true)
    },
  }
}

/** How often today's figures are fetched again. */
export const DEVIATION_REFRESH_MS = 60_000

/**
 * Today's figures for the dashboard (the fleet and its worst segments) or a node page (that node),
 * fetched now and every DEVIATION_REFRESH_MS until `destroy()`.
 */
export function createTodayDeviation(
  i18n: I18n,
  opts: {
    load: (signal: AbortSignal) => Promise<DeviationReport>
    tz: () => string
    /** A node page: only this node's figures. */
    nodeId?: string
  },
) {
  const t = i18n.t
  const panel = createDeviationPanel(
    i18n,
    opts.nodeId === undefined
      ? { label: t('deviation.fleetToday'), tableTitle: t('deviation.worst') }
      : { label: t('deviation.nodeToday') },
  )
  const ac = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  function load(): void {
    opts.load(ac.signal).then(
      (d) => {
        if (opts.nodeId === undefined) panel.show(d.fleet, d.worst, opts.tz())
        else panel.show(d.nodes.find((n) => n.nodeId === opts.nodeId) ?? null)
      },
      () => !ac.signal.aborted && panel.fail(),
    )
    timer = setTimeout(load, DEVIATION_REFRESH_MS)
  }
  load()
  return {
    el: panel.el,
    destroy(): void {
      ac.abort()
      clearTimeout(timer)
    },
  }
}
