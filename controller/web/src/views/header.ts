import { mayOpen } from '../access.js'
import { h, setAttr, setHidden, setText } from '../dom.js'
import type { I18n, MessageKey } from '../i18n.js'
import type { Session } from '../session.js'
import type { ConnState, Store } from '../store.js'
import { createUserMenu } from './user-menu.js'

/** Pages in the navigation, in order. */
export const PAGES: { path: string; label: MessageKey }[] = [
  { path: '/nodes', label: 'nav.nodes' },
  { path: '/map', label: 'nav.map' },
  { path: '/install', label: 'access.nav.install' },
  { path: '/alerts', label: 'nav.alerts' },
  { path: '/plays', label: 'nav.plays' },
  { path: '/programme', label: 'nav.programme' },
  { path: '/calendar', label: 'nav.calendar' },
  { path: '/audio', label: 'nav.audio' },
  { path: '/announcements', label: 'nav.announcements' },
  { path: '/reports', label: 'nav.reports' },
  { path: '/users', label: 'access.nav.admin' },
]

/**
 * The header: brand, page tabs (behind a menu button on a phone), the live indicator and the
 * language switch. The alerts tab carries the number of open alerts.
 */
export function createHeader(i18n: I18n, store: Store, session: Session) {
  const t = i18n.t
  const alertCount = h('span', { class: 'nav-count', hidden: true })
  // Only the pages the user's roles may open.
  const pages = PAGES.filter((p) => mayOpen(p.path, session.me.roles))
  const user = createUserMenu(i18n, session)
  const links = pages.map((p) =>
    h(
      'a',
      { href: `#${p.path}`, 'data-path': p.path },
      t(p.label),
      p.path === '/alerts' ? alertCount : null,
    ),
  )
  const connText = h('span', { class: 'conn-text' })
  const conn = h(
    'span',
    { class: 'conn', role: 'status' },
    h('span', { class: 'dot', 'aria-hidden': 'true' }),
    connText,
  )
  const lang = h(
    'button',
    {
      type: 'button',
      class: 'lang',
      lang: i18n.lang() === 'zh' ? 'en' : 'zh-CN',
      'aria-label': t('lang.switchLabel'),
    },
    t('lang.switch'),
  )
  lang.addEventListener('click', () => i18n.setLang(i18n.lang() === 'zh' ? 'en' : 'zh'))
  const menuCount = h('span', { class: 'nav-count', hidden: true })
  const menu = h(
    'button',
    {
      type: 'button',
      class: 'menu',
      'aria-expanded': 'false',
      'aria-controls': 'nav',
    },
    h('span', { class: 'menu-icon', 'aria-hidden': 'true' }),
    h('span', { class: 'menu-text' }, t('nav.menu')),
    menuCount,
  )
  const nav = h(
    'nav',
    { class: 'tabs', id: 'nav', 'aria-label': t('nav.label') },
    ...links,
    user.navEl,
  )
  const setOpen = (open: boolean) => {
    setAttr(menu, 'aria-expanded', String(open))
    nav.classList.toggle('open', open)
  }
  menu.addEventListener('click', () => setOpen(menu.getAttribute('aria-expanded') !== 'true'))
  nav.addEventListener('click', (e) => {
    if ((e.target as Element).closest('a')) setOpen(false)
  })

  const el = h(
    'header',
    { class: 'top' },
    h(
      'div',
      { class: 'top-inner' },
      h(
        'a',
        { class: 'brand', href: '#/' },
        h('span', { class: 'brand-mark', 'aria-hidden': 'true' }),
        h('span', { class: 'brand-name', lang: 'zh-CN' }, '城北之声'),
        h('span', { class: 'brand-sep', 'aria-hidden': 'true' }, '·'),
        h('span', { class: 'brand-product', lang: 'en' }, 'Chorus'),
      ),
      h('div', { class: 'top-tools' }, conn, user.el, lang, menu),
      nav,
    ),
  )

  const showConn = (state: ConnState) => {
    setAttr(conn, 'class', `conn conn-${state}`)
    setAttr(conn, 'data-state', state)
    setText(connText, t(`conn.${state}`))
    setAttr(conn, 'title', t(`conn.${state}Title`))
  }
  const showAlerts = () => {
    const n = store.openAlerts.size
    for (const c of [alertCount, menuCount]) {
      setHidden(c, n === 0)
      setText(c, String(n))
      setAttr(c, 'aria-label', t('nav.openAlerts', { n }))
    }
  }
  showConn(store.conn)
  showAlerts()
  const offs = [store.on('conn', showConn), store.on('alerts', showAlerts)]

  return {
    el,
    /** Marks the tab of the shown page. */
    setActive(path: string): void {
      for (const a of links) setAttr(a, 'aria-current', a.dataset.path === path ? 'page' : null)
      setOpen(false)
    },
    destroy(): void {
      user.destroy()
      for (const off of offs) off()
    },
  }
}
