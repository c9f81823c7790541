import { passwordProblem } from '../access.js'
import { accessApi } from '../access-api.js'
import { ApiError } from '../api.js'
import { h, setHidden, setText } from '../dom.js'
import { accessErrorText } from './access-errors.js'
import { rolesText } from './role-text.js'
import type { ViewFactory } from './view.js'
import { zonesText } from './zone-tree.js'

/** A labelled input for a form. */
function field(id: string, label: string, input: HTMLInputElement, hint?: string): HTMLElement {
  input.id = id
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    input,
    hint ? h('p', { class: 'field-hint' }, hint) : null,
  )
}

/**
 * The user's own account (`#/account`): who they are, their roles and zones, a password change
 * and logout.
 */
export const accountView: ViewFactory = (ctx) => {
  const { i18n, store, session } = ctx
  const t = i18n.t
  const me = session.me
  const pw = (autocomplete: string) =>
    h('input', { type: 'password', autocomplete, required: true, maxlength: 256 })
  const current = pw('current-password')
  const next = pw('new-password')
  const repeat = pw('new-password')
  const status = h('p', { class: 'form-status', role: 'status', hidden: true })
  const submit = h('button', { type: 'submit', class: 'button primary' }, t('account.change'))
  const form = h(
    'form',
    { class: 'panel account-form', 'aria-labelledby': 'pw-h', novalidate: true },
    h('h2', { class: 'panel-title', id: 'pw-h' }, t('account.passwordHeading')),
    field('pw-current', t('account.current'), current),
    field('pw-next', t('account.next'), next, t('account.rules')),
    field('pw-repeat', t('account.repeat'), repeat),
    status,
    h('div', { class: 'form-actions' }, submit),
  )
  const zones = h('dd', {})
  const logout = h('button', { type: 'button', class: 'button' }, t('account.logout'))
  logout.addEventListener('click', () => {
    logout.disabled = true
    void session.logout()
  })
  const el = h(
    'section',
    { class: 'page page-account', 'aria-labelledby': 'account-h' },
    h('h1', { id: 'account-h' }, t('account.heading')),
    h(
      'div',
      { class: 'panel' },
      h(
        'dl',
        { class: 'facts account-facts' },
        h('div', {}, h('dt', {}, t('account.username')), h('dd', {}, me.username)),
        h('div', {}, h('dt', {}, t('account.roles')), h('dd', {}, rolesText(i18n, me.roles))),
        h('div', {}, h('dt', {}, t('account.zones')), zones),
      ),
      h('div', { class: 'form-actions' }, logout),
    ),
    form,
  )

  const showZones = () =>
    setText(
      zones,
      zonesText(i18n, me.zones, (id) => store.zone(id)),
    )
  showZones()
  const off = store.on('nodes', showZones)

  function say(text: string, ok: boolean): void {
    setHidden(status, false)
    status.classList.toggle('form-ok', ok)
    status.classList.toggle('form-error', !ok)
    setText(status, text)
  }

  let busy = false
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    if (busy) return
    if (!current.value || !next.value) {
      say(t('account.missing'), false)
      return
    }
    const problem = passwordProblem(next.value, me.username)
    if (problem) {
      say(t(`account.weak.${problem}`), false)
      next.focus()
      return
    }
    if (next.value !== repeat.value) {
      say(t('account.mismatch'), false)
      repeat.focus()
      return
    }
    busy = true
    submit.disabled = true
    accessApi.changePassword(current.value, next.value).then(
      () => {
        busy = false
        submit.disabled = false
        form.reset()
        say(t('account.changed'), true)
      },
      (err: unknown) => {
        busy = false
        submit.disabled = false
        const wrong = err instanceof ApiError && err.code === 'LOGIN_FAILED'
        say(wrong ? t('account.wrongCurrent') : accessErrorText(i18n, err), false)
      },
    )
  })

  return {
    el,
    destroy() {
      off()
    },
  }
}
