import type { ApiToken } from '../api/types'

/** A token's state: active, past its expiry, or revoked. */
export function tokenState(tk: ApiToken, now: number): 'active' | 'expired' | 'revoked' {
  if (tk.revokedAt) return 'revoked'
  if (tk.expiresAt && Date.parse(tk.expiresAt) <= now) return 'expired'
  return 'active'
}

/**
 * The end of a picked day (`YYYY-MM-DD`) in the browser's time zone, as an ISO instant: a token
 * "expiring on the 31st" works through the 31st. null for a malformed day.
 */
export function endOfDay(day: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!m) return null
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59, 999)
  return Number.isNaN(d.getTime()) || d.getDate() !== Number(m[3]) ? null : d.toISOString()
}
