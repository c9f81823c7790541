/**
 * The HTTP read routes at fleet size (issue 9): the controller in a child process with `--nodes`
 * light clients online (bench-scale's set-up), then each route `--runs` times in turn, with the
 * fleet quiet and again under a trickle of churn (`--churn` nodes a second dropping and coming
 * back: transitions, births, plans). Per route: p50 and p99 as the client sees them, and the
 * server's own mean from its request histogram (`chorus_http_request_duration_seconds`), so
 * that time queued behind other work shows as the difference.
 *
 *   node --import tsx scripts/bench-http.ts [--nodes 10000] [--runs 60] [--churn 20]
 *     [--cpu-prof DIR]
 *
 * `--cpu-prof DIR`: the controller runs with the inspector open (on loopback) and is profiled
 * during each phase's requests only: `DIR/<phase>.cpuprofile` (Chrome DevTools opens it), and
 * the functions with the most self time on stderr. Needs Node's WebSocket: run node with
 * `--experimental-websocket` (Node 20). One JSON line per figure on stdout.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { type Child, freePort, seed, startChild } from './bench-scale.js'
import { connectAll, type LightNode, lightNode } from './light-fleet.js'

const ROUTES = [
  '/api/nodes?limit=50&sort=name',
  '/api/nodes?limit=50&offset=5000&sort=zone',
  '/api/nodes?limit=50&state=offline',
  '/api/fleet/summary',
  '/api/plans/status',
]

const get = async (ctl: Child, path: string) => {
  const res = await fetch(`${ctl.httpUrl}${path}`, {
    headers: { authorization: `Bearer ${ctl.token}` },
  })
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`)
  return res.text()
}

/** Server-side sum (s) and count per route of GET requests, from the controller's metrics. */
async function serverTimes(ctl: Child): Promise<Map<string, { sum: number; count: number }>> {
  const text = await get(ctl, '/metrics')
  const out = new Map<string, { sum: number; count: number }>()
  const re = /^chorus_http_request_duration_seconds_(sum|count)\{([^}]*)\} (\S+)$/gm
  for (const m of text.matchAll(re)) {
    const labels = m[2] ?? ''
    if (!labels.includes('method="GET"')) continue
    const route = /route="([^"]*)"/.exec(labels)?.[1] ?? '?'
    const e = out.get(route) ?? { sum: 0, count: 0 }
    e[m[1] as 'sum' | 'count'] += Number(m[3])
    out.set(route, e)
  }
  return out
}

const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0
}

async function measure(ctl: Child, n: number, runs: number, phase: string) {
  const before = await serverTimes(ctl)
  const times = new Map<string, number[]>(ROUTES.map((r) => [r, []]))
  for (let i = 0; i < runs; i++) {
    for (const route of ROUTES) {
      const t = performance.now()
      await get(ctl, route)
      times.get(route)?.push(performance.now() - t)
    }
  }
  const after = await serverTimes(ctl)
  const load = loadavg()[0]?.toFixed(1)
  for (const route of ROUTES) {
    const xs = times.get(route) ?? []
    // Fastify's route pattern: the nodes list is registered as `/` under the `/api/nodes` prefix.
    const path = new URL(route, 'http://x').pathname
    const key = [...after.keys()].find((k) => k.replace(/\/$/, '') === path) ?? path
    const a = after.get(key)
    const b = before.get(key) ?? { sum: 0, count: 0 }
    const server = a && a.count > b.count ? ((a.sum - b.sum) / (a.count - b.count)) * 1000 : null
    const figure = {
      name: `GET ${route} (${phase})`,
      nodes: n,
      p50: Math.round(q(xs, 0.5) * 10) / 10,
      p99: Math.round(q(xs, 0.99) * 10) / 10,
      clientMean: Math.round((xs.reduce((s, x) => s + x, 0) / xs.length) * 10) / 10,
      serverMean: server === null ? null : Math.round(server * 10) / 10,
      unit: 'ms',
      load,
    }
    console.log(JSON.stringify(figure))
  }
}

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

/** A CPU profiler on the controller's inspector (its DevTools protocol over a WebSocket). */
async function profiler(inspectPort: number) {
  const list = (await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json()) as {
    webSocketDebuggerUrl: string
  }[]
  const url = list[0]?.webSocketDebuggerUrl
  if (!url) throw new Error('no inspector target')
  const ws = new WebSocket(url)
  await new Promise((resolve, reject) => {
    ws.onopen = resolve
    ws.onerror = reject
  })
  let id = 0
  const pending = new Map<number, (r: unknown) => void>()
  ws.onmessage = (m) => {
    const msg = JSON.parse(String(m.data)) as { id?: number; result?: unknown }
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result)
  }
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve) => {
      pending.set(++id, resolve)
      ws.send(JSON.stringify({ id, method, params }))
    })
  await call('Profiler.enable')
  await call('Profiler.setSamplingInterval', { interval: 200 })
  return {
    start: () => call('Profiler.start'),
    stop: async () => ((await call('Profiler.stop')) as { profile: Profile }).profile,
    close: () => ws.close(),
  }
}

/** The functions with the most self time in a profile (ms), as lines. */
function topSelf(p: Profile, top = 25): string[] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const self = new Map<string, number>()
  p.samples.forEach((nodeId, i) => {
    const f = byId.get(nodeId)?.callFrame
    if (!f) return
    const where = f.url.replace(/^.*\/(node_modules|controller|contract|protocol)\//, '$1/')
    const key = `${f.functionName || '(anonymous)'} ${where}:${f.lineNumber + 1}`
    self.set(key, (self.get(key) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000)
  })
  const total = [...self.values()].reduce((s, x) => s + x, 0)
  return [
    `total ${Math.round(total)} ms sampled`,
    ...[...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${k}`),
  ]
}

/** Drops and reconnects `perSecond` random nodes a second until stopped. */
function churn(nodes: LightNode[], perSecond: number): () => void {
  if (perSecond <= 0) return () => undefined
  const timer = setInterval(() => {
    const node = nodes[Math.floor(Math.random() * nodes.length)]
    if (!node?.connected) return
    node.drop()
    setTimeout(() => void node.connect().catch(() => undefined), 500)
  }, 1000 / perSecond)
  return () => clearInterval(timer)
}

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '60' },
    churn: { type: 'string', default: '20' },
    'cpu-prof': { type: 'string' },
  },
})
const n = Number(values.nodes)
const runs = Number(values.runs)
const profDir = values['cpu-prof']
const inspectPort = await freePort()
if (profDir) process.env.NODE_OPTIONS = `--inspect=127.0.0.1:${inspectPort}`
const dir = mkdtempSync(join(tmpdir(), 'chorus-bench-http-'))
let ctl: Child | null = null
let nodes: LightNode[] = []
try {
  const creds = await seed(dir, n)
  ctl = await startChild(dir, await freePort(), await freePort(), n)
  delete process.env.NODE_OPTIONS
  const url = ctl.brokerUrl
  nodes = creds.map((c) => lightNode(url, c))
  await connectAll(nodes)
  await Promise.all(nodes.map((x) => x.nextPlan(null)))
  // Let the births' plan answers and the first flush settle.
  await new Promise((r) => setTimeout(r, 6000))
  const prof = profDir ? await profiler(inspectPort) : null
  const phase = async (name: string) => {
    await prof?.start()
    await measure(ctl as Child, n, runs, name)
    const profile = await prof?.stop()
    if (profile && profDir) {
      const file = join(profDir, `${name.replace(/\W+/g, '-')}.cpuprofile`)
      writeFileSync(file, JSON.stringify(profile))
      console.error(`${name}: ${file}\n${topSelf(profile).join('\n')}`)
    }
  }
  await phase('quiet')
  const stop = churn(nodes, Number(values.churn))
  await phase(`churn ${values.churn}/s`)
  stop()
  prof?.close()
} finally {
  for (const x of nodes) x.drop()
  await ctl?.stop()
  rmSync(dir, { recursive: true, force: true })
}
