import { h, setAttr, setHidden, setText } from '../dom.js'
import { shortDateTime } from '../format.js'
import type { I18n } from '../i18n.js'
import type { Announcement, AnnouncementNode } from '../programme-types.js'
import type { Zone } from '../types.js'
import { createKeyedList } from './keyed-list.js'
import { percent, reportReasonText, tOr } from './programme-text.js'
import { zonesText } from './zone-tree.js'

/** Pending nodes named in the summary line before "…". */
const PENDING_NAMED = 30

/** "已播放" / "失败 · 下载失败" / "—" for a node's play of the announcement. */
export function playText(i18n: I18n, n: AnnouncementNode): string {
  if (!n.play) return i18n.t('announce.play.none')
  const word = tOr(i18n, `report.status.${n.play.status}`, n.play.status)
  return n.play.reason ? `${word} · ${reportReasonText(i18n, n.play.reason)}` : word
}

/** The delivery of a node: acknowledged, pending, or failed to play. */
export function deliveryOf(n: AnnouncementNode): 'acknowledged' | 'pending' | 'failed' {
  if (n.play && (n.play.status === 'failed' || n.play.status === 'silent')) return 'failed'
  return n.delivery
}

/**
 * One announcement's live delivery: status, counts, a progress bar of acknowledgements, the
 * nodes still pending (online ones first), and every targeted node with its delivery and play.
 */
export function createAnnounceStatus(
  i18n: I18n,
  deps: {
    tz: () => string
    zoneOf: (id: string) => Zone | undefined
    cancel: (a: Announcement) => void
  },
) {
  const t = i18n.t
  const heading = h('h2', { class: 'panel-title', id: 'as-h' })
  const meta = h('p', { class: 'as-meta' })
  const badge = h('span', { class: 'badge as-status' })
  const counts = h('p', { class: 'as-counts' })
  const bar = h('progress', { class: 'as-bar', max: 100, value: 0 })
  const pending = h('p', { class: 'as-pending' })
  const cancel = h(
    'button',
    { type: 'button', class: 'button danger-outline as-cancel' },
    t('announce.cancel'),
  )
  const tbody = h('tbody')
  const cols = ['node', 'zone', 'delivery', 'play', 'ack'] as const
  const table = h(
    'table',
    { class: 'grid as-table' },
    h('caption', { class: 'sr-only' }, t('announce.nodesCaption')),
    h(
      'thead',
      {},
      h('tr', {}, ...cols.map((c) => h('th', { scope: 'col' }, t(`announce.col.${c}`)))),
    ),
    tbody,
  )
  const el = h(
    'section',
    { class: 'panel as-panel', 'aria-labelledby': 'as-h', hidden: true },
    h('div', { class: 'as-head' }, heading, badge),
    meta,
    h('div', { class: 'as-progress', 'aria-live': 'polite' }, counts, bar),
    pending,
    h('div', { class: 'as-actions' }, cancel),
    h('div', { class: 'table-wrap' }, table),
  )
  let shown: Announcement | null = null
  cancel.addEventListener('click', () => {
    if (shown) deps.cancel(shown)
  })

  const list = createKeyedList<AnnouncementNode>({
    container: tbody,
    key: (n) => n.nodeId,
    create: () => {
      const name = h('a', { class: 'node-name' })
      const test = h('span', { class: 'tag' }, t('announce.testNode'))
      const zone = h('td', { 'data-label': t('announce.col.zone') })
      const delivery = h('span', { class: 'badge' })
      const online = h('span', { class: 'as-online' })
      const play = h('td', { 'data-label': t('announce.col.play'), class: 'as-play' })
      const ack = h('td', { 'data-label': t('announce.col.ack'), class: 'cell-time' })
      const el = h(
        'tr',
        {},
        h('th', { scope: 'row' }, name, test),
        zone,
        h('td', { 'data-label': t('announce.col.delivery') }, delivery, online),
        play,
        ack,
      )
      return {
        el,
        update(n: AnnouncementNode): void {
          const d = deliveryOf(n)
          setAttr(el, 'data-node-id', n.nodeId)
          setAttr(el, 'data-delivery', d)
          setText(name, n.name)
          name.href = `#/nodes/${encodeURIComponent(n.nodeId)}`
          setHidden(test, !n.isTest)
          setText(zone, deps.zoneOf(n.zoneId)?.name ?? n.zoneId)
          setAttr(delivery, 'class', `badge delivery-${d}`)
          setText(delivery, t(`announce.delivery.${d}`))
          setText(online, n.online ? '' : t('announce.offline'))
          setText(play, playText(i18n, n))
          setText(
            ack,
            n.acknowledgedAt
              ? shortDateTime(n.acknowledgedAt, deps.tz(), i18n.locale())
              : t('common.none'),
          )
        },
      }
    },
  })

  return {
    el,
    get id(): string | null {
      return shown?.id ?? null
    },
    show(a: Announcement | null): void {
      shown = a
      setHidden(el, a === null)
      if (!a) return
      setAttr(el, 'data-announcement-id', a.id)
      setAttr(el, 'data-status', a.status)
      setText(heading, a.title)
      setAttr(badge, 'class', `badge as-status as-${a.status}`)
      setText(badge, t(`announce.status.${a.status}`))
      const zones = zonesText(i18n, a.zones, deps.zoneOf)
      setText(
        meta,
        [
          t(`announce.level.${a.level}`),
          shortDateTime(a.at, deps.tz(), i18n.locale()),
          zones,
          a.drill ? t('announce.drillTag') : null,
          a.createdBy,
        ]
          .filter(Boolean)
          .join(' · '),
      )
      const c = a.counts
      setText(
        counts,
        t('announce.counts', {
          ack: c.acknowledged,
          total: c.targeted,
          pct: percent(c.acknowledged, c.targeted),
          pending: c.pending,
          pendingOnline: c.pendingOnline,
          played: c.played,
          failed: c.failed,
          interrupted: c.interrupted,
        }),
      )
      bar.value = c.targeted > 0 ? Math.round((c.acknowledged / c.targeted) * 100) : 0
      const waiting = a.nodes
        .filter((n) => n.delivery === 'pending')
        .sort((x, y) => Number(y.online) - Number(x.online))
      const names = waiting
        .slice(0, PENDING_NAMED)
        .map((n) => (n.online ? n.name : `${n.name}${t('programme.offlineMark')}`))
      setText(
        pending,
        waiting.length === 0
          ? t('announce.noPending')
          : t('announce.pendingList', {
              n: waiting.length,
              list: names.join(t('common.listSep')) + (waiting.length > PENDING_NAMED ? '…' : ''),
            }),
      )
      setAttr(pending, 'data-pending', String(waiting.length))
      setHidden(pending, a.status === 'cancelled')
      const over = a.status === 'cancelled' || Date.parse(a.latestStartAt) + 60_000 < Date.now()
      setHidden(cancel, over)
      list.render(a.nodes)
      table.hidden = a.nodes.length === 0
    },
  }
}
