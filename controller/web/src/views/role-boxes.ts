import type { Role } from '../access-types.js'
import { ROLES } from '../access-types.js'
import { h } from '../dom.js'
import type { I18n } from '../i18n.js'
import { roleText } from './role-text.js'

/** A checkbox per role (only `allowed` ones), with what each role may do. */
export function createRoleBoxes(
  i18n: I18n,
  opts: { id: string; selected: readonly Role[]; allowed?: readonly Role[] },
) {
  const boxes = new Map<Role, HTMLInputElement>()
  const roles = ROLES.filter((r) => !opts.allowed || opts.allowed.includes(r))
  const el = h(
    'fieldset',
    { class: 'role-boxes', id: opts.id },
    h('legend', {}, i18n.t('users.roles')),
    ...roles.map((role) => {
      const box = h('input', { type: 'checkbox', value: role, 'data-role': role })
      box.checked = opts.selected.includes(role)
      boxes.set(role, box)
      return h(
        'label',
        { class: 'role-box' },
        box,
        h(
          'span',
          {},
          h('span', { class: 'role-name' }, roleText(i18n, role)),
          h('span', { class: 'role-what' }, i18n.t(`role.${role}.what`)),
        ),
      )
    }),
  )
  return {
    el,
    value: (): Role[] => [...boxes].filter(([, b]) => b.checked).map(([r]) => r),
    reset(): void {
      for (const b of boxes.values()) b.checked = false
    },
  }
}
