import { h, setAttr, setText } from '../dom.js'
import type { I18n, MessageKey } from '../i18n.js'
import type { ConnState, Store } from '../store.js'

/** Pages in the navigation, in order; later issues add more here. */
export const PAGES: { path: string; label: MessageKey }[] = [
  { path: '/nodes', label: 'nav.nodes' },
  { path: '/plays', label: 'nav.plays' },
]

/** The header: brand, page tabs, the live indicator and the language switch. */
export function createHeader(i18n: I18n, store: Store) {
  const t = i18n.t
  const links = PAGES.map((p) => h('a', { href: `#${p.path}`, 'data-path': p.path }, t(p.label)))
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

  const el = h(
    'header',
    { class: 'top' },
    h(
      'div',
      { class: 'top-inner' },
      h(
        'a',
        { class: 'brand', href: '#/nodes' },
        h('span', { class: 'brand-mark', 'aria-hidden': 'true' }),
        h('span', { class: 'brand-name', lang: 'zh-CN' }, '城北之声'),
        h('span', { class: 'brand-sep', 'aria-hidden': 'true' }, '·'),
        h('span', { class: 'brand-product', lang: 'en' }, 'Chorus'),
      ),
      h('div', { class: 'top-tools' }, conn, lang),
      h('nav', { class: 'tabs', 'aria-label': t('nav.label') }, ...links),
    ),
  )

  const showConn = (state: ConnState) => {
    setAttr(conn, 'class', `conn conn-${state}`)
    setAttr(conn, 'data-state', state)
    setText(connText, t(`conn.${state}`))
    setAttr(conn, 'title', t(`conn.${state}Title`))
  }
  showConn(store.conn)
  const off = store.on('conn', showConn)

  return {
    el,
    /** Marks the tab of the shown page. */
    setActive(path: string): void {
      for (const a of links) setAttr(a, 'aria-current', a.dataset.path === path ? 'page' : null)
    },
    destroy: off,
  }
}
