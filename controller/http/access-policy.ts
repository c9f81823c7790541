/**
 * @module access-policy
 * Who may call which route: the one table to audit. Every route fastify registers must have an
 * entry here, or it answers 403 ACCESS_UNDECLARED (fail-closed; test/integration/access.test.ts
 * checks that none is missing). `admin` may call every route that is not public; a node
 * (HTTP Basic `nodeId:secret`) only the routes that grant `node`. `user` grants any logged-in
 * user or API token. A route with a `scope` refuses a principal limited to zones when its node
 * or zone lies outside them. Mutating routes name the `audit` action recorded when they succeed.
 */
import type { FastifyRequest } from 'fastify'
import type { Role, UserPrincipal } from '../accounts/roles.js'

/** Who a route admits besides admin. */
export type Grant = Role | 'node' | 'user'

/** Where the zone that a route touches comes from. */
export type Scope =
  | { of: 'node'; param: string }
  | { of: 'zone'; param: string }
  /** A zone id or unique name in the body; a zone-limited principal may not create zones. */
  | { of: 'zoneRef'; body: string }
  /**
   * A read of a zone's settings named in the query (id or code): a zone-limited principal reads
   * its zones, those below them and their ancestors (whose orders and calendars they inherit),
   * never a sibling's. Absent or '': the district's, inherited by every zone.
   */
  | { of: 'zoneQuery'; query: string }
  /** A node id in the query: a zone-limited principal names only nodes in its zones. */
  | { of: 'nodeQuery'; query: string }

/** One route's access rule. */
export interface RouteAccess {
  allow: 'public' | readonly Grant[]
  /** On a public route: identify a logged-in user or token if one is sent (never required). */
  identify?: true
  /**
   * On a public route: the caller is the MQTT broker (EMQX) and must send the configured
   * `brokerHookSecret` in `x-chorus-hook-secret` (401 without it, 403 when wrong or unset).
   */
  hook?: true
  /** The zones a request touches (each one checked), for a principal limited to zones. */
  scope?: Scope | readonly Scope[]
  /** Audit action recorded for a successful mutating request (`service`: the service does). */
  audit?: string
  /** Requests per minute per address, for routes that anyone may call. */
  perMinute?: number
  /** A further refusal reason for this principal and request, or null. */
  refine?: (p: UserPrincipal, req: FastifyRequest) => string | null
}

const S: Grant[] = ['scheduler']
const T: Grant[] = ['technician']
const I: Grant[] = ['installer']
const ST: Grant[] = ['scheduler', 'technician']
const TI: Grant[] = ['technician', 'installer']
const STI: Grant[] = ['scheduler', 'technician', 'installer']
const U: Grant[] = ['user']
const A: Grant[] = []
const node = { of: 'node', param: 'id' } as const
const zoneQuery = { of: 'zoneQuery', query: 'zone' } as const
const nodeQuery = { of: 'nodeQuery', query: 'node' } as const

/** Commands an installer may send while commissioning (anything else needs a technician). */
export const INSTALLER_COMMANDS = ['ping', 'testTone']

const installerCommands = (p: UserPrincipal, req: FastifyRequest): string | null => {
  if (p.roles.includes('admin') || p.roles.includes('technician')) return null
  const kind = (req.body as { kind?: unknown } | undefined)?.kind
  return typeof kind === 'string' && INSTALLER_COMMANDS.includes(kind)
    ? null
    : `an installer may send only ${INSTALLER_COMMANDS.join(' and ')}`
}

/** Fleet-wide settings: only principals not limited to zones may change or read them. */
const districtWide = (p: UserPrincipal): string | null =>
  p.zones.length === 0 ? null : 'only a user not limited to zones may do this'

/**
 * Announcements from a user limited to zones (分级管理): only into those zones, never to the whole
 * district (an empty zone list), ids or codes alike.
 */
export const announcementInScope = (
  p: UserPrincipal,
  req: FastifyRequest,
  zones: unknown = (req.body as { zones?: unknown } | undefined)?.zones,
): string | null => {
  if (p.zones.length === 0) return null
  if (!Array.isArray(zones) || zones.length === 0) {
    return 'a user limited to zones announces only into those zones: choose them'
  }
  const { services } = req.server.deps
  const outside = zones.filter((ref) => {
    const zone = typeof ref === 'string' ? services.directory.resolveZone(ref) : null
    return zone === null || !services.accounts.inScope(p.zones, zone.id)
  })
  return outside.length ? `outside your zones: ${outside.join(', ')}` : null
}

/**
 * A zone's own setting named by `?zone=` (id or code), issue 11 (分级管理): a user limited to
 * zones writes only the settings of zones inside their scope, never the district's.
 */
const zoneQueryInScope =
  (what: string) =>
  (p: UserPrincipal, req: FastifyRequest): string | null => {
    if (p.zones.length === 0) return null
    const ref = (req.query as { zone?: unknown } | undefined)?.zone
    if (typeof ref !== 'string' || ref === '') {
      return `a user limited to zones edits only their zones' ${what}: choose a zone`
    }
    const { services } = req.server.deps
    const zone = services.directory.resolveZone(ref)
    if (zone === null) return null // the route answers 404
    return services.accounts.inScope(p.zones, zone.id) ? null : `outside your zones: ${ref}`
  }

/** A date's running order: a user limited to zones writes only their zones' orders. */
export const dayOrderInScope = zoneQueryInScope('running orders')

/** A date's day-type override: a user limited to zones writes only their zones' calendars. */
export const calendarInScope = zoneQueryInScope('calendar overrides')

/** Cancelling an announcement: a user limited to zones only those wholly inside them. */
const cancelInScope = (p: UserPrincipal, req: FastifyRequest): string | null => {
  if (p.zones.length === 0) return null
  const id = (req.params as { id?: string }).id ?? ''
  const zones = req.server.deps.services.announcements.zonesOf(id)
  if (!zones) return null // the route answers 404
  const inside =
    zones.length > 0 && zones.every((z) => req.server.deps.services.accounts.inScope(p.zones, z))
  return inside ? null : 'this announcement reaches zones outside yours'
}

/** A live session: a user limited to zones reaches only one wholly inside them. */
export const liveInScope = (p: UserPrincipal, req: FastifyRequest): string | null => {
  if (p.zones.length === 0) return null
  const id = (req.params as { id?: string }).id ?? ''
  const s = req.server.deps.services.live.get(id)
  if (!s) return null // the route answers 404
  const inside =
    s.zones.length > 0 &&
    s.zones.every((z) => req.server.deps.services.accounts.inScope(p.zones, z))
  return inside ? null : 'this live session reaches zones outside yours'
}

/** `METHOD /route/pattern` → access. HEAD follows GET. */
export const ACCESS_POLICY: Readonly<Record<string, RouteAccess>> = {
  // Public: health, the agents' clock and key, enrollment, login, and the web UI's files.
  // Anyone gets liveness; a logged-in user or token also gets the details (clients, counts).
  'GET /api/health': { allow: 'public', identify: true },
  'GET /api/time': { allow: 'public' },
  'GET /api/keys/controller': { allow: 'public' },
  'POST /api/enroll': { allow: 'public', audit: 'node.enroll', perMinute: 30 },
  'POST /api/auth/login': { allow: 'public', audit: 'service', perMinute: 30 },
  'GET /*': { allow: 'public' },
  'GET /next': { allow: 'public' },
  'GET /next/*': { allow: 'public' },

  // The API's own description (OpenAPI and Swagger UI's page and assets): any logged-in user.
  'GET /api/docs': { allow: U },
  'GET /api/docs/openapi.json': { allow: U },
  'GET /api/docs/json': { allow: U },
  'GET /api/docs/yaml': { allow: U },
  'GET /api/docs/static/*': { allow: U },
  'GET /api/docs/static/index.html': { allow: U },
  'GET /api/docs/static/swagger-initializer.js': { allow: U },
  // The broker cluster (EMQX) asks who a client is and what it may do: questions that change
  // nothing, so not audited; not rate-limited (every connect and publish of the fleet asks).
  'POST /api/broker/auth': { allow: 'public', hook: true, audit: 'service' },
  'POST /api/broker/acl': { allow: 'public', hook: true, audit: 'service' },

  // Own account, sessions and tokens.
  'GET /api/auth/me': { allow: U },
  'POST /api/auth/logout': { allow: U, audit: 'service' },
  'POST /api/auth/password': { allow: U, audit: 'service' },
  'GET /api/tokens': { allow: U },
  'POST /api/tokens': { allow: U, audit: 'service' },
  'DELETE /api/tokens/:id': { allow: U, audit: 'service' },

  // Admin: users and the audit log.
  'GET /api/users': { allow: A },
  'GET /api/users/:id': { allow: A },
  'POST /api/users': { allow: A, audit: 'service' },
  'PATCH /api/users/:id': { allow: A, audit: 'service' },
  'DELETE /api/users/:id': { allow: A, audit: 'service' },
  'GET /api/audit': { allow: A },

  // Nodes and zones: installers register, commission, replace, retire, rotate in their zones.
  'GET /api/nodes': { allow: STI },
  'GET /api/nodes/:id': { allow: STI, scope: node },
  'POST /api/nodes': {
    allow: I,
    scope: { of: 'zoneRef', body: 'zone' },
    audit: 'node.register',
  },
  'POST /api/nodes/:id/enrollment': { allow: I, scope: node, audit: 'node.enrollment' },
  'POST /api/nodes/:id/replace': { allow: I, scope: node, audit: 'node.replace' },
  'POST /api/nodes/:id/retire': { allow: I, scope: node, audit: 'node.retire' },
  'POST /api/nodes/:id/rotate': { allow: I, scope: node, audit: 'node.rotate' },
  'PATCH /api/nodes/:id': { allow: I, scope: node, audit: 'node.edit' },
  'GET /api/nodes/export': { allow: STI },
  'POST /api/nodes/import': { allow: I, audit: 'node.import' },
  'POST /api/nodes/bulk': { allow: TI, audit: 'node.bulk' },
  'GET /api/zones': { allow: STI },
  'GET /api/map': { allow: STI },
  'GET /api/map/tiles.pmtiles': { allow: STI },
  'POST /api/zones': { allow: A, audit: 'zone.create' },
  'GET /api/zones/catalogue': { allow: A },
  'POST /api/zones/setup': { allow: A, audit: 'zone.setup' },
  'POST /api/zones/import': { allow: A, audit: 'zone.import' },
  'PATCH /api/zones/:id': { allow: A, audit: 'zone.update' },
  'DELETE /api/zones/:id': { allow: A, audit: 'zone.delete' },

  // Monitoring and commands: technicians; installers on their own nodes while commissioning.
  'GET /api/nodes/:id/transitions': { allow: TI, scope: node },
  'GET /api/nodes/:id/telemetry': { allow: TI, scope: node },
  'GET /api/nodes/:id/availability': { allow: TI, scope: node },
  'GET /api/nodes/:id/timing': { allow: TI, scope: node },
  'GET /api/nodes/:id/plays': { allow: STI, scope: node },
  'GET /api/nodes/:id/commands': { allow: TI, scope: node },
  'POST /api/nodes/:id/commands': {
    allow: TI,
    scope: node,
    audit: 'command.node',
    refine: installerCommands,
  },
  'POST /api/zones/:id/commands': {
    allow: T,
    scope: { of: 'zone', param: 'id' },
    audit: 'command.zone',
  },
  'GET /api/commands/batches/:id': { allow: T },
  'GET /api/fleet/summary': { allow: STI },
  'GET /api/alerts': { allow: T },
  'POST /api/alerts/:id/ack': { allow: T, audit: 'alert.ack' },
  'POST /api/alerts/:id/resolve': { allow: T, audit: 'alert.resolve' },
  'GET /api/alert-rules': { allow: T },
  'PUT /api/alert-rules/:kind': { allow: T, audit: 'alertRule.update', refine: districtWide },
  'GET /api/incidents': { allow: T },
  'GET /api/webhook/deliveries': { allow: T, refine: districtWide },
  // The fleet's figures are the district's: not for a user limited to zones.
  'GET /metrics': { allow: T, refine: districtWide },
  'GET /api/stream': { allow: STI },

  // Programme: schedulers. Audio files also to nodes (HTTP Basic) and technicians.
  'GET /api/audio': { allow: S },
  'GET /api/audio/:id': { allow: S },
  'GET /api/audio/:id/usage': { allow: S },
  'POST /api/audio': { allow: S, audit: 'audio.upload' },
  'PATCH /api/audio/:id': { allow: S, audit: 'audio.update' },
  'DELETE /api/audio/:id': { allow: S, audit: 'audio.delete' },
  'GET /api/audio/files/:sha256': { allow: ['node', 'scheduler', 'technician'] },
  'GET /api/days/:date': { allow: S, scope: zoneQuery },
  'PUT /api/days/:date': { allow: S, audit: 'day.put', refine: dayOrderInScope },
  'DELETE /api/days/:date': { allow: S, audit: 'day.delete', refine: dayOrderInScope },
  'POST /api/days/copy': { allow: S, audit: 'day.copy', refine: dayOrderInScope },
  'GET /api/days/:date/versions': { allow: S, scope: zoneQuery },
  'GET /api/days/:date/effective': { allow: S, scope: [zoneQuery, nodeQuery] },
  'POST /api/days/:date/versions/:version/restore': {
    allow: S,
    audit: 'day.restore',
    refine: dayOrderInScope,
  },
  'GET /api/columns': { allow: S },
  'GET /api/columns/:id': { allow: S },
  'POST /api/columns': { allow: S, audit: 'column.create', refine: districtWide },
  'PATCH /api/columns/:id': { allow: S, audit: 'column.update', refine: districtWide },
  'DELETE /api/columns/:id': { allow: S, audit: 'column.delete', refine: districtWide },
  'GET /api/templates': { allow: S },
  'GET /api/templates/:dayType': { allow: S },
  'PUT /api/templates/:dayType': { allow: S, audit: 'template.put', refine: districtWide },
  'GET /api/calendar': { allow: S, scope: zoneQuery },
  'GET /api/calendar/:date': { allow: S, scope: zoneQuery },
  'PUT /api/calendar/:date': { allow: S, audit: 'calendar.set', refine: calendarInScope },
  'DELETE /api/calendar/:date': { allow: S, audit: 'calendar.clear', refine: calendarInScope },
  'PUT /api/calendar/range': { allow: S, audit: 'calendar.range', refine: calendarInScope },
  'GET /api/holidays': { allow: ST },
  'POST /api/holidays/preview': { allow: S, audit: 'holidays.preview', refine: districtWide },
  'POST /api/holidays': { allow: S, audit: 'holidays.import', refine: districtWide },
  'DELETE /api/holidays/:year': { allow: S, audit: 'holidays.remove', refine: districtWide },
  'GET /api/announcements': { allow: S },
  'GET /api/announcements/:id': { allow: S },
  // Zone scope checked by the route once the body (JSON or multipart fields) is read.
  'POST /api/announcements': { allow: S, audit: 'announcement.create' },
  // Live sessions (issue 13): schedulers within their zones; nodes fetch the stream.
  'GET /api/live': { allow: S },
  'GET /api/live/:id': { allow: S, refine: liveInScope },
  'GET /api/live/:id/recording': { allow: S, refine: liveInScope },
  'GET /api/live/:id/stream': { allow: ['node'] },
  'POST /api/live': { allow: S, audit: 'live.open', refine: announcementInScope },
  'POST /api/live/:id/end': { allow: S, audit: 'live.end', refine: liveInScope },
  'POST /api/announcements/:id/cancel': {
    allow: S,
    audit: 'announcement.cancel',
    refine: cancelInScope,
  },
  // Live sources (issue 13): schedulers go on air only into their zones. The talk socket checks
  // the zones of its start message (close 4403) and records the session itself (live.talk).
  'GET /api/live/talk': { allow: S },
  'POST /api/live/relay': {
    allow: S,
    audit: 'live.relay',
    refine: (p, req) => announcementInScope(p, req),
  },
  // Lists: a user limited to zones gets only its nodes' plays, plan status, readiness and
  // reports (the routes filter through `reachOf`).
  'GET /api/plays': { allow: ST },
  'GET /api/plans/status': { allow: ST },
  'GET /api/readiness': { allow: ST },
  'GET /api/reports/day': { allow: S },
  'GET /api/reports/summary': { allow: S },
  'GET /api/reports/deviation': { allow: ST },
}

/** Methods that change something: they need an audit action and, with a cookie, a CSRF token. */
export const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** `/api/nodes/` → `/api/nodes` (fastify registers a prefixed `/` route both ways). */
export function normaliseRoute(url: string): string {
  return url.length > 1 && url.endsWith('/') ? url.slice(0, -1) : url
}

/** The access rule of a route pattern, or undefined when it has none (→ 403). */
export function accessOf(method: string, url: string): RouteAccess | undefined {
  const m = method === 'HEAD' ? 'GET' : method
  return ACCESS_POLICY[`${m} ${normaliseRoute(url)}`]
}

/** Whether a principal's roles satisfy a route's grants (admin satisfies every one). */
export function rolesAllow(allow: readonly Grant[], roles: readonly Role[]): boolean {
  if (roles.includes('admin') || allow.includes('user')) return true
  return allow.some((g) => g !== 'node' && g !== 'user' && roles.includes(g))
}
