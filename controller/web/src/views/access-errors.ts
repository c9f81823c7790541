import { ApiError } from '../api.js'
import type { I18n, MessageKey } from '../i18n.js'

/** Error codes of the access and provisioning routes the UI words itself (docs/api.md). */
const CODES = [
  'LOGIN_FAILED',
  'LOGIN_LOCKED',
  'RATE_LIMITED',
  'PASSWORD_WEAK',
  'USER_EXISTS',
  'USER_INVALID',
  'USER_NOT_FOUND',
  'LAST_ADMIN',
  'TOKEN_INVALID',
  'TOKEN_NOT_FOUND',
  'FORBIDDEN',
  'OUT_OF_SCOPE',
  'NODE_NOT_FOUND',
  'NODE_RETIRED',
  'ZONE_NOT_FOUND',
  'ZONE_AMBIGUOUS',
  'COMMAND_INVALID',
  'BAD_REQUEST',
] as const

/**
 * A failure in words: by the API's error code when the UI knows it, else the server's English
 * message; a request that never reached the controller says so.
 */
export function accessErrorText(i18n: I18n, err: unknown): string {
  if (err instanceof ApiError) {
    const code = err.code as (typeof CODES)[number] | null
    if (code && CODES.includes(code)) return i18n.t(`authErr.${code}` as MessageKey)
    if (err.status === 0) return i18n.t('authErr.network')
    return err.message
  }
  if (err instanceof TypeError) return i18n.t('authErr.network')
  return err instanceof Error ? err.message : String(err)
}

/** Whether a failure is the roles' or zones' refusal (403 FORBIDDEN / OUT_OF_SCOPE). */
export function isRefusal(err: unknown): boolean {
  return err instanceof ApiError && (err.code === 'FORBIDDEN' || err.code === 'OUT_OF_SCOPE')
}
