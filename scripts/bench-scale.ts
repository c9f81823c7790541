/**
 * Fleet-size figures of one controller with its embedded broker (issue 9), driven by lightweight
 * protocol clients (scripts/light-fleet.ts), not full agents:
 *
 *   node --import tsx scripts/bench-scale.ts [--nodes 2000,10000] [--no-restart]
 *     [--heap-snapshot DIR]
 *
 * `--heap-snapshot DIR`: the controller writes a V8 heap snapshot into DIR before any node
 * connects and once all are online (`scripts/heap-summary.ts` tells what grew between them).
 * One JSON line per figure ({name, nodes, value, unit}). The controller runs in a child process
 * (`controller/main.ts`, as in production); the nodes are registered first through the services
 * in this process, so registration is not what is measured. `measureScale` is what the bench
 * suite calls.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import pino from 'pino'
import { loadConfig } from '../controller/config.js'
import { createController } from '../controller/controller.js'
import { connectAll, type LightNode, lightNode } from './light-fleet.js'

/** One measured figure. */
export interface Figure {
  name: string
  nodes: number
  value: number
  unit: string
}

const ROOT = join(import.meta.dirname, '..')
const PASSWORD = 'bench-scale-Chorus-2026'

export async function freePort(): Promise<number> {
  const srv = createServer()
  srv.listen(0, '127.0.0.1')
  await once(srv, 'listening')
  const addr = srv.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  await new Promise((r) => srv.close(r))
  return port
}

/** Registers `n` nodes in a fresh data directory; returns their ids and secrets. */
export async function seed(dataDir: string, n: number): Promise<{ id: string; secret: string }[]> {
  const config = loadConfig(
    ['--http-port', '0', '--mqtt-port', '0', '--data-dir', dataDir, '--admin-password', PASSWORD],
    {},
  )
  if ('help' in config) throw new Error('unexpected --help')
  const ctl = createController({ config, log: pino({ level: 'silent' }) })
  await ctl.start()
  const provisioning = ctl.deps?.services.provisioning
  if (!provisioning) throw new Error('no services')
  const zones = ['规模甲', '规模乙', '规模丙', '规模丁', '规模戊'].map(
    (name) => provisioning.createZone({ name }).id,
  )
  const out: { id: string; secret: string }[] = []
  for (let i = 0; i < n; i++) {
    const { node, secret } = provisioning.registerNode({
      name: `scale ${String(i).padStart(5, '0')}`,
      zone: zones[i % zones.length] as string,
    })
    out.push({ id: node.id, secret })
  }
  await ctl.stop()
  return out
}

/** The controller in a child process. */
export interface Child {
  httpUrl: string
  brokerUrl: string
  pid: number
  token: string
  stop(): Promise<void>
}

export async function startChild(
  dataDir: string,
  http: number,
  mqtt: number,
  nodes: number,
  snapshotDir?: string,
) {
  const snapshotArgs = snapshotDir
    ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapshotDir}`]
    : []
  const child: ChildProcess = spawn(
    process.execPath,
    [...snapshotArgs, '--import', 'tsx', join(ROOT, 'controller', 'main.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        CHORUS_HTTP_PORT: String(http),
        CHORUS_HTTP_HOST: '127.0.0.1',
        CHORUS_MQTT_PORT: String(mqtt),
        CHORUS_MQTT_HOST: '127.0.0.1',
        CHORUS_DATA_DIR: dataDir,
        CHORUS_ADMIN_PASSWORD: PASSWORD,
        CHORUS_LOG_LEVEL: 'error',
        CHORUS_MQTT_MAX_CONNECTIONS_PER_ADDRESS: String(nodes + 100),
        CHORUS_MQTT_MAX_CONNECTIONS: String(nodes + 500),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  )
  const httpUrl = `http://127.0.0.1:${http}`
  const deadline = Date.now() + 120_000
  for (;;) {
    if (child.exitCode !== null) throw new Error('controller exited')
    const ok = await fetch(`${httpUrl}/api/health`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) break
    if (Date.now() > deadline) throw new Error('controller did not start')
    await new Promise((r) => setTimeout(r, 100))
  }
  const login = await fetch(`${httpUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  })
  const session = (await login.json()) as { csrfToken?: string }
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const made = await fetch(`${httpUrl}/api/tokens`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie,
      'x-csrf-token': session.csrfToken ?? '',
    },
    body: JSON.stringify({ name: 'bench', roles: ['admin'] }),
  })
  const { token } = (await made.json()) as { token?: string }
  if (!token || !child.pid) throw new Error(`no API token: HTTP ${made.status}`)
  const result: Child = {
    httpUrl,
    brokerUrl: `mqtt://127.0.0.1:${mqtt}`,
    pid: child.pid,
    token,
    async stop() {
      child.kill('SIGTERM')
      if (child.exitCode === null) await once(child, 'exit')
    },
  }
  return result
}

/**
 * Has the controller write a heap snapshot (it was started with `--heapsnapshot-signal`) and
 * resolves with its path once the file is complete (its size stops changing).
 */
async function heapSnapshot(pid: number, dir: string): Promise<string> {
  const before = new Set(readdirSync(dir))
  process.kill(pid, 'SIGUSR2')
  let file = ''
  let size = -1
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000))
    file ||= readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f)) ?? ''
    if (!file) continue
    const now = statSync(join(dir, file)).size
    if (now > 0 && now === size) return join(dir, file)
    size = now
  }
}

/** Resident set and its high-water mark of a process, MB. */
export function rss(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 }
}

type Summary = { total: number; online: number; offline: number }

async function getJson<T>(ctl: Child, path: string): Promise<T> {
  const res = await fetch(`${ctl.httpUrl}${path}`, {
    headers: { authorization: `Bearer ${ctl.token}` },
  })
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`)
  return (await res.json()) as T
}

/**
 * Where the controller's memory is, MB, from its own metrics (prom-client's process figures): the
 * V8 heap in use and reserved, memory outside the heap that V8 tracks (Buffers), and the rest of
 * the resident set (native: SQLite, sockets, malloc, code).
 */
async function memoryParts(ctl: Child): Promise<Record<string, number>> {
  const res = await fetch(`${ctl.httpUrl}/metrics`, {
    headers: { authorization: `Bearer ${ctl.token}` },
  })
  const text = await res.text()
  const metric = (name: string) => {
    const values = [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))]
    return values.reduce((s, m) => s + Number(m[1]), 0) / 1048576
  }
  const rss = metric('chorus_process_process_resident_memory_bytes')
  const heapUsed = metric('chorus_process_nodejs_heap_size_used_bytes')
  const heapTotal = metric('chorus_process_nodejs_heap_size_total_bytes')
  const external = metric('chorus_process_nodejs_external_memory_bytes')
  return { heapUsed, heapTotal, external, other: rss - heapTotal - external }
}

/** p50 and p99 of `runs` sequential GETs, ms. */
async function latency(ctl: Child, path: string, runs = 40) {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await getJson(ctl, path)
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0
  return { p50: at(0.5), p99: at(0.99) }
}

/** Waits until the controller counts `want` nodes online; returns the largest offline count seen. */
async function untilOnline(ctl: Child, want: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs
  let maxOffline = 0
  for (;;) {
    const s = await getJson<Summary>(ctl, '/api/fleet/summary').catch(() => null)
    if (s) maxOffline = Math.max(maxOffline, s.offline)
    if (s && s.online >= want) return maxOffline
    if (Date.now() > deadline) throw new Error(`only ${s?.online} of ${want} online`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

/** Connect-all, HTTP latencies, memory and restart figures for a fleet of `n` nodes. */
export async function measureScale(
  n: number,
  opts: { restart?: boolean; heapSnapshotDir?: string } = {},
) {
  const figures: Figure[] = []
  const add = (name: string, value: number, unit: string) => {
    const f = { name, nodes: n, value: Math.round(value * 10) / 10, unit }
    figures.push(f)
    console.log(JSON.stringify(f))
  }
  const dir = mkdtempSync(join(tmpdir(), 'chorus-bench-scale-'))
  let ctl: Child | null = null
  let nodes: LightNode[] = []
  try {
    const creds = await seed(dir, n)
    const [http, mqtt] = [await freePort(), await freePort()]
    const snapDir = opts.heapSnapshotDir
    ctl = await startChild(dir, http, mqtt, n, snapDir)
    const idle = rss(ctl.pid)
    add('controller RSS before nodes', idle.rss, 'MB')
    if (snapDir)
      console.error(`heap snapshot before nodes: ${await heapSnapshot(ctl.pid, snapDir)}`)
    const url = ctl.brokerUrl
    nodes = creds.map((c) => lightNode(url, c, { reconnectMs: 2000 }))
    const t0 = performance.now()
    await connectAll(nodes)
    await untilOnline(ctl, n, 300_000)
    add('connect: all online in the controller', (performance.now() - t0) / 1000, 's')
    await Promise.all(nodes.map((x) => x.nextPlan(null)))
    add('connect: all online and holding a plan', (performance.now() - t0) / 1000, 's')
    const full = await latency(ctl, '/api/nodes', 10)
    add('GET /api/nodes (whole fleet) p50', full.p50, 'ms')
    add('GET /api/nodes (whole fleet) p99', full.p99, 'ms')
    const paged = await latency(ctl, '/api/nodes?limit=50&sort=name', 40)
    add('GET /api/nodes?limit=50 p50', paged.p50, 'ms')
    add('GET /api/nodes?limit=50 p99', paged.p99, 'ms')
    const filtered = await latency(ctl, '/api/nodes?limit=50&q=scale%2000&sort=lastSeen', 40)
    add('GET /api/nodes?limit=50&q= p99', filtered.p99, 'ms')
    const summary = await latency(ctl, '/api/fleet/summary', 40)
    add('GET /api/fleet/summary p99', summary.p99, 'ms')
    const plans = await latency(ctl, '/api/plans/status', 20)
    add('GET /api/plans/status p99', plans.p99, 'ms')
    const held = rss(ctl.pid)
    add('controller RSS with all nodes', held.rss, 'MB')
    const parts = await memoryParts(ctl)
    add('controller memory: V8 heap in use', parts.heapUsed ?? 0, 'MB')
    add('controller memory: V8 heap reserved', parts.heapTotal ?? 0, 'MB')
    add('controller memory: outside the heap (Buffers)', parts.external ?? 0, 'MB')
    add('controller memory: the rest of the RSS (native, code)', parts.other ?? 0, 'MB')
    add('controller RSS high-water', held.hwm, 'MB')
    if (snapDir) console.error(`heap snapshot, all online: ${await heapSnapshot(ctl.pid, snapDir)}`)
    if (opts.restart !== false) {
      const t1 = performance.now()
      await ctl.stop()
      ctl = await startChild(dir, http, mqtt, n)
      const maxOffline = await untilOnline(ctl, n, 300_000)
      add('restart: all back online', (performance.now() - t1) / 1000, 's')
      add('restart: nodes shown offline meanwhile', maxOffline, 'nodes')
      const alerts = await getJson<unknown[]>(ctl, '/api/alerts').catch(() => [])
      add('restart: open alerts after', Array.isArray(alerts) ? alerts.length : 0, 'alerts')
    }
  } finally {
    for (const x of nodes) x.drop()
    await ctl?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  return figures
}

if (process.argv[1]?.endsWith('bench-scale.ts')) {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '2000' },
      'no-restart': { type: 'boolean', default: false },
      'heap-snapshot': { type: 'string' },
    },
  })
  for (const n of values.nodes.split(',').map(Number)) {
    await measureScale(n, {
      restart: !values['no-restart'],
      ...(values['heap-snapshot'] ? { heapSnapshotDir: values['heap-snapshot'] } : {}),
    })
  }
}
