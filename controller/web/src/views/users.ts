import { passwordProblem } from '../access.js'
import { accessApi } from '../access-api.js'
import type { User, UserPatch } from '../access-types.js'
import { h, setHidden, setText } from '../dom.js'
import { dateTimeOf } from '../format.js'
import { accessErrorText } from './access-errors.js'
import { adminNav } from './admin-nav.js'
import { confirmDialog, modal } from './dialog.js'
import { collator } from './node-filter.js'
import { createRoleBoxes } from './role-boxes.js'
import { rolesText } from './role-text.js'
import type { ViewFactory } from './view.js'
import { createZoneTree, zonesText } from './zone-tree.js'

/** A user's state: active, locked after failed logins, or disabled. */
export function userState(u: User, now: number): 'active' | 'locked' | 'disabled' {
  if (u.disabledAt) return 'disabled'
  if (u.lockedUntil && Date.parse(u.lockedUntil) > now) return 'locked'
  return 'active'
}

/**
 * Users (`#/users`, admin): the list with roles, zones, last login and state; create a user with
 * roles and zones; per user: edit roles and zones, reset the password, disable or enable,
 * unlock after failed logins.
 */
export const usersView: ViewFactory = (ctx) => {
  const { i18n, store, session } = ctx
  const t = i18n.t
  const when = (iso: string | null) =>
    iso ? dateTimeOf(iso, store.tz, i18n.locale()) : t('time.never')

  // Create.
  const username = h('input', {
    id: 'u-name',
    required: true,
    maxlength: 64,
    autocomplete: 'off',
    autocapitalize: 'none',
    spellcheck: 'false',
    pattern: '[A-Za-z0-9._@\\-]{1,64}',
  })
  const password = h('input', { id: 'u-password', required: true, autocomplete: 'new-password' })
  const roles = createRoleBoxes(i18n, { id: 'u-roles', selected: [] })
  const zones = createZoneTree(i18n, { id: 'u-zones', zones: store.zones, selected: [] })
  const createStatus = h('p', { class: 'form-status', role: 'status', hidden: true })
  const createButton = h('button', { type: 'submit', class: 'button primary' }, t('users.create'))
  const createForm = h(
    'form',
    { class: 'user-create', novalidate: true },
    h(
      'div',
      { class: 'form-grid' },
      h('div', { class: 'field' }, h('label', { for: 'u-name' }, t('users.username')), username),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'u-password' }, t('users.initialPassword')),
        password,
        h('p', { class: 'field-hint' }, t('users.passwordHint')),
      ),
    ),
    roles.el,
    h(
      'div',
      { class: 'field' },
      h('span', { class: 'field-label' }, t('users.zones')),
      h('p', { class: 'field-hint' }, t('users.zonesHint')),
      zones.el,
    ),
    createStatus,
    h('div', { class: 'form-actions' }, createButton),
  )
  const createBox = h(
    'details',
    { class: 'panel create-box' },
    h('summary', { class: 'panel-title' }, t('users.createHeading')),
    createForm,
  )

  // List.
  const tbody = h('tbody')
  const cols = ['users.username', 'users.roles', 'users.zones', 'users.lastLogin', 'users.state']
  const table = h(
    'table',
    { class: 'grid users-table' },
    h('caption', { class: 'sr-only' }, t('users.caption')),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...cols.map((c) => h('th', { scope: 'col' }, t(c as 'users.roles'))),
        h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('users.actions'))),
      ),
    ),
    tbody,
  )
  const status = h('p', { class: 'panel-status page-status', role: 'status' })
  const message = h('p', { class: 'message' }, t('common.loading'))
  const el = h(
    'section',
    { class: 'page page-admin page-users', 'aria-labelledby': 'users-h' },
    h('h1', { id: 'users-h' }, t('users.heading')),
    adminNav(i18n, '/users'),
    createBox,
    status,
    h('div', { class: 'table-wrap' }, table),
    message,
  )

  let users: User[] = []
  const ac = new AbortController()

  function load(): void {
    accessApi.users(ac.signal).then(
      (list) => {
        users = list.sort((a, b) => collator.compare(a.username, b.username))
        render()
      },
      (err: unknown) => {
        if (ac.signal.aborted) return
        setHidden(message, false)
        setText(message, t('common.loadError', { msg: accessErrorText(i18n, err) }))
      },
    )
  }

  function render(): void {
    setHidden(message, true)
    const now = Date.now()
    tbody.replaceChildren(
      ...users.map((u) => {
        const state = userState(u, now)
        const actions = h('td', { class: 'cell-actions' })
        const act = (label: string, action: string, fn: () => void, danger = false) => {
          const b = h(
            'button',
            { type: 'button', class: `button small${danger ? ' danger-outline' : ''}` },
            label,
          )
          b.dataset.action = action
          b.addEventListener('click', fn)
          actions.append(b)
        }
        act(t('users.edit'), 'edit', () => void edit(u))
        act(t('users.resetPassword'), 'password', () => void resetPassword(u))
        if (state === 'locked')
          act(t('users.unlock'), 'unlock', () => void patch(u, { unlock: true }))
        if (u.disabledAt) act(t('users.enable'), 'enable', () => void patch(u, { disabled: false }))
        else if (u.id !== session.me.id)
          act(t('users.disable'), 'disable', () => void disable(u), true)
        return h(
          'tr',
          { 'data-user': u.username, 'data-state': state },
          h(
            'th',
            { scope: 'row' },
            u.username,
            u.id === session.me.id ? h('span', { class: 'tag' }, t('users.you')) : null,
          ),
          h('td', { 'data-label': t('users.roles') }, rolesText(i18n, u.roles)),
          h(
            'td',
            { 'data-label': t('users.zones') },
            zonesText(i18n, u.zones, (id) => store.zone(id)),
          ),
          h('td', { 'data-label': t('users.lastLogin') }, when(u.lastLoginAt)),
          h(
            'td',
            { 'data-label': t('users.state') },
            h('span', { class: `badge user-${state}` }, t(`users.state.${state}`)),
          ),
          actions,
        )
      }),
    )
  }

  async function patch(u: User, body: UserPatch, done = t('users.saved')): Promise<void> {
    setText(status, t('users.saving'))
    try {
      const updated = await accessApi.updateUser(u.id, body)
      users = users.map((x) => (x.id === updated.id ? updated : x))
      render()
      setText(status, `${u.username}: ${done}`)
    } catch (err) {
      setText(status, `${u.username}: ${accessErrorText(i18n, err)}`)
    }
  }

  async function edit(u: User): Promise<void> {
    const r = createRoleBoxes(i18n, { id: 'e-roles', selected: u.roles })
    const z = createZoneTree(i18n, { id: 'e-zones', zones: store.zones, selected: u.zones })
    const value = await modal(i18n, {
      title: t('users.editTitle', { user: u.username }),
      body: [r.el, h('p', { class: 'field-label' }, t('users.zones')), z.el],
      ok: t('users.save'),
      read: () => ({ roles: r.value(), zones: z.value() }),
    })
    if (value) await patch(u, value)
  }

  async function resetPassword(u: User): Promise<void> {
    const input = h('input', { id: 'reset-pw', autocomplete: 'new-password', required: true })
    const value = await modal(i18n, {
      title: t('users.resetTitle', { user: u.username }),
      body: [
        h('p', { class: 'dialog-text' }, t('users.resetText')),
        h('div', { class: 'field' }, h('label', { for: 'reset-pw' }, t('account.next')), input),
      ],
      ok: t('users.resetPassword'),
      read: () => {
        const problem = passwordProblem(input.value, u.username)
        input.setCustomValidity(problem ? t(`account.weak.${problem}`) : '')
        if (problem) {
          input.reportValidity()
          return null
        }
        return input.value
      },
    })
    if (value) await patch(u, { password: value }, t('users.passwordReset'))
  }

  async function disable(u: User): Promise<void> {
    const ok = await confirmDialog(i18n, {
      title: t('users.disableTitle', { user: u.username }),
      text: t('users.disableText'),
      ok: t('users.disable'),
      danger: true,
    })
    if (ok) await patch(u, { disabled: true })
  }

  let busy = false
  createForm.addEventListener('submit', (e) => {
    e.preventDefault()
    if (busy) return
    const say = (text: string, ok: boolean) => {
      setHidden(createStatus, false)
      createStatus.classList.toggle('form-ok', ok)
      createStatus.classList.toggle('form-error', !ok)
      setText(createStatus, text)
    }
    const name = username.value.trim()
    if (!name || !username.checkValidity()) return say(t('users.badName'), false)
    const problem = passwordProblem(password.value, name)
    if (problem) return say(t(`account.weak.${problem}`), false)
    if (roles.value().length === 0) return say(t('users.needRole'), false)
    busy = true
    createButton.disabled = true
    accessApi
      .createUser({
        username: name,
        password: password.value,
        roles: roles.value(),
        zones: zones.value(),
      })
      .then(
        (u) => {
          users = [...users, u].sort((a, b) => collator.compare(a.username, b.username))
          render()
          createForm.reset()
          roles.reset()
          zones.reset()
          say(t('users.created', { user: u.username }), true)
        },
        (err: unknown) => say(accessErrorText(i18n, err), false),
      )
      .finally(() => {
        busy = false
        createButton.disabled = false
      })
  })

  const off = store.on('nodes', (ids) => {
    // Zones arrive with the node list: the tree and the zone names follow.
    if (ids === null) {
      zones.setZones(store.zones)
      render()
    }
  })
  load()

  return {
    el,
    destroy() {
      off()
      ac.abort()
    },
  }
}
