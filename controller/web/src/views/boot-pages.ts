import { homeOf } from '../access.js'
import { errorText } from '../api.js'
import { h } from '../dom.js'
import type { I18n } from '../i18n.js'
import { rolesText } from './role-text.js'
import type { ViewFactory } from './view.js'

/** A page the user's roles may not open: says so, with a link to their first page. */
export const forbiddenView: ViewFactory = (ctx) => {
  const t = ctx.i18n.t
  const me = ctx.session.me
  const el = h(
    'section',
    { class: 'page page-forbidden', 'aria-labelledby': 'forbidden-h' },
    h('h1', { id: 'forbidden-h' }, t('access.forbidden.heading')),
    h(
      'p',
      { class: 'message' },
      t('access.forbidden.text', { roles: rolesText(ctx.i18n, me.roles) }),
    ),
    h('p', {}, h('a', { href: `#${homeOf(me.roles)}` }, t('access.forbidden.home'))),
  )
  return { el, destroy() {} }
}

/** The controller could not be asked who is signed in (not a 401): the error and a retry. */
export function bootErrorPage(i18n: I18n, err: unknown, retry: () => void): HTMLElement {
  const t = i18n.t
  const again = h('button', { type: 'button', class: 'button primary' }, t('common.retry'))
  again.addEventListener('click', retry)
  return h(
    'main',
    { class: 'login-main', id: 'main' },
    h(
      'div',
      { class: 'panel login-card' },
      h('h1', {}, t('access.boot.heading')),
      h(
        'p',
        { class: 'login-error', role: 'alert' },
        t('access.boot.text', { msg: errorText(err) }),
      ),
      again,
    ),
  )
}
