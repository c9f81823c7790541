import { h, setAttr, setHidden, setText } from '../dom.js'
import { shortDateTime } from '../format.js'
import { programmeApi } from '../programme-api.js'
import type { Announcement } from '../programme-types.js'
import { createAnnounceForm } from './announce-form.js'
import { createAnnounceStatus } from './announce-status.js'
import { confirmDialog } from './dialog.js'
import { createKeyedList } from './keyed-list.js'
import { createLibrary } from './library.js'
import { apiErrorText } from './programme-text.js'
import type { ViewFactory } from './view.js'
import { zonesText } from './zone-tree.js'

/**
 * Urgent announcements (插播, `#/announcements?id=`): the form, the recent announcements, and
 * the chosen one's live delivery per node (acknowledged, pending, failed), updated from the
 * stream's `announcements` events.
 */
export const announcementsView: ViewFactory = (ctx, route) => {
  const { i18n, store } = ctx
  const t = i18n.t
  const api = programmeApi
  const library = createLibrary(api, store)
  const byId = new Map<string, Announcement>()
  let selected = route.params.get('id')
  let abort: AbortController | null = null

  const form = createAnnounceForm(i18n, {
    api,
    tz: () => store.tz,
    zones: () => store.zones,
    zoneOf: (id) => store.zone(id),
    columns: () => library.columns,
    onSent: (a) => {
      upsert([a])
      select(a.id)
    },
  })
  const detail = createAnnounceStatus(i18n, {
    tz: () => store.tz,
    zoneOf: (id) => store.zone(id),
    cancel: (a) => void cancel(a),
  })
  const tbody = h('tbody')
  const cols = ['at', 'title', 'level', 'zones', 'status', 'ack'] as const
  const table = h(
    'table',
    { class: 'grid an-table' },
    h('caption', { class: 'sr-only' }, t('announce.recent')),
    h(
      'thead',
      {},
      h('tr', {}, ...cols.map((c) => h('th', { scope: 'col' }, t(`announce.col.${c}`)))),
    ),
    tbody,
  )
  const message = h('p', { class: 'message', hidden: true })
  const status = h('p', { class: 'panel-status', role: 'status' })
  const hint = h('p', { class: 'panel an-hint' }, t('announce.pickHint'))
  const el = h(
    'section',
    { class: 'page page-announce', 'aria-labelledby': 'an-h' },
    h('h1', { id: 'an-h' }, t('announce.heading')),
    h(
      'div',
      { class: 'an-layout' },
      form.el,
      h('div', { class: 'an-side' }, hint, detail.el, status),
    ),
    h('h2', {}, t('announce.recent')),
    h('div', { class: 'table-wrap' }, table),
    message,
  )

  const list = createKeyedList<Announcement>({
    container: tbody,
    key: (a) => a.id,
    create: () => {
      const at = h('time')
      const title = h('a', { class: 'an-link' })
      const level = h('td', { 'data-label': t('announce.col.level') })
      const zones = h('td', { 'data-label': t('announce.col.zones') })
      const badge = h('span', { class: 'badge' })
      const ack = h('td', { class: 'num', 'data-label': t('announce.col.ack') })
      const el = h(
        'tr',
        {},
        h('th', { scope: 'row', class: 'cell-time' }, at),
        h('td', { 'data-label': t('announce.col.title') }, title),
        level,
        zones,
        h('td', { 'data-label': t('announce.col.status') }, badge),
        ack,
      )
      title.addEventListener('click', (e) => {
        e.preventDefault()
        const id = el.dataset.announcementId
        if (id) select(id)
      })
      return {
        el,
        update(a: Announcement): void {
          setAttr(el, 'data-announcement-id', a.id)
          setAttr(el, 'aria-current', a.id === selected ? 'true' : null)
          setAttr(at, 'datetime', a.at)
          setText(at, shortDateTime(a.at, store.tz, i18n.locale()))
          setText(title, a.title)
          title.href = `#/announcements?id=${encodeURIComponent(a.id)}`
          setText(
            level,
            t(`announce.level.${a.level}`) + (a.drill ? ` · ${t('announce.drillTag')}` : ''),
          )
          setText(
            zones,
            zonesText(i18n, a.zones, (id) => store.zone(id)),
          )
          setAttr(badge, 'class', `badge as-${a.status}`)
          setText(badge, t(`announce.status.${a.status}`))
          setText(ack, `${a.counts.acknowledged} / ${a.counts.targeted}`)
        },
      }
    },
  })

  function render(): void {
    const all = [...byId.values()].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    list.render(all)
    table.hidden = all.length === 0
    setHidden(message, all.length > 0)
    const shown = selected ? (byId.get(selected) ?? null) : null
    detail.show(shown)
    setHidden(hint, shown !== null)
  }

  function upsert(views: readonly Announcement[]): void {
    for (const a of views) byId.set(a.id, a)
    render()
  }

  function select(id: string): void {
    selected = id
    ctx.router.replaceParams({ id })
    render()
    if (!byId.has(id)) {
      api.announcement(id).then(
        (a) => upsert([a]),
        () => {},
      )
    }
    // Re-render the list rows so the current one is marked.
    list.refresh()
  }

  async function cancel(a: Announcement): Promise<void> {
    const ok = await confirmDialog(i18n, {
      title: t('announce.cancelTitle'),
      text: t('announce.cancelText', { title: a.title }),
      ok: t('announce.cancel'),
      danger: true,
    })
    if (!ok) return
    try {
      upsert([await api.cancelAnnouncement(a.id)])
      setText(status, t('announce.cancelled', { title: a.title }))
    } catch (err) {
      setText(status, t('announce.failed', { msg: apiErrorText(i18n, err) }))
    }
  }

  async function load(): Promise<void> {
    abort?.abort()
    const ac = new AbortController()
    abort = ac
    try {
      const views = await api.announcements(ac.signal)
      if (ac.signal.aborted) return
      byId.clear()
      upsert(views)
      if (selected && !byId.has(selected)) select(selected)
      // Without a choice, the newest announcement still being delivered is shown.
      const live = views.find((a) => a.status === 'delivering' || a.status === 'scheduled')
      if (!selected && live) select(live.id)
      setText(message, t('announce.none'))
    } catch (err) {
      if (ac.signal.aborted) return
      setHidden(message, false)
      setText(message, t('common.loadError', { msg: apiErrorText(i18n, err) }))
    }
  }

  const offs = [
    store.on('announcements', (views) => upsert(views)),
    store.on('nodes', (ids) => {
      if (ids === null) form.setZones(store.zones)
    }),
    store.on('resync', () => void load()),
  ]
  // Deliveries also move when nodes come and go; the stream names them, but a slow poll keeps
  // the page right if an event was missed.
  const tick = setInterval(() => {
    if (selected)
      api.announcement(selected).then(
        (a) => upsert([a]),
        () => {},
      )
  }, 15_000)
  setText(message, t('common.loading'))
  void load()
  void library.load().catch(() => {})

  return {
    el,
    destroy() {
      for (const off of offs) off()
      clearInterval(tick)
      abort?.abort()
      library.destroy()
    },
  }
}
