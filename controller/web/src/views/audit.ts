import { accessApi } from '../access-api.js'
import type { AuditEntry, AuditQuery } from '../access-types.js'
import { h, setAttr, setHidden, setText } from '../dom.js'
import { dateTimeOf } from '../format.js'
import type { I18n, MessageKey } from '../i18n.js'
import { accessErrorText } from './access-errors.js'
import { adminNav } from './admin-nav.js'
import type { ViewFactory } from './view.js'

/** Entries per page of the log. */
const PAGE = 200

/** Audit actions (docs/security.md), for the action filter's suggestions. */
export const AUDIT_ACTIONS = [
  'audio.upload',
  'audio.update',
  'audio.delete',
  'column.create',
  'column.update',
  'column.delete',
  'template.put',
  'day.put',
  'day.delete',
  'calendar.set',
  'calendar.clear',
  'announcement.create',
  'announcement.cancel',
  'command.node',
  'command.zone',
  'alert.ack',
  'alert.resolve',
  'alertRule.update',
  'node.register',
  'node.enrollment',
  'node.enroll',
  'node.replace',
  'node.retire',
  'node.rotate',
  'zone.create',
  'user.create',
  'user.update',
  'user.delete',
  'user.password',
  'user.password.failed',
  'token.create',
  'token.revoke',
  'auth.login',
  'auth.login.failed',
  'auth.lockout',
  'auth.logout',
  'access.denied',
] as const

/** An action in words ("登记节点"), or the action code itself when the UI does not know it. */
export function actionText(i18n: I18n, action: string): string {
  return (AUDIT_ACTIONS as readonly string[]).includes(action)
    ? i18n.t(`auditAction.${action}` as MessageKey)
    : action
}

const ACTOR_KINDS = ['session', 'token', 'node', 'system', 'anonymous']

/** "网页登录", "API 令牌", … for how the actor acted. */
function actorKindText(i18n: I18n, kind: string): string {
  return ACTOR_KINDS.includes(kind) ? i18n.t(`audit.kind.${kind}` as MessageKey) : kind
}

/** A before/after/details value as indented JSON, or null when there is nothing. */
function json(v: unknown): string | null {
  if (v === null || v === undefined) return null
  return JSON.stringify(v, null, 2)
}

/**
 * The audit log (`#/audit`, admin): who changed what, newest first, filtered by actor, action
 * (exact or a prefix like `node.*`) and dates (kept in the address), with before/after, and the
 * CSV export of the same filter.
 */
export const auditView: ViewFactory = (ctx, route) => {
  const { i18n, store, router } = ctx
  const t = i18n.t
  const p = route.params
  const input = (id: string, value: string, attrs: Record<string, string> = {}) => {
    const el = h('input', { id, name: id, autocomplete: 'off', ...attrs })
    el.value = value
    return el
  }
  const actor = input('a-actor', p.get('actor') ?? '', { placeholder: 'admin' })
  const action = input('a-action', p.get('action') ?? '', {
    list: 'a-actions',
    placeholder: 'node.*',
    spellcheck: 'false',
  })
  const from = input('a-from', p.get('from') ?? '', { type: 'date' })
  const to = input('a-to', p.get('to') ?? '', { type: 'date' })
  const prefixes = [...new Set(AUDIT_ACTIONS.map((a) => `${a.split('.')[0]}.*`))]
  const datalist = h(
    'datalist',
    { id: 'a-actions' },
    ...[...prefixes, ...AUDIT_ACTIONS].map((a) => h('option', { value: a })),
  )
  const csv = h('a', { class: 'button csv', download: 'chorus-audit.csv' }, t('audit.csv'))
  const field = (id: string, label: string, control: HTMLElement) =>
    h('div', { class: 'field' }, h('label', { for: id }, label), control)
  const form = h(
    'form',
    { class: 'filters audit-filters', 'aria-label': t('filter.label') },
    field('a-actor', t('audit.actor'), actor),
    field('a-action', t('audit.action'), action),
    field('a-from', t('audit.from'), from),
    field('a-to', t('audit.to'), to),
    h(
      'div',
      { class: 'field field-button' },
      h('button', { type: 'submit', class: 'button primary' }, t('audit.search')),
    ),
    datalist,
  )
  const tbody = h('tbody')
  const table = h(
    'table',
    { class: 'grid audit-table' },
    h('caption', { class: 'sr-only' }, t('audit.caption')),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...[
          'audit.at',
          'audit.actor',
          'audit.action',
          'audit.target',
          'audit.ip',
          'audit.change',
        ].map((k) => h('th', { scope: 'col' }, t(k as MessageKey))),
      ),
    ),
    tbody,
  )
  const message = h('p', { class: 'message' }, t('common.loading'))
  const more = h('button', { type: 'button', class: 'button', hidden: true }, t('common.more'))
  const el = h(
    'section',
    { class: 'page page-admin page-audit', 'aria-labelledby': 'audit-h' },
    h('h1', { id: 'audit-h' }, t('audit.heading')),
    adminNav(i18n, '/audit'),
    form,
    h('p', { class: 'audit-tools' }, csv),
    h('div', { class: 'table-wrap' }, table),
    message,
    more,
  )

  let entries: AuditEntry[] = []
  let ac = new AbortController()

  function query(): AuditQuery {
    return {
      actor: actor.value.trim(),
      action: action.value.trim(),
      from: from.value,
      to: to.value,
    }
  }

  function row(e: AuditEntry): HTMLElement {
    const parts: [string, string | null][] = [
      [t('audit.before'), json(e.before)],
      [t('audit.after'), json(e.after)],
      [t('audit.details'), json(e.details)],
    ]
    const shown = parts.filter((x): x is [string, string] => x[1] !== null)
    const change =
      shown.length === 0
        ? t('common.none')
        : h(
            'details',
            { class: 'audit-change' },
            h('summary', {}, shown.map(([label]) => label).join(' / ')),
            ...shown.map(([label, text]) =>
              h('div', {}, h('p', { class: 'audit-part' }, label), h('pre', {}, text)),
            ),
          )
    return h(
      'tr',
      { 'data-action': e.action, 'data-id': String(e.id) },
      h('th', { scope: 'row', class: 'cell-clock' }, dateTimeOf(e.at, store.tz, i18n.locale())),
      h(
        'td',
        { 'data-label': t('audit.actor') },
        e.actor,
        h('span', { class: 'node-id' }, actorKindText(i18n, e.actorKind)),
      ),
      h(
        'td',
        { 'data-label': t('audit.action') },
        actionText(i18n, e.action),
        h('code', { class: 'audit-code' }, e.action),
      ),
      h('td', { 'data-label': t('audit.target'), class: 'audit-target' }, e.target ?? ''),
      h('td', { 'data-label': t('audit.ip') }, e.ip ?? ''),
      h('td', { 'data-label': t('audit.change'), class: 'cell-change' }, change),
    )
  }

  function load(append: boolean): void {
    ac.abort()
    ac = new AbortController()
    const q = query()
    setAttr(csv, 'href', accessApi.auditCsvHref(q))
    if (!append) {
      entries = []
      tbody.replaceChildren()
      setHidden(message, false)
      setText(message, t('common.loading'))
    }
    accessApi.audit({ ...q, limit: PAGE, offset: entries.length }, ac.signal).then(
      (list) => {
        entries.push(...list)
        tbody.append(...list.map(row))
        setHidden(message, entries.length > 0)
        setText(message, t('audit.none'))
        setHidden(more, list.length < PAGE)
      },
      (err: unknown) => {
        if (ac.signal.aborted) return
        setHidden(message, false)
        setText(message, t('common.loadError', { msg: accessErrorText(i18n, err) }))
      },
    )
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault()
    const q = query()
    router.replaceParams({
      actor: q.actor ?? '',
      action: q.action ?? '',
      from: q.from ?? '',
      to: q.to ?? '',
    })
    load(false)
  })
  more.addEventListener('click', () => load(true))
  load(false)

  return {
    el,
    destroy() {
      ac.abort()
    },
  }
}
