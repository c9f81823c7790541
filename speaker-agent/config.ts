import { readFileSync } from 'node:fs'
import { type Static, Type } from 'typebox'
import { Value } from 'typebox/value'
import { NODE_ID_PATTERN } from '../protocol/index.js'
import { AGENT_CONFIG, AgentError } from './errors.js'

/** Configuration of one speaker agent: identity, where the broker and controller are, output. */
export const NodeConfigSchema = Type.Object(
  {
    nodeId: Type.String({
      pattern: NODE_ID_PATTERN,
      description: 'Node id given at registration (lower-case letters, digits, dashes)',
    }),
    secret: Type.String({
      minLength: 1,
      description: 'Node secret given at registration; the MQTT password',
    }),
    brokerUrl: Type.String({
      pattern: '^(mqtts?|wss?|tcp|ssl)://.+',
      default: 'mqtt://127.0.0.1:1883',
      description: 'MQTT broker URL',
    }),
    controllerUrl: Type.String({
      pattern: '^https?://.+',
      default: 'http://127.0.0.1:8080',
      description: 'Controller base URL; relative audio URLs in the plan are resolved against it',
    }),
    sink: Type.String({
      pattern: '^(null|wav:.+|alsa:.+)$',
      default: 'null',
      description: "Audio output: 'null', 'wav:<dir>' or 'alsa:<device>'",
    }),
    dataDir: Type.String({
      minLength: 1,
      default: './node-data',
      description: 'Directory for the plan, the audio cache, the event outbox and state',
    }),
    keepaliveSec: Type.Integer({
      minimum: 5,
      maximum: 600,
      default: 15,
      description:
        'MQTT keepalive; aedes declares a silent node offline after 1.5 x keepalive ' +
        '(15 s -> about 23 s, under the 30 s product bound)',
    }),
    telemetryIntervalSec: Type.Integer({
      minimum: 5,
      maximum: 86_400,
      default: 60,
      description:
        'Seconds between telemetry messages (one is also sent right after each connect); each ' +
        "one first samples the controller's clock (GET /api/time)",
    }),
    lateToleranceMs: Type.Integer({
      minimum: 0,
      maximum: 600_000,
      default: 5000,
      description: 'An item that cannot start within this many ms of its instant is reported late',
    }),
    volume: Type.Integer({
      minimum: 0,
      maximum: 100,
      default: 100,
      description: 'Initial volume 0..100 (a setVolume command overrides it, kept in state.json)',
    }),
    caCert: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'PEM CA certificate to trust for an mqtts:// broker (from the bundle)',
      }),
    ),
    controllerKey: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          "The controller's Ed25519 public key (PEM) plans and commands must be signed with; " +
          'from the provisioning bundle. Without it the key is learnt on first use and pinned',
      }),
    ),
    nodeKey: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          "The node's own Ed25519 private key (PKCS#8 PEM) its events are signed with; enrollment " +
          'stores it in credentials.json. Without it the agent uses <dataDir>/node-key.pem, ' +
          'generated on first start and announced in its birth',
      }),
    ),
  },
  { additionalProperties: false },
)

/** Validated node configuration. */
export type NodeConfig = Static<typeof NodeConfigSchema>

/** Config keys that can also be given as command-line flags, with their flag names. */
export const CONFIG_FLAGS = {
  nodeId: 'node-id',
  secret: 'secret',
  controllerUrl: 'controller',
  brokerUrl: 'broker',
  sink: 'sink',
  dataDir: 'data-dir',
  keepaliveSec: 'keepalive-sec',
  telemetryIntervalSec: 'telemetry-interval-sec',
} as const satisfies Partial<Record<keyof NodeConfig, string>>

/**
 * Config values given as flags or by a caller (fleet, tests), keyed by config key; numeric
 * strings for integer keys are converted. Undefined entries are ignored.
 */
export type NodeConfigFlags = Partial<Record<keyof NodeConfig, string | number | undefined>>

/** Inputs of loadNodeConfig: an optional JSON file and flags that win over it. */
export interface LoadNodeConfigOptions {
  /** Path of a JSON config file (`--config FILE`). */
  file?: string | undefined
  /** Values from flags; undefined entries are ignored. */
  flags?: NodeConfigFlags
  /** Credentials stored by enrollment (`<dataDir>/credentials.json`); the file and flags win. */
  stored?: NodeConfigFlags | undefined
}

/** Merges file and flags, applies defaults, validates; throws one error listing every problem. */
export function loadNodeConfig({
  file,
  flags = {},
  stored = {},
}: LoadNodeConfigOptions): Readonly<NodeConfig> {
  const problems: string[] = []
  let fromFile: Record<string, unknown> = {}
  if (file !== undefined) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        fromFile = parsed as Record<string, unknown>
      } else {
        problems.push(`config file ${file}: must contain a JSON object`)
      }
    } catch (err) {
      problems.push(`config file ${file}: ${(err as Error).message}`)
    }
  }
  const merged: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(stored)) {
    if (value !== undefined) merged[key] = value
  }
  Object.assign(merged, fromFile)
  for (const [key, value] of Object.entries(flags)) {
    if (value !== undefined) merged[key] = value
  }
  for (const [key, schema] of Object.entries(NodeConfigSchema.properties)) {
    const value = merged[key]
    if ((schema as { type?: string }).type === 'integer' && typeof value === 'string') {
      if (/^-?\d+$/.test(value.trim())) merged[key] = Number(value)
    }
  }
  const withDefaults = Value.Default(NodeConfigSchema, merged)
  problems.push(...describeErrors(withDefaults))
  if (problems.length > 0) {
    throw new AgentError(
      AGENT_CONFIG,
      `invalid node configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    )
  }
  return Object.freeze(withDefaults as NodeConfig)
}

function describeErrors(value: unknown): string[] {
  const out: string[] = []
  for (const error of Value.Errors(NodeConfigSchema, value)) {
    if (error.keyword === 'required') {
      const keys = (error.params as { requiredProperties: string[] }).requiredProperties
      for (const key of keys) out.push(`${label(key)}: is required`)
    } else if (error.keyword === 'additionalProperties') {
      const keys = (error.params as { additionalProperties: string[] }).additionalProperties
      for (const key of keys) out.push(`${key}: unknown key`)
    } else if (error.schemaPath !== '#/additionalProperties') {
      out.push(`${label(error.instancePath.slice(1))}: ${error.message}`)
    }
  }
  return out
}

function label(key: string): string {
  const flag = (CONFIG_FLAGS as Record<string, string>)[key]
  return flag ? `${key} (--${flag})` : key
}

/** Usage text for `npm run agent -- --help`, rendered from NodeConfigSchema. */
export function renderHelp(): string {
  const lines = [
    'Usage: npm run agent -- [--config FILE] [--enroll BUNDLE] [flags]',
    '',
    'Runs one Chorus speaker agent. Flags win over the JSON config file.',
    '',
    'Options:',
    '  --config FILE        JSON file with any of the keys below',
    '  --enroll BUNDLE      enroll first: a bundle file, the bundle JSON, - (stdin), or a bare',
    '                       token with --controller and --node-id; the credentials go to',
    '                       <data-dir>/credentials.json (mode 0600), read at every later start',
    '  --enroll-only        exit after enrolling instead of starting',
    '  --secret-file FILE   read the node secret from the first line of FILE (or set',
    '                       CHORUS_NODE_SECRET); --secret on the command line is visible in ps',
    '  --help               print this text',
  ]
  for (const [key, schema] of Object.entries(NodeConfigSchema.properties)) {
    const flag = (CONFIG_FLAGS as Record<string, string>)[key]
    const name = flag ? `--${flag} (${key})` : `${key} (file only)`
    const meta = schema as { description?: string; default?: unknown }
    const dflt = meta.default === undefined ? 'required' : `default ${JSON.stringify(meta.default)}`
    lines.push(`  ${name}`, `      ${meta.description ?? ''} [${dflt}]`)
  }
  return lines.join('\n')
}
