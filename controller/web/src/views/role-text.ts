import type { Role } from '../access-types.js'
import type { I18n } from '../i18n.js'

/** "管理员" … for a role. */
export function roleText(i18n: I18n, role: Role): string {
  return i18n.t(`role.${role}`)
}

/** The roles as one line ("调度员，技术员"); none: "无角色". */
export function rolesText(i18n: I18n, roles: readonly Role[]): string {
  if (roles.length === 0) return i18n.t('role.none')
  return roles.map((r) => roleText(i18n, r)).join(i18n.t('common.listSep'))
}
