/**
 * Fleet simulator: registers N nodes through the controller's HTTP API and runs N real agents in
 * this one process (`npm run fleet -- --nodes 435`). Like main.ts, this is a composition root:
 * its CLI block at the bottom is the only other place in speaker-agent/ that reads process.argv.
 */
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import pino, { type Logger } from 'pino'
import { resolveFfmpegPath } from '../audio/index.js'
import { type Agent, createAgent } from './agent.js'
import { readJsonFile, writeFileAtomic } from './atomic-file.js'
import { type Clock, createSystemClock } from './clock.js'
import { loadNodeConfig } from './config.js'

/** Zone simulated nodes are registered in when no --zones are given. */
export const FLEET_DEFAULT_ZONE = '模拟节点'

/** Options of runFleet. */
export interface FleetOptions {
  /** How many agents to run. */
  nodes: number
  controllerUrl: string
  brokerUrl: string
  /** API token (installer or admin) that registers the nodes: `Authorization: Bearer`. */
  token?: string
  /** Sink spec for every agent; `wav:<dir>` becomes `wav:<dir>/<nodeId>`. Default `null`. */
  sink?: string
  /** Holds identities.json and one data directory per node. Default `./data/fleet`. */
  dataDir?: string
  /** Zones (ids or names) assigned round-robin at registration; default FLEET_DEFAULT_ZONE. */
  zones?: string[]
  log: Logger
  ffmpegPath?: string
  clock?: Clock
  /** Agents started concurrently per batch. Default 25. */
  batchSize?: number
  /** Called with a one-line summary every `summaryIntervalSec` (default 10). */
  onSummary?: (line: string, counts: FleetCounts) => void
  summaryIntervalSec?: number
}

/** Fleet-wide counters. */
export interface FleetCounts {
  nodes: number
  connected: number
  planApplied: number
  played: number
  failed: number
}

/** A running fleet. */
export interface Fleet {
  readonly agents: readonly Agent[]
  counts(): FleetCounts
  /** Stops every agent and the summary timer. */
  stop(): Promise<void>
}

/** A registered node identity, as stored in `<dataDir>/identities.json`. */
export interface FleetIdentity {
  id: string
  secret: string
  name: string
  zone?: string
}

/** Registers (or reuses) N identities, then starts N agents in small concurrent batches. */
export async function runFleet(opts: FleetOptions): Promise<Fleet> {
  const dataDir = resolve(opts.dataDir ?? './data/fleet')
  const clock = opts.clock ?? createSystemClock()
  const ffmpegPath = opts.ffmpegPath ?? resolveFfmpegPath({})
  const log = opts.log.child({ module: 'fleet' })
  await mkdir(dataDir, { recursive: true })
  const identities = await ensureIdentities(dataDir, opts, log)
  // The simulator is the operator's own tool: it asks for the controller's signing key once and
  // hands it to every agent, as a provisioning bundle would.
  const controllerKey = await fetchControllerKey(opts.controllerUrl)
  const tally = { played: 0, failed: 0 }
  const agents = identities.map((identity) => {
    const sink = opts.sink ?? 'null'
    const config = loadNodeConfig({
      flags: {
        nodeId: identity.id,
        secret: identity.secret,
        brokerUrl: opts.brokerUrl,
        controllerUrl: opts.controllerUrl,
        sink: sink.startsWith('wav:') ? `wav:${join(sink.slice(4), identity.id)}` : sink,
        dataDir: join(dataDir, 'nodes', identity.id),
        ...(controllerKey ? { controllerKey } : {}),
      },
    })
    // Each agent on the real host clocks (monotonic + system), unless a test injects a clock.
    const agent = createAgent({
      config,
      log: opts.log,
      ffmpegPath,
      ...(opts.clock ? { clock: opts.clock } : {}),
    })
    agent.events.on('played', () => tally.played++)
    agent.events.on('failed', () => tally.failed++)
    return agent
  })
  const counts = (): FleetCounts => {
    const all = agents.map((a) => a.status())
    return {
      nodes: agents.length,
      connected: all.filter((s) => s.connected).length,
      planApplied: all.filter((s) => s.planVersion !== null).length,
      ...tally,
    }
  }
  let stopped = false
  let cancelSummary: (() => void) | undefined
  const intervalMs = (opts.summaryIntervalSec ?? 10) * 1000
  const summarise = (): void => {
    const c = counts()
    const line =
      `fleet: ${c.connected}/${c.nodes} connected, ${c.planApplied} with a plan, ` +
      `${c.played} played, ${c.failed} failed`
    opts.onSummary?.(line, c)
    if (!stopped) cancelSummary = clock.setTimer(clock.now() + intervalMs, summarise)
  }
  const fleet: Fleet = {
    agents,
    counts,
    async stop() {
      stopped = true
      cancelSummary?.()
      await Promise.allSettled(agents.map((a) => a.stop()))
    },
  }
  const batchSize = opts.batchSize ?? 25
  try {
    for (let i = 0; i < agents.length && !stopped; i += batchSize) {
      await Promise.all(agents.slice(i, i + batchSize).map((a) => a.start()))
    }
  } catch (err) {
    await fleet.stop()
    throw err
  }
  log.info({ nodes: agents.length, dataDir }, 'fleet started')
  cancelSummary = clock.setTimer(clock.now() + intervalMs, summarise)
  return fleet
}

async function ensureIdentities(
  dataDir: string,
  opts: FleetOptions,
  log: Logger,
): Promise<FleetIdentity[]> {
  const file = join(dataDir, 'identities.json')
  const stored = ((await readJsonFile(file)) as { nodes?: FleetIdentity[] } | undefined)?.nodes
  const identities = Array.isArray(stored) ? [...stored] : []
  if (identities.length > 0) log.info({ reused: identities.length }, 'reusing stored identities')
  const zones = opts.zones && opts.zones.length > 0 ? opts.zones : [FLEET_DEFAULT_ZONE]
  while (identities.length < opts.nodes) {
    const batch = Array.from({ length: Math.min(8, opts.nodes - identities.length) }, (_, k) => {
      const n = identities.length + k
      const zone = zones[n % zones.length]
      const name = `fleet-${String(n + 1).padStart(3, '0')}`
      return register(opts.controllerUrl, name, zone, opts.token)
    })
    identities.push(...(await Promise.all(batch)))
    await writeFileAtomic(
      file,
      JSON.stringify({ controllerUrl: opts.controllerUrl, nodes: identities }),
      0o600,
    )
  }
  return identities.slice(0, opts.nodes)
}

/** The controller's public signing key (PEM), or undefined when it cannot be fetched. */
async function fetchControllerKey(controllerUrl: string): Promise<string | undefined> {
  try {
    const res = await fetch(new URL('/api/keys/controller', controllerUrl))
    const body = (await res.json()) as { publicKeyPem?: unknown }
    return typeof body.publicKeyPem === 'string' ? body.publicKeyPem : undefined
  } catch {
    return undefined
  }
}

/** Registers one node: `POST /api/nodes { name, zone }` → `{ id, secret, … }`. */
async function register(
  controllerUrl: string,
  name: string,
  zone?: string,
  token?: string,
): Promise<FleetIdentity> {
  const res = await fetch(new URL('/api/nodes', controllerUrl), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(zone === undefined ? { name } : { name, zone }),
  })
  const text = await res.text()
  if (res.status === 401 || res.status === 403) {
    throw new Error(
      `POST /api/nodes answered HTTP ${res.status}: give an installer's or admin's API token ` +
        '(--token, or CHORUS_TOKEN)',
    )
  }
  if (!res.ok) throw new Error(`POST /api/nodes for ${name} answered HTTP ${res.status}: ${text}`)
  const body = JSON.parse(text) as { id?: unknown; secret?: unknown }
  if (typeof body.id !== 'string' || typeof body.secret !== 'string') {
    throw new Error(`POST /api/nodes for ${name} returned no id and secret`)
  }
  return zone === undefined
    ? { id: body.id, secret: body.secret, name }
    : { id: body.id, secret: body.secret, name, zone }
}

async function cli(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      nodes: { type: 'string', default: '435' },
      controller: { type: 'string', default: 'http://127.0.0.1:8080' },
      broker: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
      sink: { type: 'string', default: 'null' },
      'data-dir': { type: 'string', default: './data/fleet' },
      zones: { type: 'string' },
      token: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help) {
    console.log(
      'Usage: npm run fleet -- [--nodes 435] [--controller URL] [--broker URL] [--sink null]\n' +
        '                        [--data-dir ./data/fleet] [--zones a,b,c] [--verbose]\n' +
        '                        [--token <API token>]   (or CHORUS_TOKEN: installer or admin)',
    )
    return
  }
  const nodes = Number(values.nodes)
  if (!Number.isInteger(nodes) || nodes < 1) throw new Error('--nodes must be a positive integer')
  const log = pino({ level: values.verbose ? 'info' : 'warn', redact: ['*.secret', 'secret'] })
  const token = values.token ?? process.env.CHORUS_TOKEN
  const fleet = await runFleet({
    nodes,
    controllerUrl: values.controller,
    brokerUrl: values.broker,
    ...(token ? { token } : {}),
    sink: values.sink,
    dataDir: values['data-dir'],
    zones: values.zones
      ?.split(',')
      .map((z) => z.trim())
      .filter((z) => z !== ''),
    log,
    ffmpegPath: resolveFfmpegPath(process.env),
    onSummary: (line) => console.log(line),
  })
  console.log(`fleet: ${nodes} agents started; Ctrl-C stops them`)
  const stop = (): void => {
    void fleet
      .stop()
      .catch((err: unknown) => console.error(err))
      .finally(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void cli().catch((err: unknown) => {
    console.error((err as Error).message ?? err)
    process.exit(1)
  })
}
