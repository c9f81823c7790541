/**
 * @module contract/routes
 * What each route does, in one line, and which part of the API it belongs to: the OpenAPI
 * document's summaries and tags, and docs/api.md's sections. Keyed like the access policy
 * (`METHOD /pattern`); a test checks that every registered route has an entry.
 */

/** The HTTP contract's version (the OpenAPI document's `info.version`). */
export const CONTRACT_VERSION = '1.0.0'

/** The parts of the API (OpenAPI tags), in the order the docs list them. */
export const API_TAGS = [
  { name: 'fleet', description: 'Nodes as they are, zones, monitoring, commands, alerts' },
  { name: 'provisioning', description: 'Registering, enrolling, replacing and retiring nodes' },
  { name: 'programme', description: 'Running orders, calendar, columns, audio, announcements' },
  { name: 'reports', description: 'Proof of play and start deviations' },
  { name: 'accounts', description: 'Login, users, API tokens and the audit log' },
  { name: 'platform', description: 'Health, clock, keys, metrics, live stream, these docs' },
] as const

/** One part of the API. */
export type ApiTag = (typeof API_TAGS)[number]['name']

/** A route's one-line summary and its part of the API. */
export interface RouteDoc {
  tag: ApiTag
  summary: string
}

const f = (summary: string): RouteDoc => ({ tag: 'fleet', summary })
const pv = (summary: string): RouteDoc => ({ tag: 'provisioning', summary })
const pg = (summary: string): RouteDoc => ({ tag: 'programme', summary })
const r = (summary: string): RouteDoc => ({ tag: 'reports', summary })
const a = (summary: string): RouteDoc => ({ tag: 'accounts', summary })
const pl = (summary: string): RouteDoc => ({ tag: 'platform', summary })

/** `METHOD /pattern` → summary and tag. */
export const ROUTE_DOCS: Readonly<Record<string, RouteDoc>> = {
  'GET /api/health': pl('Liveness (anyone); broker, database and counts (logged in)'),
  'GET /api/time': pl("The controller's clock, for the agents' clock sync"),
  'GET /api/keys/controller': pl('The public key agents verify plans and commands with'),
  'GET /metrics': pl('Prometheus metrics'),
  'GET /api/stream': pl('Live changes as Server-Sent Events'),
  'GET /api/docs/openapi.json': pl('This API as an OpenAPI document'),

  'POST /api/enroll': pv('A node exchanges its one-time enrollment token for its credentials'),
  'POST /api/broker/auth': pv('EMQX asks whether a client may connect'),
  'POST /api/broker/acl': pv('EMQX asks whether a client may publish or subscribe'),
  'POST /api/nodes': pv('Register a node: its secret and provisioning bundle, shown once'),
  'POST /api/nodes/:id/enrollment': pv('Issue a fresh enrollment bundle'),
  'POST /api/nodes/:id/replace': pv('New hardware takes over the node; a bundle for it'),
  'POST /api/nodes/:id/retire': pv('Retire a node: its credentials stop working'),
  'POST /api/nodes/:id/rotate': pv("Rotate the node's secret, shown once"),

  'GET /api/nodes': f('Nodes with their state (a zone-limited user sees its zones only)'),
  'GET /api/nodes/:id': f('One node'),
  'PATCH /api/nodes/:id': pv("Edit a node's name, zone, position, serial and notes"),
  'GET /api/nodes/export': pv('The survey sheet of speakers as CSV'),
  'POST /api/nodes/import': pv('Import the survey sheet (dry run unless apply)'),
  'POST /api/nodes/bulk': pv('Move, retire or command the speakers of a list'),
  'GET /api/map': f("The map's base layer and the district's default view"),
  'GET /api/map/tiles.pmtiles': f("The district's PMTiles base map (range requests)"),
  'GET /api/zones': f('The zone tree'),
  'POST /api/zones': f('Create a zone'),
  'GET /api/zones/catalogue': f('The bundled catalogue of administrative divisions'),
  'POST /api/zones/setup': f("Create a fresh install's district (and towns) from the catalogue"),
  'POST /api/zones/import': f('Import a zone tree as `code,name` CSV'),
  'PATCH /api/zones/:id': f('Rename, move or recode a zone'),
  'DELETE /api/zones/:id': f('Delete a zone nothing uses'),
  'GET /api/nodes/:id/transitions': f("A node's online/offline history"),
  'GET /api/nodes/:id/telemetry': f("A node's telemetry samples"),
  'GET /api/nodes/:id/availability': f("A node's share of time online per day"),
  'GET /api/nodes/:id/timing': f("A node's recent start deviations and clock offset"),
  'GET /api/nodes/:id/plays': f("A node's recent play events"),
  'GET /api/nodes/:id/commands': f('Commands sent to a node and what became of them'),
  'POST /api/nodes/:id/commands': f('Send a node a command (test tone, volume, resync…)'),
  'POST /api/zones/:id/commands': f('Send every node of a zone a command'),
  'GET /api/commands/batches/:id': f('A zone command batch and its results'),
  'GET /api/fleet/summary': f("Counts of nodes by state (a zone-limited caller: its zones' nodes)"),
  'GET /api/alerts': f('Open (or recent) alerts'),
  'POST /api/alerts/:id/ack': f('Acknowledge an alert'),
  'POST /api/alerts/:id/resolve': f('Resolve an alert'),
  'GET /api/alert-rules': f('Alert rules'),
  'PUT /api/alert-rules/:kind': f('Change an alert rule'),
  'GET /api/incidents': f('Incidents: many nodes of one place failing at once'),
  'GET /api/webhook/deliveries': f('Recent alert webhook deliveries'),

  'GET /api/audio': pg('The audio library, searched and filtered'),
  'GET /api/audio/:id': pg('One recording'),
  'GET /api/audio/:id/usage': pg('Where a recording is used'),
  'POST /api/audio': pg('Upload a recording (multipart `file`, `title`, `column`)'),
  'PATCH /api/audio/:id': pg("Edit a recording's title or column"),
  'DELETE /api/audio/:id': pg('Delete a recording the programme does not use'),
  'GET /api/audio/files/:sha256': pg('Download audio by content hash (range requests)'),
  'GET /api/days/:date': pg("A date's running order, what will play, and issues"),
  'PUT /api/days/:date': pg("Save a date's own running order"),
  'DELETE /api/days/:date': pg("Remove a date's own running order"),
  'POST /api/days/copy': pg('Copy days or templates to other dates'),
  'GET /api/days/:date/versions': pg("Every saved version of a date's order"),
  'GET /api/days/:date/effective': pg('Which order a zone or node plays on a date, and from where'),
  'POST /api/days/:date/versions/:version/restore': pg('Restore a saved version'),
  'GET /api/columns': pg('Columns (栏目)'),
  'GET /api/columns/:id': pg('One column'),
  'POST /api/columns': pg('Create a column'),
  'PATCH /api/columns/:id': pg('Edit a column'),
  'DELETE /api/columns/:id': pg('Delete a column nothing uses'),
  'GET /api/templates': pg('The working-day and rest-day running orders'),
  'GET /api/templates/:dayType': pg('One template'),
  'PUT /api/templates/:dayType': pg('Save a template'),
  'GET /api/calendar': pg('A month of the calendar'),
  'GET /api/calendar/:date': pg('One date of the calendar'),
  'PUT /api/calendar/range': pg('Set (or clear) the day type of several dates'),
  'PUT /api/calendar/:date': pg("Override a date's day type"),
  'DELETE /api/calendar/:date': pg("Clear a date's override"),
  'GET /api/holidays': pg('Known holiday years, imports, and the year that is missing'),
  'POST /api/holidays/preview': pg("Read a notice or .ics and compare it with today's calendar"),
  'POST /api/holidays': pg("Import a year's official arrangement"),
  'DELETE /api/holidays/:year': pg("Remove a year's import"),
  'GET /api/announcements': pg('Urgent announcements (插播)'),
  'GET /api/announcements/:id': pg('One announcement with per-node delivery and play'),
  'POST /api/announcements': pg('Send an announcement (JSON, or multipart with a fresh file)'),
  'POST /api/announcements/:id/cancel': pg('Withdraw an announcement'),
  'GET /api/live': pg('Live sessions (喊话, 转播): on air now and the record'),
  'GET /api/live/:id': pg('One live session'),
  'GET /api/live/:id/recording': pg('The recording of a live session (Ogg Opus as sent)'),
  'GET /api/live/:id/stream': pg("A live session's stream, for its nodes (Ogg Opus, chunked)"),
  'POST /api/live': pg('Relay a URL source live to zones now'),
  'POST /api/live/:id/end': pg('End a live session'),
  'GET /api/plans/status': pg('How many nodes hold the current plan'),
  'GET /api/readiness': pg('Which nodes hold every file a date needs'),

  'GET /api/live/talk': pg('Go on air from the browser: a WebSocket of PCM audio (TalkStart)'),
  'POST /api/live/relay': pg('Relay a live stream on the local network to zones, now'),
  'GET /api/plays': r('Every play event of a date'),
  'GET /api/reports/day': r('Proof of play for a date (JSON or CSV)'),
  'GET /api/reports/summary': r('Segments per speaker over a range of dates (JSON or CSV)'),
  'GET /api/reports/deviation': r('Start deviations of a date'),

  'POST /api/auth/login': a('Log in: a session cookie and the CSRF token'),
  'GET /api/auth/me': a('Who is logged in'),
  'POST /api/auth/logout': a('Log out'),
  'POST /api/auth/password': a('Change your password'),
  'GET /api/tokens': a('API tokens (an admin sees all, others their own)'),
  'POST /api/tokens': a('Create an API token, shown once'),
  'DELETE /api/tokens/:id': a('Revoke an API token'),
  'GET /api/users': a('Users'),
  'GET /api/users/:id': a('One user'),
  'POST /api/users': a('Create a user'),
  'PATCH /api/users/:id': a("Change a user's roles, zones, password; disable, unlock"),
  'DELETE /api/users/:id': a('Delete a user'),
  'GET /api/audit': a('The audit log, newest first (JSON or CSV)'),
}
