import { waitParts } from '../access.js'
import type { AccessApi } from '../access-api.js'
import type { Me } from '../access-types.js'
import { ApiError } from '../api.js'
import { h, setHidden, setText } from '../dom.js'
import type { I18n } from '../i18n.js'

/** Why the login page is shown: first visit, a session that ended, or a logout. */
export type LoginReason = 'none' | 'expired' | 'loggedOut'

/** "2 分 5 秒" / "45 秒" for a lockout's wait. */
export function waitText(i18n: I18n, sec: number): string {
  const { min, sec: s } = waitParts(sec)
  if (min === 0) return i18n.t('login.waitSec', { sec: s })
  return s === 0 ? i18n.t('login.waitMin', { min }) : i18n.t('login.waitMinSec', { min, sec: s })
}

/**
 * The login page, shown instead of the app while there is no session: username and password,
 * a clear message for a wrong password and for a lockout (with a countdown), and the first-start
 * note. The route in the address bar is kept, so the app opens where the user was.
 */
export function createLoginPage(
  i18n: I18n,
  opts: { api: AccessApi; reason: LoginReason; username?: string; onLogin: (me: Me) => void },
) {
  const t = i18n.t
  const username = h('input', {
    id: 'login-user',
    name: 'username',
    autocomplete: 'username',
    autocapitalize: 'none',
    spellcheck: 'false',
    required: true,
    maxlength: 64,
  })
  username.value = opts.username ?? ''
  const password = h('input', {
    id: 'login-password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    maxlength: 256,
  })
  const note = h('p', { class: 'login-note', role: 'status', hidden: opts.reason === 'none' })
  if (opts.reason !== 'none') setText(note, t(`login.reason.${opts.reason}`))
  const error = h('p', { class: 'login-error', role: 'alert', hidden: true })
  const submit = h(
    'button',
    { type: 'submit', class: 'button primary login-submit' },
    t('login.submit'),
  )
  const lang = h(
    'button',
    { type: 'button', class: 'lang', lang: i18n.lang() === 'zh' ? 'en' : 'zh-CN' },
    t('lang.switch'),
  )
  lang.setAttribute('aria-label', t('lang.switchLabel'))
  lang.addEventListener('click', () => i18n.setLang(i18n.lang() === 'zh' ? 'en' : 'zh'))

  const form = h(
    'form',
    { class: 'panel login-card', 'aria-labelledby': 'login-h', novalidate: true },
    h('h1', { id: 'login-h' }, t('login.heading')),
    note,
    h('div', { class: 'field' }, h('label', { for: 'login-user' }, t('login.username')), username),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'login-password' }, t('login.password')),
      password,
    ),
    error,
    submit,
    h('p', { class: 'login-first' }, t('login.firstStart')),
  )
  const el = h(
    'div',
    { class: 'login-screen' },
    h(
      'header',
      { class: 'top' },
      h(
        'div',
        { class: 'top-inner login-top' },
        h(
          'span',
          { class: 'brand' },
          h('span', { class: 'brand-mark', 'aria-hidden': 'true' }),
          h('span', { class: 'brand-name', lang: 'zh-CN' }, '城北之声'),
          h('span', { class: 'brand-sep', 'aria-hidden': 'true' }, '·'),
          h('span', { class: 'brand-product', lang: 'en' }, 'Chorus'),
        ),
        h('div', { class: 'top-tools' }, lang),
      ),
    ),
    h('main', { class: 'login-main', id: 'main' }, form),
  )

  let lockedUntil = 0
  let timer: ReturnType<typeof setInterval> | undefined
  let busy = false

  function showError(text: string | null): void {
    setHidden(error, text === null)
    setText(error, text ?? '')
  }

  function lockout(sec: number): void {
    lockedUntil = Date.now() + sec * 1000
    clearInterval(timer)
    const tick = () => {
      const left = (lockedUntil - Date.now()) / 1000
      if (left <= 0) {
        clearInterval(timer)
        submit.disabled = false
        showError(t('login.unlocked'))
        return
      }
      submit.disabled = true
      showError(t('login.locked', { wait: waitText(i18n, left) }))
    }
    tick()
    timer = setInterval(tick, 1000)
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault()
    if (busy || Date.now() < lockedUntil) return
    if (!username.value.trim() || !password.value) {
      showError(t('login.missing'))
      ;(username.value.trim() ? password : username).focus()
      return
    }
    busy = true
    submit.disabled = true
    setText(submit, t('login.busy'))
    showError(null)
    opts.api.login(username.value.trim(), password.value).then(
      (me) => opts.onLogin(me),
      (err: unknown) => {
        busy = false
        submit.disabled = false
        setText(submit, t('login.submit'))
        const code = err instanceof ApiError ? err.code : null
        if (code === 'LOGIN_LOCKED') {
          const details = (err as ApiError).details as { retryAfterSec?: unknown } | null
          const sec = Number(details?.retryAfterSec)
          lockout(Number.isFinite(sec) && sec > 0 ? sec : 30)
          return
        }
        password.value = ''
        password.focus()
        if (code === 'LOGIN_FAILED') showError(t('login.failed'))
        else if (code === 'RATE_LIMITED') showError(t('login.rateLimited'))
        else if (err instanceof ApiError && err.status !== 0) {
          showError(t('login.error', { msg: err.message }))
        } else showError(t('login.network'))
      },
    )
  })

  return {
    el,
    /** Focuses the first empty field. */
    focus(): void {
      ;(username.value ? password : username).focus()
    },
    /** The typed username, kept when the page is rebuilt in another language. */
    username: () => username.value,
    destroy(): void {
      clearInterval(timer)
    },
  }
}
