import { parseArgs } from 'node:util'
import { type Static, Type } from 'typebox'
import { Compile } from 'typebox/compile'
import { Value } from 'typebox/value'
import { RECONNECT_BACKOFF } from '../protocol/index.js'

/** Every controller setting, with its default and description; env, flags and help derive from it. */
export const ConfigSchema = Type.Object({
  httpHost: Type.String({
    default: '127.0.0.1',
    description: 'Address the HTTP API and web UI bind to (loopback until accounts exist)',
  }),
  httpPort: Type.Integer({
    default: 8080,
    minimum: 0,
    maximum: 65535,
    description: 'HTTP port; 0 picks a free one',
  }),
  mqttHost: Type.String({
    default: '0.0.0.0',
    description: 'Address the embedded MQTT broker binds to (nodes connect from the network)',
  }),
  mqttPort: Type.Integer({
    default: 1883,
    minimum: 0,
    maximum: 65535,
    description: 'Embedded MQTT broker port; 0 picks a free one',
  }),
  mqttMaxConnections: Type.Integer({
    default: 12_000,
    minimum: 1,
    maximum: 1_000_000,
    description:
      'Open sockets the embedded broker accepts in all (nodes, the controller, and sockets not ' +
      'yet authenticated); lowered to leave 1,024 file descriptors (a quarter of a smaller ' +
      'limit) for the rest of the process: raise ulimit -n / LimitNOFILE for a big fleet',
  }),
  mqttMaxConnectionsPerAddress: Type.Integer({
    default: 1_000,
    minimum: 1,
    maximum: 1_000_000,
    description:
      'Open broker sockets from one remote address; raise it when more nodes share one public ' +
      'address (NAT, a carrier-grade NAT, a TLS proxy in front of the broker)',
  }),
  mqttConnectTimeoutMs: Type.Integer({
    default: 10_000,
    minimum: 100,
    maximum: 300_000,
    description: 'A broker socket whose CONNECT has not arrived by then is closed',
  }),
  mqttTlsHandshakeTimeoutMs: Type.Integer({
    default: 30_000,
    minimum: 100,
    maximum: 300_000,
    description:
      'A socket on the MQTT-over-TLS port whose handshake has not finished by then is closed ' +
      '(generous: in a reconnect storm the handshakes of thousands of nodes queue for the CPU)',
  }),
  mqttMaxConnectBytes: Type.Integer({
    default: 8192,
    minimum: 512,
    maximum: 1_048_576,
    description:
      'Bytes a client may send before it has authenticated (its CONNECT and will); more cuts ' +
      'the connection (afterwards packets may reach the protocol maximum, 2 MiB + 4 KiB)',
  }),
  mqttMaxConnectsPerNodePerMin: Type.Integer({
    default: 30,
    minimum: 1,
    maximum: 100_000,
    description:
      'Sessions one node may open per minute on the embedded broker; more are refused ' +
      '(CONNACK server unavailable), so a node cannot churn presence transitions and log lines',
  }),
  telemetryMinIntervalSec: Type.Integer({
    default: 30,
    minimum: 0,
    maximum: 86_400,
    description:
      'At most one telemetry sample per node is kept per this many seconds; faster ones are ' +
      'dropped and count as violations (agents send one a minute and one at each connect; 0 ' +
      'keeps every sample)',
  }),
  nodeMaxMessagesPerMin: Type.Integer({
    default: 600,
    minimum: 1,
    maximum: 1_000_000,
    description:
      'MQTT messages one node may send per minute (burst included), counted before they are ' +
      'parsed; more are dropped and count as violations',
  }),
  nodeMaxEventsPerMin: Type.Integer({
    default: 600,
    minimum: 1,
    maximum: 1_000_000,
    description:
      'Events (play reports, acks) one node may send per minute once its burst is spent; more ' +
      'are dropped and count as violations (an agent reports about 50 a day)',
  }),
  nodeEventsBurst: Type.Integer({
    default: 10_000,
    minimum: 1,
    maximum: 10_000_000,
    description: 'Events one node may send at once, e.g. its outbox replayed after a long outage',
  }),
  ingestVerifyThreads: Type.Integer({
    default: 1,
    minimum: 0,
    maximum: 16,
    description:
      'Worker threads that check event signatures when events arrive faster than the event ' +
      'loop checks them alone (about 100 µs each); 0 checks every one on the event loop',
  }),
  nodeViolationLimit: Type.Integer({
    default: 50,
    minimum: 1,
    maximum: 1_000_000,
    description:
      'Violations (invalid or rate-limited messages, refused publishes and subscriptions) in one ' +
      'minute after which the embedded broker disconnects the node',
  }),
  rejectLogIntervalSec: Type.Integer({
    default: 10,
    minimum: 1,
    maximum: 3600,
    description:
      'Rejected MQTT input is logged at most once per kind in this many seconds, with the ' +
      'number left out; /metrics counts every one',
  }),
  brokerUrl: Type.String({
    default: '',
    description: 'Use this external MQTT broker (mqtt://host:port) instead of the embedded one',
  }),
  brokerUsername: Type.String({
    default: 'chorus-controller',
    description: 'Service username on an external broker',
  }),
  brokerPassword: Type.String({
    default: '',
    description: 'Service password on an external broker (embedded: generated at each start)',
  }),
  brokerHookSecret: Type.String({
    default: '',
    pattern: '^(.{16,})?$',
    description:
      'Shared secret (16 characters or more) an EMQX cluster sends in the x-chorus-hook-secret ' +
      'header when it asks POST /api/broker/auth and /api/broker/acl (empty: both answer 403); ' +
      'never logged',
  }),
  brokerDynsec: Type.Boolean({
    default: false,
    description:
      'The external broker is Mosquitto with dynamic security (npm run mosquitto:config): the ' +
      'controller creates, changes and deletes node accounts through its control API',
  }),
  brokerClientId: Type.String({
    default: 'chorus-controller',
    pattern: '^[A-Za-z0-9_-]{1,64}$',
    description:
      'Client id of the persistent session on an external broker (events published while the ' +
      'controller is down are queued for it); unique per controller on a shared broker',
  }),
  dataDir: Type.String({ default: './data', description: 'Where SQLite and audio files live' }),
  tls: Type.Union([Type.Literal('off'), Type.Literal('on')], {
    default: 'off',
    description:
      'TLS for MQTT (mqttTlsPort) and HTTPS; without cert files a private CA is generated',
  }),
  mqttTlsPort: Type.Integer({
    default: 8883,
    minimum: 0,
    maximum: 65535,
    description: 'MQTT over TLS port of the embedded broker when tls is on; 0 picks a free one',
  }),
  mqttPlain: Type.Boolean({
    default: true,
    description: 'Keep the plain MQTT port open when tls is on (set false to refuse plain MQTT)',
  }),
  tlsCertFile: Type.String({ default: '', description: 'PEM server certificate (chain) file' }),
  tlsKeyFile: Type.String({ default: '', description: 'PEM private key file of the certificate' }),
  tlsCaFile: Type.String({
    default: '',
    description: 'PEM CA certificate agents must trust (default: the generated CA)',
  }),
  tlsHostnames: Type.String({
    default: '',
    description: 'Comma-separated names and IPs for the generated server certificate',
  }),
  tz: Type.String({
    default: 'Asia/Shanghai',
    description: "The district's time zone (IANA name)",
  }),
  horizonDays: Type.Integer({
    default: 7,
    minimum: 1,
    maximum: 31,
    description: 'Days after today that each node plan covers',
  }),
  mapTilesFile: Type.String({
    default: '',
    description:
      'A PMTiles file of the district (vector or raster) the map draws as its base map, served ' +
      'by the controller itself: no internet needed (docs/operations.md says how to cut one)',
  }),
  mapTileUrl: Type.String({
    default: '',
    pattern: '^(https?://.*\\{z\\}.*\\{x\\}.*\\{y\\}.*)?$',
    description:
      'Instead of a file: an intranet raster tile service, e.g. ' +
      'http://tiles.example.gov.cn/{z}/{x}/{y}.png (the browser fetches it directly)',
  }),
  mapCenter: Type.String({
    default: '36.66,101.76',
    pattern: '^-?\\d{1,2}(\\.\\d+)?,-?\\d{1,3}(\\.\\d+)?$',
    description: "The map's default view: the district's centre as latitude,longitude",
  }),
  mapZoom: Type.Number({
    default: 12,
    minimum: 1,
    maximum: 20,
    description: "The map's default zoom level",
  }),
  planCoalesceMs: Type.Integer({
    default: 300,
    minimum: 0,
    maximum: 3_600_000,
    description:
      'After a programme change, plans are re-planned and pushed this long after the last change of a burst (an editor autosaving), off the request path',
  }),
  planMaxWaitMs: Type.Integer({
    default: 2500,
    minimum: 0,
    maximum: 3_600_000,
    description:
      'However long a burst of programme changes lasts, plans are re-planned at most this long after its first change',
  }),
  maxUploadMb: Type.Integer({
    default: 200,
    minimum: 1,
    maximum: 4096,
    description: 'Largest audio upload accepted, in MB',
  }),
  maxAudioMinutes: Type.Integer({
    default: 120,
    minimum: 1,
    maximum: 1440,
    description: 'Longest recording accepted, in minutes',
  }),
  quietHours: Type.String({
    default: '22:00-06:30',
    pattern: '^([01]\\d|2[0-3]):[0-5]\\d-([01]\\d|2[0-3]):[0-5]\\d$',
    description:
      'Local HH:MM-HH:MM when speakers stay silent; running orders with items in it are flagged',
  }),
  announcementMaxDelaySec: Type.Integer({
    default: 600,
    minimum: 10,
    maximum: 86_400,
    description:
      'A node that could not start an announcement at its time still plays it whole this long after',
  }),
  silentThresholdDb: Type.Number({
    default: -60,
    minimum: -120,
    maximum: 0,
    description:
      'A play whose measured RMS level is below this (dBFS) counts as silent, not played',
  }),
  rebirthGraceSec: Type.Integer({
    default: 15,
    minimum: 1,
    maximum: 600,
    description:
      'After start, nodes that have not answered the rebirth request by then are offline (the wait is longer when agentReconnectCapSec and the fleet size need it)',
  }),
  agentReconnectCapSec: Type.Integer({
    default: RECONNECT_BACKOFF.capMs / 1000,
    minimum: 1,
    maximum: 3600,
    description:
      "The agents' longest reconnect delay (their backoff cap): after a start the controller waits this long plus 10 s plus 1 s per 500 nodes before calling a silent node offline",
  }),
  alertWebhookUrl: Type.String({
    default: '',
    description: 'POST every alert opened or resolved as JSON to this URL (empty: no webhook)',
  }),
  webhookMaxAttempts: Type.Integer({
    default: 6,
    minimum: 1,
    maximum: 20,
    description: 'Attempts per webhook delivery before giving up (backoff doubles from 1 s)',
  }),
  webhookRetryBaseMs: Type.Integer({
    default: 1000,
    minimum: 10,
    maximum: 600_000,
    description: 'First webhook retry delay in ms; each further retry waits twice as long',
  }),
  healthIntervalSec: Type.Integer({
    default: 5,
    minimum: 1,
    maximum: 300,
    description: 'How often node health and alert rules are evaluated',
  }),
  flapWindowSec: Type.Integer({
    default: 600,
    minimum: 10,
    maximum: 86_400,
    description: 'Window in which transitions count towards flapping',
  }),
  flapThreshold: Type.Integer({
    default: 6,
    minimum: 2,
    maximum: 1000,
    description: 'Transitions within the window that make a node flapping',
  }),
  incidentWindowMs: Type.Integer({
    default: 3000,
    minimum: 100,
    maximum: 600_000,
    description: 'Nodes dropping within this time of each other are grouped into one incident',
  }),
  incidentMinNodes: Type.Integer({
    default: 5,
    minimum: 2,
    maximum: 100_000,
    description: 'Smallest group of simultaneous drops reported as one incident',
  }),
  clockOffsetMaxMs: Type.Integer({
    default: 1000,
    minimum: 10,
    maximum: 3_600_000,
    description: 'A node whose clock is off by more than this is degraded',
  }),
  clockUncertaintyMaxMs: Type.Integer({
    default: 100,
    minimum: 1,
    maximum: 600_000,
    description:
      "A node whose estimate of the controller's clock is uncertain by more than this (half its round trip) is degraded",
  }),
  lateStartMaxMs: Type.Integer({
    default: 1000,
    minimum: 10,
    maximum: 600_000,
    description: 'A node whose segments start later than this (median of the last 10) is degraded',
  }),
  diskMinFreeMb: Type.Integer({
    default: 200,
    minimum: 1,
    maximum: 1_000_000,
    description: 'A node with less free disk than this is degraded',
  }),
  telemetryRetentionDays: Type.Integer({
    default: 7,
    minimum: 1,
    maximum: 366,
    description: 'Days of telemetry samples kept for node charts',
  }),
  publicControllerUrl: Type.String({
    default: '',
    pattern: '^(https?://[^/]+.*)?$',
    description:
      'Controller URL that nodes use, put in provisioning bundles (default: the bound HTTP ' +
      'address, 127.0.0.1 when bound to 0.0.0.0: set it for a real deployment)',
  }),
  publicBrokerUrl: Type.String({
    default: '',
    pattern: '^((mqtts?|wss?|tcp|ssl)://.+)?$',
    description:
      'MQTT broker URL that nodes use, put in provisioning bundles (default: the bound MQTT ' +
      'address, 127.0.0.1 when bound to 0.0.0.0: set it for a real deployment)',
  }),
  enrollmentTtlHours: Type.Number({
    default: 24,
    exclusiveMinimum: 0,
    maximum: 8760,
    description: 'Hours a one-time enrollment token stays valid (fractions allowed: 0.5 = 30 min)',
  }),
  adminPassword: Type.String({
    default: '',
    description:
      'Password of the admin account created on first start (empty: one is generated and ' +
      'printed once); ignored once any account exists',
  }),
  sessionTtlHours: Type.Number({
    default: 12,
    exclusiveMinimum: 0,
    maximum: 720,
    description: 'A login session ends this many hours after it began',
  }),
  sessionIdleMinutes: Type.Number({
    default: 60,
    exclusiveMinimum: 0,
    maximum: 43_200,
    description: 'A login session ends after this many minutes without a request',
  }),
  loginMaxFailures: Type.Integer({
    default: 5,
    minimum: 1,
    maximum: 100,
    description:
      'Failed logins per username (four times as many per address) before logins are locked',
  }),
  loginLockoutSec: Type.Number({
    default: 30,
    exclusiveMinimum: 0,
    maximum: 3600,
    description: 'First lockout after too many failed logins; doubles with each further failure',
  }),
  logLevel: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info', description: 'Log level' },
  ),
})

/** The controller's validated, frozen configuration. */
export type Config = Readonly<Static<typeof ConfigSchema>>

type Key = keyof Static<typeof ConfigSchema>
const KEYS = Object.keys(ConfigSchema.properties) as Key[]

/** Settings whose values are secrets (never echoed in a configuration error). */
const SECRET_KEY = /password|secret/i

/** `httpPort` → `CHORUS_HTTP_PORT`. */
export function envName(key: string): string {
  return `CHORUS_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`
}

/** `httpPort` → `http-port`. */
export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
}

/** Error carrying every configuration problem at once. */
export class ConfigError extends Error {
  readonly problems: string[]
  constructor(problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`)
    this.name = 'ConfigError'
    this.problems = problems
  }
}

/**
 * Builds the configuration from defaults, then `CHORUS_*` variables, then `--flags` (flags win),
 * and throws one ConfigError listing every problem. Returns `{ help: true }` for `--help`.
 */
export function loadConfig(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): Config | { help: true } {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } }
  for (const key of KEYS) options[flagName(key)] = { type: 'string' }
  let flags: Record<string, string | boolean | undefined>
  try {
    flags = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values
  } catch (err) {
    throw new ConfigError([(err as Error).message])
  }
  if (flags.help) return { help: true }
  const raw: Record<string, unknown> = {}
  for (const key of KEYS) {
    const fromFlag = flags[flagName(key)]
    const fromEnv = env[envName(key)]
    const value = typeof fromFlag === 'string' ? fromFlag : fromEnv
    if (value !== undefined) raw[key] = value
  }
  const withDefaults = Value.Default(ConfigSchema, raw)
  const converted = Value.Convert(ConfigSchema, withDefaults)
  const checker = Compile(ConfigSchema)
  const problems = checker.Errors(converted).map((e) => {
    const key = e.instancePath.replace(/^\//, '')
    const source = key ? `${envName(key)} / --${flagName(key)}` : 'config'
    // A secret's value is never echoed: the message reaches the console and service logs.
    const got = SECRET_KEY.test(key)
      ? 'value hidden'
      : `got ${JSON.stringify((raw as Record<string, unknown>)[key])}`
    return `${source}: ${e.message} (${got})`
  })
  const config = converted as Static<typeof ConfigSchema>
  try {
    new Intl.DateTimeFormat('en', { timeZone: String(config.tz) })
  } catch {
    problems.push(`${envName('tz')} / --tz: unknown time zone ${JSON.stringify(config.tz)}`)
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return Object.freeze({ ...config })
}

/** The `--help` text, rendered from the schema. */
export function renderHelp(): string {
  const lines = [
    'Usage: npm start -- [options]',
    '',
    'Every option is also an environment variable.',
    '',
  ]
  for (const key of KEYS) {
    const s = ConfigSchema.properties[key] as { default?: unknown; description?: string }
    lines.push(`${`  --${flagName(key)} <value>`.padEnd(30)}${envName(key)}`)
    lines.push(`      ${s.description ?? ''} (default: ${JSON.stringify(s.default)})`)
  }
  lines.push(`${'  --help'.padEnd(30)}show this help`)
  return lines.join('\n')
}
