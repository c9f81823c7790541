import { ApiError } from './client'

/** Translate a message key (with variables); returns the key itself when it is missing. */
export type Translate = (key: string, vars?: Record<string, unknown>) => string

/**
 * What to tell the user about a failed call: the translation of the server's error code
 * (`error.<CODE>` in the messages) when there is one, else the server's own message; a network
 * failure says so.
 */
export function errorText(err: unknown, t: Translate): string {
  if (!(err instanceof ApiError)) return t('common.error', { msg: String(err) })
  if (err.status === 0) return t('error.network')
  if (err.code) {
    const key = `error.${err.code}`
    const text = t(key)
    if (text !== key) return text
  }
  return err.message || t('common.error', { msg: err.status })
}
