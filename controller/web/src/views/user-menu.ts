import { h } from '../dom.js'
import type { I18n } from '../i18n.js'
import type { Session } from '../session.js'
import { rolesText } from './role-text.js'

/**
 * The signed-in user in the header: a small menu with the roles, the account page (password)
 * and logout. A `<details>`, so it opens without script and closes on a click elsewhere. On a
 * phone it moves into the folded navigation (`navEl`).
 */
export function createUserMenu(i18n: I18n, session: Session) {
  const t = i18n.t
  const me = session.me
  const logout = h('button', { type: 'button', class: 'user-logout' }, t('account.logout'))
  const el = h(
    'details',
    { class: 'user-menu' },
    h(
      'summary',
      { class: 'user-name', 'aria-label': t('account.menuLabel', { user: me.username }) },
      h('span', { class: 'user-icon', 'aria-hidden': 'true' }),
      h('span', { class: 'user-text' }, me.username),
    ),
    h(
      'div',
      { class: 'user-panel' },
      h('p', { class: 'user-roles' }, rolesText(i18n, me.roles)),
      h('a', { href: '#/account', class: 'user-link' }, t('account.link')),
      logout,
    ),
  )
  // On a phone the same, at the end of the folded navigation (the top bar has no room).
  const navLogout = h('button', { type: 'button', class: 'nav-logout' }, t('account.logout'))
  const navEl = h(
    'div',
    { class: 'nav-user' },
    h(
      'a',
      { href: '#/account', class: 'nav-account' },
      t('account.navLink', { user: me.username }),
    ),
    navLogout,
  )
  for (const b of [logout, navLogout]) {
    b.addEventListener('click', () => {
      b.disabled = true
      void session.logout()
    })
  }
  el.addEventListener('click', (e) => {
    if ((e.target as Element).closest('a')) el.open = false
  })
  const outside = (e: MouseEvent) => {
    if (el.open && !el.contains(e.target as Node)) el.open = false
  }
  document.addEventListener('click', outside)
  return {
    el,
    navEl,
    destroy(): void {
      document.removeEventListener('click', outside)
    },
  }
}
