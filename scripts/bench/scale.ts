/**
 * The fleet-size figures of issue 9 at one size on one broker: a fresh controller process (its
 * embedded aedes, or Debian's Mosquitto with dynamic security), `nodes` lightweight protocol
 * clients registered through the API, then connect-all, plan change, HTTP latency, ingest burst
 * and sustained ingest, memory, and restart-to-all-back, in that order on the same fleet.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateTone, resolveFfmpegPath } from '../../audio/index.js'
import {
  dynsecPasswordHash,
  NODE_ROLE,
  nodeOwnAcls,
  nodeOwnRole,
} from '../../controller/mqtt/dynsec-config.js'
import type { BrokerKind, Figure } from './figures.js'
import { percentile } from './figures.js'
import {
  adminApi,
  type BenchApi,
  type BrokerProcess,
  type ControllerProcess,
  rssOf,
  startController,
  startMosquitto,
  withToken,
} from './harness.js'
import { ingestFigures, outboxes } from './ingest.js'
import { type LiteFleet, type LiteNode, liteFleet, registerNodes } from './lite-fleet.js'

/** Longest any single wait of the scenario may take before its figure is given up (NaN). */
const WAIT_MS = 180_000

/** Resolves with the promise's value, or NaN after `ms` (a figure that did not happen). */
async function within(p: Promise<number>, ms = WAIT_MS): Promise<number> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<number>((resolve) => {
    timer = setTimeout(() => resolve(Number.NaN), ms)
  })
  try {
    return await Promise.race([p, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * The controller's own view, asked over HTTP every `everyMs` (there is no push channel for it):
 * resolves with performance.now() at the first answer where `done` holds. Figures read this way
 * carry up to `everyMs` of resolution.
 */
async function untilHttp<T>(
  api: BenchApi,
  path: string,
  done: (body: T) => boolean,
  everyMs = 250,
): Promise<number> {
  const deadline = performance.now() + WAIT_MS
  for (;;) {
    const r = await api.call<T>('GET', path).catch(() => null)
    if (r && r.status === 200 && done(r.body)) return performance.now()
    if (performance.now() > deadline) return Number.NaN
    await new Promise((res) => setTimeout(res, everyMs))
  }
}

type NodeRow = { id: string; online: boolean; lastSeen: string | null }
/** `GET /api/nodes` as a list (a paged answer's `items` when the API pages). */
const nodeRows = (body: unknown): NodeRow[] =>
  Array.isArray(body) ? (body as NodeRow[]) : ((body as { items?: NodeRow[] }).items ?? [])

async function timedGets(api: BenchApi, path: string, count: number): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < count; i++) {
    const t = performance.now()
    const r = await api.call('GET', path)
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status}`)
    out.push(performance.now() - t)
  }
  return out
}

const localDate = (at: number, tz = 'Asia/Shanghai') =>
  new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(new Date(at))

async function uploadTone(api: BenchApi, dir: string): Promise<{ id: string }> {
  const tone = join(dir, 'segment.wav')
  await generateTone(resolveFfmpegPath(), tone, { seconds: 5, frequencyHz: 523, format: 'wav' })
  const form = new FormData()
  form.append('file', new Blob([readFileSync(tone)]), 'segment.wav')
  form.append('title', 'bench')
  const res = await fetch(`${api.url}/api/audio`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${api.token}` },
  })
  if (!res.ok) throw new Error(`upload: ${res.status} ${await res.text()}`)
  return (await res.json()) as { id: string }
}

/** A registered fleet on a stopped controller's data, reused by every broker's run. */
export interface PreparedFleet {
  nodes: number
  /** The controller's data directory after registration (copied for each run). */
  snapshot: string
  token: string
  audioId: string
  lite: LiteNode[]
}

/**
 * Registers `nodes` nodes through `POST /api/nodes` on a controller with its embedded broker,
 * uploads a segment, stops it, and keeps its data as the snapshot every run starts from.
 */
export async function prepareFleet(
  nodes: number,
  dir: string,
  fig: (f: Figure) => void,
): Promise<PreparedFleet> {
  const snapshot = join(dir, 'snapshot')
  const ctl = await startController({ dataDir: snapshot, nodes })
  try {
    const api = await adminApi(ctl.httpUrl)
    const audio = await uploadTone(api, dir)
    const t = performance.now()
    const lite = await registerNodes(api, nodes)
    fig({
      name: 'register every node (POST /api/nodes, 8 at a time)',
      nodes,
      value: (performance.now() - t) / 1000,
      unit: 's',
      broker: 'embedded',
    })
    return { nodes, snapshot, token: api.token, audioId: audio.id, lite }
  } finally {
    await ctl.stop()
  }
}

/**
 * Mosquitto's dynamic-security file holding every prepared node's account, as registration
 * through the control API would have left it (one batch per node, each saving the whole file,
 * is too slow to set up 10,000 nodes for a benchmark; docs/benchmarks.md gives that figure).
 */
function seedDynsec(file: string, lite: readonly LiteNode[]): void {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as {
    clients: unknown[]
    roles: unknown[]
  }
  for (const n of lite) {
    const role = nodeOwnRole(n.id)
    doc.roles.push({ rolename: role, acls: nodeOwnAcls(n.id) })
    doc.clients.push({
      username: n.id,
      roles: [{ rolename: NODE_ROLE }, { rolename: role }],
      ...dynsecPasswordHash(n.secret),
    })
  }
  writeFileSync(file, JSON.stringify(doc), { mode: 0o600 })
}

/** Options of one scale run. */
export interface ScaleOptions {
  prepared: PreparedFleet
  broker: 'embedded' | 'mosquitto'
  /**
   * Events in each node's outbox for the sustained-ingest figure (default: about 50,000 in all,
   * at least 5 a node).
   */
  sustainedPerNode?: number
  log?: (line: string) => void
}

/** Runs the scenario once on a copy of the prepared data and returns its figures. */
export async function scaleFigures(opts: ScaleOptions): Promise<Figure[]> {
  const { nodes, audioId } = opts.prepared
  const broker: BrokerKind = opts.broker
  const say = opts.log ?? ((l: string) => console.error(l))
  const figures: Figure[] = []
  const fig = (name: string, value: number, unit: string) => {
    figures.push({ name, nodes, value, unit, broker })
    say(
      `  ${broker} ${nodes}: ${name} = ${Number.isFinite(value) ? value.toFixed(3) : 'n/a'} ${unit}`,
    )
  }
  const dir = mkdtempSync(join(tmpdir(), `chorus-bench-${broker}-${nodes}-`))
  let mosquitto: BrokerProcess | undefined
  let ctl: ControllerProcess | undefined
  let fleet: LiteFleet | undefined
  try {
    if (opts.broker === 'mosquitto') {
      mkdirSync(join(dir, 'mosquitto'))
      mosquitto = await startMosquitto(join(dir, 'mosquitto'), true, (file) =>
        seedDynsec(file, opts.prepared.lite),
      )
    }
    const dataDir = join(dir, 'data')
    cpSync(opts.prepared.snapshot, dataDir, { recursive: true })
    ctl = await startController({ dataDir, nodes, ...(mosquitto ? { broker: mosquitto } : {}) })
    let api = withToken(ctl.httpUrl, opts.prepared.token)
    const audio = { id: audioId }
    let t = 0

    // Connect-all: from the first CONNECT to the controller counting every node online.
    const box = outboxes()
    fleet = liteFleet(
      opts.prepared.lite.map((n) => ({
        id: n.id,
        secret: n.secret,
        key: n.key,
        planVersion: null,
        planAt: 0,
      })),
      { onReceipt: box.onReceipt },
    )
    t = performance.now()
    const connacks = fleet.connectAll(ctl.brokerUrl)
    let seenOnline = 0
    const online = untilHttp<{ total: number; offline: number }>(api, '/api/fleet/summary', (s) => {
      seenOnline = s.total - s.offline
      return s.total >= nodes && seenOnline >= nodes
    })
    await within(connacks.then(() => performance.now()))
    const allOnline = await within(online)
    fig('connect-all: online in the controller', (allOnline - t) / 1000, 's')
    // Past the wait: how far it got, so a miss still says something.
    if (Number.isNaN(allOnline)) fig('connect-all: online when the wait ended', seenOnline, 'nodes')
    fig('connect-all: clients connected when counted', fleet.connected(), 'nodes')
    // Every node holds its first plan before the change is measured.
    await within(fleet.allPlansAfter(0))
    const ctlRss = rssOf(ctl.pid)
    fig('controller RSS, all connected', ctlRss.rss / 2 ** 20, 'MB')
    if (mosquitto)
      fig('broker (Mosquitto) RSS, all connected', rssOf(mosquitto.pid).rss / 2 ** 20, 'MB')

    // Plan change: a running order for tomorrow; PUT latency and the last node's new plan.
    const tomorrow = localDate(Date.now() + 86_400_000)
    t = performance.now()
    const put = await api.call('PUT', `/api/days/${tomorrow}`, {
      items: [{ start: '08:00:00', audioId: audio.id, title: 'bench' }],
    })
    if (put.status !== 200) throw new Error(`PUT day: ${put.status} ${JSON.stringify(put.body)}`)
    fig('plan change: PUT /api/days answered', performance.now() - t, 'ms')
    fig(
      'plan change: last node holds the new plan',
      ((await within(fleet.allPlansAfter(t))) - t) / 1000,
      's',
    )

    // HTTP, sequential requests on the connected, idle fleet.
    // The nodes page asks for one sorted page of 100 (controller/web/ui/src/fleet/fleet.ts
    // `nodesPath`); the whole fleet in one answer is what a script without paging gets.
    const page = await timedGets(api, '/api/nodes?sort=name&limit=100&offset=0', 100)
    fig('GET /api/nodes (a page of 100, as the UI asks) p50', percentile(page, 50), 'ms')
    fig('GET /api/nodes (a page of 100, as the UI asks) p99', percentile(page, 99), 'ms')
    const list = await timedGets(api, '/api/nodes', 10)
    fig('GET /api/nodes (the whole fleet, one answer) p50', percentile(list, 50), 'ms')
    const summary = await timedGets(api, '/api/fleet/summary', 100)
    fig('GET /api/fleet/summary p99', percentile(summary, 99), 'ms')

    // Ingest: bursts of one event per node, then every node's outbox drained as agents do
    // (messages of up to 50 signed as a whole, more sent as receipts return), timed to the
    // receipts and counted in the database (ingest.ts).
    await ingestFigures({
      fleet,
      box,
      dataDir,
      audioId: audio.id,
      perNode: opts.sustainedPerNode ?? Math.max(5, Math.ceil(50_000 / nodes)),
      fig,
      waitMs: WAIT_MS,
      pid: ctl.pid,
    })
    const after = rssOf(ctl.pid)
    fig('controller RSS after ingest', after.rss / 2 ** 20, 'MB')
    fig('controller RSS high-water', after.hwm / 2 ** 20, 'MB')

    // Restart: SIGTERM, a new process on the same data and ports; every node heard again.
    const restartIso = new Date().toISOString()
    t = performance.now()
    const { pathname: _p, port: httpPort } = new URL(ctl.httpUrl)
    const mqttPort = mosquitto ? undefined : Number(new URL(ctl.brokerUrl).port)
    // A controller that died under the load above is started again all the same.
    if (ctl.crashed()) fig('controller crashed during the run', 1, '')
    await ctl.stop('SIGTERM')
    ctl = await startController({
      dataDir,
      nodes,
      httpPort: Number(httpPort),
      ...(mqttPort ? { mqttPort } : {}),
      ...(mosquitto ? { broker: mosquitto } : {}),
    })
    api = withToken(ctl.httpUrl, api.token)
    const back = await untilHttp<unknown>(
      api,
      '/api/nodes',
      (body) => {
        const rows = nodeRows(body)
        return (
          rows.length >= nodes && rows.every((n) => n.online && (n.lastSeen ?? '') >= restartIso)
        )
      },
      1000,
    )
    fig('restart: every node heard again (SIGTERM to last)', (back - t) / 1000, 's')
    fig('controller RSS after restart', rssOf(ctl.pid).rss / 2 ** 20, 'MB')
  } catch (err) {
    // A run that breaks keeps the figures it measured; the cause goes to stderr.
    say(`  ${broker} ${nodes}: run aborted: ${(err as Error).stack ?? String(err)}`)
    fig('run aborted (see the log)', 1, '')
  } finally {
    if (ctl?.crashed()) fig('controller crashed during the run', 1, '')
    await fleet?.close()
    await ctl?.stop()
    await mosquitto?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  return figures
}
