import { h } from '../dom.js'
import type { I18n, MessageKey } from '../i18n.js'

/** The admin pages, under one tab. */
const ADMIN_PAGES: { path: string; label: MessageKey }[] = [
  { path: '/users', label: 'users.heading' },
  { path: '/tokens', label: 'tokens.heading' },
  { path: '/audit', label: 'audit.heading' },
]

/** The sub-navigation of the admin pages (users, API tokens, audit log). */
export function adminNav(i18n: I18n, current: string): HTMLElement {
  return h(
    'nav',
    { class: 'subnav', 'aria-label': i18n.t('access.nav.admin') },
    ...ADMIN_PAGES.map((p) =>
      h(
        'a',
        { href: `#${p.path}`, 'aria-current': p.path === current ? 'page' : null },
        i18n.t(p.label),
      ),
    ),
  )
}
