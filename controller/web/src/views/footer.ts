import type { Api } from '../api.js'
import { h, setAttr, setText } from '../dom.js'
import { duration } from '../format.js'
import type { I18n } from '../i18n.js'
import type { Health } from '../types.js'

const POLL_MS = 30_000

/** The footer: the controller's health (GET /api/health), polled. */
export function createFooter(i18n: I18n, api: Api) {
  const t = i18n.t
  const status = h('span', { class: 'health-status' })
  const details = h('span', { class: 'health-details' })
  const el = h(
    'footer',
    { class: 'bottom', 'aria-label': t('footer.label') },
    h('div', { class: 'bottom-inner' }, status, details),
  )

  function show(health: Health | null): void {
    if (!health) {
      setAttr(status, 'class', 'health-status health-down')
      setText(status, t('footer.unreachable'))
      setText(details, '')
      return
    }
    setAttr(status, 'class', `health-status health-${health.status}`)
    setText(status, t(`footer.status.${health.status}`))
    const b = health.broker
    if (!b || !health.database || health.uptimeSec === undefined || !health.version) {
      // Anonymous answer (the session just ended): liveness only.
      setText(details, '')
      return
    }
    const brokerState = [
      t(b.connected ? 'footer.connected' : 'footer.disconnected'),
      b.clients === null ? null : t('footer.brokerClients', { n: b.clients }),
    ]
      .filter(Boolean)
      .join(t('common.listSep'))
    setText(
      details,
      [
        t('footer.version', { version: health.version }),
        t('footer.uptime', { uptime: duration(health.uptimeSec, i18n) }),
        t('footer.broker', { mode: t(`footer.${b.mode}`), state: brokerState }),
        t('footer.database', { state: t(health.database.ok ? 'footer.dbOk' : 'footer.dbError') }),
      ].join(' · '),
    )
  }

  const poll = () => {
    api.health().then(show, () => show(null))
  }
  poll()
  const timer = setInterval(poll, POLL_MS)

  return {
    el,
    refresh: poll,
    destroy: () => clearInterval(timer),
  }
}
