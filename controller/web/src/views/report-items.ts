import { h } from '../dom.js'
import { timeOf } from '../format.js'
import type { I18n } from '../i18n.js'
import type { NodeReport } from '../programme-types.js'
import { infoDialog } from './info-dialog.js'
import { reportReasonText, tOr } from './programme-text.js'

/** One node's items of the date, each with its status and reason, in a dialog. */
export async function showReportItems(i18n: I18n, n: NodeReport, tz: string): Promise<void> {
  const t = i18n.t
  const list = h(
    'ol',
    { class: 'rp-items' },
    ...n.items.map((it) =>
      h(
        'li',
        { 'data-status': it.status, 'data-item-id': it.itemId },
        h('span', { class: 'rp-time' }, timeOf(it.scheduledAt, tz).slice(0, 5)),
        h('span', { class: 'rp-title' }, it.title || it.itemId),
        it.kind === 'announcement'
          ? h('span', { class: 'tag tag-warn' }, t('report.announcement'))
          : null,
        it.drill ? h('span', { class: 'tag' }, t('announce.drillTag')) : null,
        h(
          'span',
          { class: `badge rp-status rp-${it.status}` },
          tOr(i18n, `report.status.${it.status}`, it.status),
        ),
        it.reason ? h('span', { class: 'reason' }, reportReasonText(i18n, it.reason)) : null,
        it.makeGoodAt
          ? h('span', { class: 'rp-time' }, timeOf(it.makeGoodAt, tz).slice(0, 5))
          : null,
      ),
    ),
  )
  await infoDialog(i18n, {
    title: t('report.itemsTitle', { node: n.name }),
    body: [n.items.length > 0 ? list : h('p', { class: 'panel-note' }, t('report.noItems'))],
  })
}
