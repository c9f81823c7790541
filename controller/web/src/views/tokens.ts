import { accessApi } from '../access-api.js'
import type { ApiToken, Role } from '../access-types.js'
import { ROLES } from '../access-types.js'
import { h, setHidden, setText } from '../dom.js'
import { addDays, dateTimeOf, dayStart } from '../format.js'
import { accessErrorText } from './access-errors.js'
import { adminNav } from './admin-nav.js'
import { confirmDialog } from './dialog.js'
import { createRoleBoxes } from './role-boxes.js'
import { rolesText } from './role-text.js'
import { createSecretBox } from './secret-box.js'
import type { ViewFactory } from './view.js'
import { createZoneTree, zonesText } from './zone-tree.js'

/** The last instant of a local date in the district (a token valid "until" that day). */
export function endOfDay(date: string, tz: string): string {
  return new Date(dayStart(addDays(date, 1), tz) - 1000).toISOString()
}

/** A token's state. */
export function tokenState(tk: ApiToken, now: number): 'active' | 'expired' | 'revoked' {
  if (tk.revokedAt) return 'revoked'
  if (tk.expiresAt && Date.parse(tk.expiresAt) <= now) return 'expired'
  return 'active'
}

/**
 * API tokens (`#/tokens`): create one for a script (roles, zones, expiry) — its value is shown
 * once, with a copy button — list them (an admin sees all), revoke.
 */
export const tokensView: ViewFactory = (ctx) => {
  const { i18n, store, session } = ctx
  const t = i18n.t
  const when = (iso: string | null, none = t('common.none')) =>
    iso ? dateTimeOf(iso, store.tz, i18n.locale()) : none
  const mine: readonly Role[] = session.has('admin') ? ROLES : session.me.roles

  const name = h('input', { id: 'tk-name', required: true, maxlength: 100, autocomplete: 'off' })
  const expires = h('input', { id: 'tk-expires', type: 'date' })
  const roles = createRoleBoxes(i18n, { id: 'tk-roles', selected: [], allowed: mine })
  const zones = createZoneTree(i18n, { id: 'tk-zones', zones: store.zones, selected: [] })
  const formStatus = h('p', { class: 'form-status form-error', role: 'alert', hidden: true })
  const submit = h('button', { type: 'submit', class: 'button primary' }, t('tokens.create'))
  const form = h(
    'form',
    { class: 'token-create', novalidate: true },
    h(
      'div',
      { class: 'form-grid' },
      h('div', { class: 'field' }, h('label', { for: 'tk-name' }, t('tokens.name')), name),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'tk-expires' }, t('tokens.expires')),
        expires,
        h('p', { class: 'field-hint' }, t('tokens.expiresHint')),
      ),
    ),
    roles.el,
    h('div', { class: 'field' }, h('span', { class: 'field-label' }, t('users.zones')), zones.el),
    formStatus,
    h('div', { class: 'form-actions' }, submit),
  )
  const created = h('div', { class: 'token-created' })
  const createBox = h(
    'details',
    { class: 'panel create-box' },
    h('summary', { class: 'panel-title' }, t('tokens.createHeading')),
    form,
  )

  const tbody = h('tbody')
  const cols = [
    t('tokens.name'),
    t('tokens.owner'),
    t('users.roles'),
    t('users.zones'),
    t('tokens.createdAt'),
    t('tokens.expires'),
    t('tokens.lastUsed'),
    t('users.state'),
  ]
  const table = h(
    'table',
    { class: 'grid tokens-table' },
    h('caption', { class: 'sr-only' }, t('tokens.caption')),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...cols.map((c) => h('th', { scope: 'col' }, c)),
        h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('users.actions'))),
      ),
    ),
    tbody,
  )
  const status = h('p', { class: 'panel-status page-status', role: 'status' })
  const message = h('p', { class: 'message' }, t('common.loading'))
  const el = h(
    'section',
    { class: 'page page-admin page-tokens', 'aria-labelledby': 'tokens-h' },
    h('h1', { id: 'tokens-h' }, t('tokens.heading')),
    adminNav(i18n, '/tokens'),
    h('p', { class: 'page-intro' }, t('tokens.intro')),
    createBox,
    created,
    status,
    h('div', { class: 'table-wrap' }, table),
    message,
  )

  let tokens: ApiToken[] = []
  const ac = new AbortController()

  function load(): void {
    accessApi.tokens(ac.signal).then(
      (list) => {
        tokens = list.sort((a, b) => b.createdAt.localeCompare(a.createdAt))
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
    const now = Date.now()
    setHidden(message, tokens.length > 0)
    setText(message, t('tokens.none'))
    tbody.replaceChildren(
      ...tokens.map((tk) => {
        const state = tokenState(tk, now)
        const actions = h('td', { class: 'cell-actions' })
        if (state === 'active') {
          const revoke = h(
            'button',
            { type: 'button', class: 'button small danger-outline', 'data-action': 'revoke' },
            t('tokens.revoke'),
          )
          revoke.addEventListener('click', () => void doRevoke(tk))
          actions.append(revoke)
        }
        return h(
          'tr',
          { 'data-token-id': tk.id, 'data-state': state },
          h('th', { scope: 'row' }, tk.name, h('span', { class: 'node-id' }, tk.id)),
          h('td', { 'data-label': t('tokens.owner') }, tk.owner),
          h('td', { 'data-label': t('users.roles') }, rolesText(i18n, tk.roles)),
          h(
            'td',
            { 'data-label': t('users.zones') },
            zonesText(i18n, tk.zones, (id) => store.zone(id)),
          ),
          h('td', { 'data-label': t('tokens.createdAt') }, when(tk.createdAt)),
          h('td', { 'data-label': t('tokens.expires') }, when(tk.expiresAt, t('tokens.never'))),
          h('td', { 'data-label': t('tokens.lastUsed') }, when(tk.lastUsedAt, t('time.never'))),
          h(
            'td',
            { 'data-label': t('users.state') },
            h('span', { class: `badge token-${state}` }, t(`tokens.state.${state}`)),
          ),
          actions,
        )
      }),
    )
  }

  async function doRevoke(tk: ApiToken): Promise<void> {
    const ok = await confirmDialog(i18n, {
      title: t('tokens.revokeTitle', { name: tk.name }),
      text: t('tokens.revokeText'),
      ok: t('tokens.revoke'),
      danger: true,
    })
    if (!ok) return
    try {
      await accessApi.revokeToken(tk.id)
      setText(status, t('tokens.revoked', { name: tk.name }))
      load()
    } catch (err) {
      setText(status, accessErrorText(i18n, err))
    }
  }

  let busy = false
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    if (busy) return
    const fail = (text: string) => {
      setHidden(formStatus, false)
      setText(formStatus, text)
    }
    setHidden(formStatus, true)
    if (!name.value.trim()) return fail(t('tokens.needName'))
    if (roles.value().length === 0) return fail(t('users.needRole'))
    const body = {
      name: name.value.trim(),
      roles: roles.value(),
      zones: zones.value(),
      // A date means the end of that day in the district.
      ...(expires.value ? { expiresAt: endOfDay(expires.value, store.tz) } : {}),
    }
    busy = true
    submit.disabled = true
    accessApi
      .createToken(body)
      .then(
        (tk) => {
          const { token, ...view } = tk
          tokens = [view, ...tokens]
          render()
          form.reset()
          roles.reset()
          zones.reset()
          createBox.open = false
          created.replaceChildren(
            createSecretBox(i18n, {
              heading: t('tokens.createdHeading', { name: tk.name }),
              note: t('tokens.createdNote'),
              value: token,
            }),
          )
        },
        (err: unknown) => fail(accessErrorText(i18n, err)),
      )
      .finally(() => {
        busy = false
        submit.disabled = false
      })
  })

  const off = store.on('nodes', (ids) => {
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
