import { h, setAttr, setHidden, setText } from '../dom.js'
import { dayLabel } from '../format.js'
import type { I18n } from '../i18n.js'
import type { ProgrammeApi } from '../programme-api.js'
import type { Readiness } from '../programme-types.js'
import type { Store } from '../store.js'
import { apiErrorText, clock, tOr } from './programme-text.js'

/** Not-ready nodes listed by name before "and N more". */
const LISTED = 50
/** Readiness reports come in bursts (a download round of the fleet): refetch at most this often. */
const REFRESH_MS = 2000

/**
 * Tomorrow's readiness, prominent: "431 / 435 个节点已就绪；4 个将漏播：…" with each not-ready
 * node, why, and which segments it would miss. Refreshed when nodes report readiness or the
 * programme changes.
 */
export function createReadinessPanel(i18n: I18n, api: ProgrammeApi, store: Store) {
  const t = i18n.t
  const headline = h('p', { class: 'ready-headline' })
  const detail = h('p', { class: 'ready-detail' })
  const list = h('ul', { class: 'ready-list' })
  const more = h('p', { class: 'panel-note' })
  const el = h(
    'section',
    { class: 'panel ready', 'aria-labelledby': 'ready-h', 'aria-live': 'polite' },
    h('h2', { class: 'panel-title', id: 'ready-h' }, t('ready.heading')),
    headline,
    detail,
    list,
    more,
  )
  let timer: ReturnType<typeof setTimeout> | undefined
  let abort: AbortController | null = null

  function show(r: Readiness): void {
    const missing = r.total - r.ready
    setAttr(el, 'data-ready', missing === 0 ? 'all' : 'some')
    setAttr(el, 'data-date', r.date)
    setText(
      headline,
      r.total === 0
        ? t('ready.noNodes', { day: dayLabel(r.date, i18n.locale()) })
        : t('ready.headline', {
            day: dayLabel(r.date, i18n.locale()),
            ready: r.ready,
            total: r.total,
          }),
    )
    setText(detail, missing === 0 ? t('ready.allReady') : t('ready.willMiss', { n: missing }))
    setAttr(detail, 'class', `ready-detail ${missing === 0 ? 'ok' : 'bad'}`)
    list.replaceChildren(
      ...r.notReady.slice(0, LISTED).map((n) => {
        const titles = n.missing.map((m) => `${clockOfItem(m.itemId)} ${m.title}`.trim())
        return h(
          'li',
          { 'data-node-id': n.nodeId },
          h('a', { href: `#/nodes/${encodeURIComponent(n.nodeId)}`, class: 'node-name' }, n.name),
          h(
            'span',
            { class: `badge ${n.online ? 'state-online' : 'state-offline'}` },
            t(n.online ? 'ready.online' : 'ready.offline'),
          ),
          h('span', { class: 'ready-reason' }, tOr(i18n, `ready.reason.${n.reason}`, n.reason)),
          titles.length > 0
            ? h('span', { class: 'ready-missing' }, titles.join(t('common.listSep')))
            : null,
        )
      }),
    )
    setHidden(list, r.notReady.length === 0)
    setText(
      more,
      r.notReady.length > LISTED ? t('ready.more', { n: r.notReady.length - LISTED }) : '',
    )
    setHidden(more, r.notReady.length <= LISTED)
  }

  async function load(): Promise<void> {
    abort?.abort()
    const ac = new AbortController()
    abort = ac
    try {
      const r = await api.readiness(undefined, ac.signal)
      if (!ac.signal.aborted) show(r)
    } catch (err) {
      if (ac.signal.aborted) return
      setText(headline, t('common.loadError', { msg: apiErrorText(i18n, err) }))
    }
  }

  const later = () => {
    if (timer === undefined) {
      timer = setTimeout(() => {
        timer = undefined
        void load()
      }, REFRESH_MS)
    }
  }
  setText(headline, t('common.loading'))
  const offs = [
    store.on('readiness', later),
    store.on('programme', later),
    store.on('resync', later),
  ]
  void load()
  return {
    el,
    reload: load,
    destroy(): void {
      for (const off of offs) off()
      clearTimeout(timer)
      abort?.abort()
    },
  }
}

/** "07:30" from a plan item id `2026-11-28/t073000`, else ''. */
function clockOfItem(itemId: string): string {
  const m = /\/t(\d{2})(\d{2})(\d{2})/.exec(itemId)
  return m ? clock(`${m[1]}:${m[2]}:${m[3]}`) : ''
}
