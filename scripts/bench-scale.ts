/**
 * Fleet-size figures of one controller with its embedded broker (issue 9), driven by lightweight
 * protocol clients (scripts/light-fleet.ts), not full agents:
 *
 *   node --import tsx scripts/bench-scale.ts [--nodes 2000,10000] [--no-restart]
 *     [--heap-snapshot DIR] [--cpu-prof DIR] [--plan-items N]
 *
 * `--heap-snapshot DIR`: the controller writes a V8 heap snapshot into DIR before any node
 * connects and once all are online (`scripts/heap-summary.ts` tells what grew between them).
`--plan-items N`: once all are online, three plan changes (`PUT /api/days/<tomorrow>` with N
items each, about 0.35 kB of plan per item), timed to the last node holding the new version.
`--cpu-prof DIR`: each controller process writes a V8 CPU profile into DIR when it stops
(`node --cpu-prof`; open it in Chrome DevTools or summarise it with `scripts/cpu-profile-top.ts`).
 * One JSON line per figure ({name, nodes, value, unit}). The controller runs in a child process
 * (`controller/main.ts`, as in production); the nodes are registered first through the services
 * in this process, so registration is not what is measured. `measureScale` is what the bench
 * suite calls.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { generateTone, resolveFfmpegPath } from '../audio/index.js'
import {
  adminApi,
  type ControllerProcess,
  freePort,
  rssOf,
  seedNodes,
  startController,
} from './bench/harness.js'
import { connectAll, type LightNode, lightNode } from './light-fleet.js'

/** One measured figure. */
export interface Figure {
  name: string
  nodes: number
  value: number
  unit: string
}

/** The controller in a child process (scripts/bench/harness.ts) and an admin API token. */
export interface Child extends ControllerProcess {
  token: string
}

/**
 * `controller/main.ts` in a child process on `dataDir` with its embedded broker on the given
 * ports; `snapshotDir`: it writes a V8 heap snapshot there on SIGUSR2.
 */
export async function startChild(
  dataDir: string,
  http: number,
  mqtt: number,
  nodes: number,
  snapshotDir?: string,
  cpuProfDir?: string,
): Promise<Child> {
  const nodeArgs = [
    ...(snapshotDir ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapshotDir}`] : []),
    ...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : []),
  ]
  const ctl = await startController({
    dataDir,
    nodes,
    httpPort: http,
    mqttPort: mqtt,
    ...(nodeArgs.length > 0 ? { nodeArgs } : {}),
  })
  const { token } = await adminApi(ctl.httpUrl)
  return Object.assign(ctl, { token })
}

/** Resident set and its high-water mark of a process, MB. */
export function rss(pid: number): { rss: number; hwm: number } {
  const r = rssOf(pid)
  return { rss: r.rss / 2 ** 20, hwm: r.hwm / 2 ** 20 }
}

export { freePort, seedNodes as seed }

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

/**
 * Changes tomorrow's district order `runs` times (N items each); per run, the PUT's answer time
 * and the time until every node received a plan of another version, ms.
 */
async function planChanges(ctl: Child, nodes: LightNode[], items: number, dir: string, runs = 3) {
  const tone = join(dir, 'news.wav')
  await generateTone(resolveFfmpegPath(), tone, { seconds: 2, frequencyHz: 440, format: 'wav' })
  const form = new FormData()
  form.append('file', new Blob([await readFile(tone)]), 'news.wav')
  form.append('title', 'news')
  const auth = { authorization: `Bearer ${ctl.token}` }
  const up = await fetch(`${ctl.httpUrl}/api/audio`, { method: 'POST', body: form, headers: auth })
  const audio = (await up.json()) as { id: string }
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
  const out: { put: number; last: number }[] = []
  for (let r = 0; r < runs; r++) {
    const held = nodes.map((n) => n.planVersion)
    const t = performance.now()
    const res = await fetch(`${ctl.httpUrl}/api/days/${tomorrow}`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        mode: 'add',
        items: Array.from({ length: items }, (_, i) => ({
          start: `${String(7 + Math.floor(i / 6)).padStart(2, '0')}:${i % 6}${r}:00`,
          audioId: audio.id,
          title: `run ${r} · 第 ${i + 1} 条新闻`,
        })),
      }),
    })
    if (!res.ok) throw new Error(`PUT /api/days: ${res.status} ${await res.text()}`)
    const put = performance.now() - t
    await Promise.all(nodes.map((n, i) => n.nextPlan(held[i] ?? null)))
    out.push({ put, last: performance.now() - t })
    await new Promise((res) => setTimeout(res, 2000))
  }
  return out
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN

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
  opts: {
    restart?: boolean
    heapSnapshotDir?: string
    cpuProfDir?: string
    planItems?: number
  } = {},
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
    const creds = await seedNodes(dir, n)
    const [http, mqtt] = [await freePort(), await freePort()]
    const snapDir = opts.heapSnapshotDir
    ctl = await startChild(dir, http, mqtt, n, snapDir, opts.cpuProfDir)
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
    // The connect storm's own peak, before the HTTP figures below add theirs.
    add('controller RSS high-water after the connect storm', rss(ctl.pid).hwm, 'MB')
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
    if (opts.planItems) {
      const runs = await planChanges(ctl, nodes, opts.planItems, dir)
      console.error(`plan changes (PUT ms, last node ms): ${JSON.stringify(runs)}`)
      add('plan change: PUT /api/days answered (median of 3)', median(runs.map((x) => x.put)), 'ms')
      add('plan change: last node holds it (median of 3)', median(runs.map((x) => x.last)), 'ms')
      add('controller RSS high-water after the plan changes', rss(ctl.pid).hwm, 'MB')
    }
    if (opts.restart !== false) {
      const t1 = performance.now()
      await ctl.stop()
      ctl = await startChild(dir, http, mqtt, n, undefined, opts.cpuProfDir)
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
      'cpu-prof': { type: 'string' },
      'plan-items': { type: 'string' },
    },
  })
  for (const n of values.nodes.split(',').map(Number)) {
    await measureScale(n, {
      restart: !values['no-restart'],
      ...(values['heap-snapshot'] ? { heapSnapshotDir: values['heap-snapshot'] } : {}),
      ...(values['cpu-prof'] ? { cpuProfDir: values['cpu-prof'] } : {}),
      ...(values['plan-items'] ? { planItems: Number(values['plan-items']) } : {}),
    })
  }
}
