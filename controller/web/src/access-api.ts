import type {
  ApiToken,
  AuditEntry,
  AuditQuery,
  CreatedNode,
  CreatedToken,
  EnrollmentIssued,
  Me,
  ProvisionedNode,
  RegisterRequest,
  ReplacedNode,
  RotatedNode,
  TokenRequest,
  User,
  UserPatch,
  UserRequest,
} from './access-types.js'
import { request } from './api.js'

// Accounts, tokens, the audit log and provisioning (docs/api.md, "Authentication"), as the UI
// uses them. Every call goes through api.ts's `request`, which adds the CSRF token.

const enc = encodeURIComponent
const get = <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, { signal })
const send = <T>(method: string, path: string, body?: unknown) =>
  request<T>(method, path, body === undefined ? {} : { body })
const node = (id: string, what: string) => `api/nodes/${enc(id)}/${what}`

/** The query string of an audit search (empty filters left out). */
export function auditQuery(q: AuditQuery & { format?: 'csv' }): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') params.set(k, String(v))
  const s = params.toString()
  return s ? `?${s}` : ''
}

/** The access endpoints. */
export const accessApi = {
  me: (signal?: AbortSignal) => get<Me>('api/auth/me', signal),
  login: (username: string, password: string) =>
    send<Me>('POST', 'api/auth/login', { username, password }),
  logout: () => send<null>('POST', 'api/auth/logout'),
  changePassword: (current: string, next: string) =>
    send<null>('POST', 'api/auth/password', { current, next }),

  users: (signal?: AbortSignal) => get<User[]>('api/users', signal),
  createUser: (body: UserRequest) => send<User>('POST', 'api/users', body),
  updateUser: (id: string, body: UserPatch) => send<User>('PATCH', `api/users/${enc(id)}`, body),

  tokens: (signal?: AbortSignal) => get<ApiToken[]>('api/tokens', signal),
  createToken: (body: TokenRequest) => send<CreatedToken>('POST', 'api/tokens', body),
  revokeToken: (id: string) => send<null>('DELETE', `api/tokens/${enc(id)}`),

  audit: (q: AuditQuery, signal?: AbortSignal) =>
    get<AuditEntry[]>(`api/audit${auditQuery(q)}`, signal),
  /** The CSV export of the same search (a plain link: the session cookie goes with it). */
  auditCsvHref: (q: AuditQuery) => `api/audit${auditQuery({ ...q, format: 'csv' })}`,

  node: (id: string, signal?: AbortSignal) => get<ProvisionedNode>(`api/nodes/${enc(id)}`, signal),
  registerNode: (body: RegisterRequest) => send<CreatedNode>('POST', 'api/nodes', body),
  issueEnrollment: (id: string) => send<EnrollmentIssued>('POST', node(id, 'enrollment')),
  replaceNode: (id: string, body: { serial?: string; notes?: string }) =>
    send<ReplacedNode>('POST', node(id, 'replace'), body),
  retireNode: (id: string) => send<ProvisionedNode>('POST', node(id, 'retire')),
  rotateNode: (id: string) => send<RotatedNode>('POST', node(id, 'rotate')),
}

/** The access API, so a view can be given another one. */
export type AccessApi = typeof accessApi
