import type { ApiClient } from './client'
import type {
  ApiToken,
  AuditEntry,
  AuditQuery,
  CreatedToken,
  Me,
  TokenRequest,
  User,
  UserPatch,
  UserRequest,
  Zone,
} from './types'

// Accounts, tokens, the audit log and zones as the UI calls them (docs/api.md "Authentication").

const enc = encodeURIComponent

/** The query string of an audit search (empty filters left out). */
export function auditQuery(q: AuditQuery & { format?: 'csv' }): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') params.set(k, String(v))
  const s = params.toString()
  return s ? `?${s}` : ''
}

/** The access endpoints over one client. */
export function accessApi(api: ApiClient) {
  return {
    /** Who is logged in; null without a session (a 401 is an answer here, not a lost session). */
    me: () =>
      api.get<Me>('api/auth/me', { quiet: true }).catch((err: unknown) => {
        if ((err as { status?: number }).status === 401) return null
        throw err
      }),
    login: (username: string, password: string) =>
      api.post<Me>('api/auth/login', { username, password }, { quiet: true }),
    logout: () => api.post<null>('api/auth/logout'),
    changePassword: (current: string, next: string) =>
      api.post<null>('api/auth/password', { current, next }, { quiet: true }),

    zones: () => api.get<Zone[]>('api/zones'),

    users: () => api.get<User[]>('api/users'),
    createUser: (body: UserRequest) => api.post<User>('api/users', body),
    updateUser: (id: string, body: UserPatch) => api.patch<User>(`api/users/${enc(id)}`, body),

    tokens: () => api.get<ApiToken[]>('api/tokens'),
    createToken: (body: TokenRequest) => api.post<CreatedToken>('api/tokens', body),
    revokeToken: (id: string) => api.del<null>(`api/tokens/${enc(id)}`),

    audit: (q: AuditQuery) => api.get<AuditEntry[]>(`api/audit${auditQuery(q)}`),
    /** The CSV export of the same search (a plain link). */
    auditCsvHref: (q: AuditQuery) => api.href(`api/audit${auditQuery({ ...q, format: 'csv' })}`),
  }
}

/** The access API. */
export type AccessApi = ReturnType<typeof accessApi>
