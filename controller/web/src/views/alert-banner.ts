import { h, setAttr, setHidden, setText } from '../dom.js'
import type { I18n } from '../i18n.js'
import type { Store } from '../store.js'
import type { Alert } from '../types.js'
import { alertText, countBySeverity, SEVERITIES, severityText } from './alert-text.js'

const rank = (a: Alert) => SEVERITIES.indexOf(a.severity)

/**
 * The banner on every page while alerts are open: how many by severity (most severe first), the
 * most severe and newest one in words, and a link to the list.
 */
export function createAlertBanner(i18n: I18n, store: Store) {
  const t = i18n.t
  const summary = h('strong', { class: 'banner-summary' })
  const counts = h('span', { class: 'banner-counts' })
  const top = h('span', { class: 'banner-top' })
  const link = h('a', { class: 'banner-link', href: '#/alerts' }, t('banner.link'))
  const el = h(
    'div',
    { class: 'banner', role: 'status', hidden: true },
    h(
      'div',
      { class: 'banner-inner' },
      h('span', { class: 'banner-icon', 'aria-hidden': 'true' }),
      h('span', { class: 'banner-text' }, summary, counts, top),
      link,
    ),
  )
  let frame = 0

  function render(): void {
    frame = 0
    const open = [...store.openAlerts.values()]
    setHidden(el, open.length === 0)
    if (open.length === 0) return
    const c = countBySeverity(open)
    const worst = SEVERITIES.find((s) => c[s] > 0) ?? 'info'
    setAttr(el, 'class', `banner banner-${worst}`)
    setAttr(el, 'data-severity', worst)
    setAttr(el, 'data-count', String(open.length))
    setText(summary, t('banner.summary', { n: open.length }))
    setText(
      counts,
      SEVERITIES.filter((s) => c[s] > 0)
        .map((s) => `${severityText(i18n, s)} ${c[s]}`)
        .join(' · '),
    )
    const first = open.sort((a, b) => rank(a) - rank(b) || (a.openedAt < b.openedAt ? 1 : -1))[0]
    setText(top, first ? alertText(i18n, store, first) : '')
  }
  const schedule = () => {
    frame ||= requestAnimationFrame(render)
  }
  const offs = [
    store.on('alerts', schedule),
    store.on('nodes', (ids) => ids === null && schedule()),
  ]
  render()

  return {
    el,
    destroy(): void {
      for (const off of offs) off()
      cancelAnimationFrame(frame)
    },
  }
}
