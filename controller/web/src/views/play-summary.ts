import { h } from '../dom.js'
import type { I18n } from '../i18n.js'
import { reasonText } from './play-row.js'
import type { ItemSummary } from './plays-data.js'

/** The per-item counts table (a day has tens of items, so it is simply rebuilt). */
export function createSummaryTable(i18n: I18n) {
  const t = i18n.t
  const head = [
    t('plays.col.scheduled'),
    t('plays.col.item'),
    t('plays.col.started'),
    t('plays.col.finished'),
    t('plays.col.failed'),
    t('plays.col.reasons'),
  ]
  const tbody = h('tbody')
  const el = h(
    'table',
    { class: 'grid summary-table' },
    h('caption', { class: 'sr-only' }, t('plays.byItemCaption')),
    h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { scope: 'col' }, c)))),
    tbody,
  )
  const num = (label: string, n: number, cls: string) =>
    h('td', { class: `num ${n > 0 ? cls : 'zero'}`, 'data-label': label }, String(n))

  return {
    el,
    render(rows: readonly ItemSummary[]): void {
      el.hidden = rows.length === 0
      tbody.replaceChildren(
        ...rows.map((s) => {
          const reasons = [...s.reasons]
            .map(([r, n]) => `${reasonText(i18n, r)} ×${n}`)
            .join(t('common.listSep'))
          return h(
            'tr',
            { 'data-item-id': s.itemId },
            h('td', { class: 'cell-clock', 'data-label': head[0] }, s.clock ?? t('common.none')),
            h('th', { scope: 'row', class: 'cell-item', title: s.itemId }, s.title ?? s.itemId),
            num(head[2] ?? '', s.started, 'started'),
            num(head[3] ?? '', s.finished, 'finished'),
            num(head[4] ?? '', s.failed, 'failed'),
            h('td', { class: 'cell-reasons', 'data-label': head[5] }, reasons || t('common.none')),
          )
        }),
      )
    },
  }
}
