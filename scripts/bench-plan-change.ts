/**
 * Plan change at fleet scale (issue 9's target: `PUT /api/days/:date` answers in ≤ 100 ms whatever
 * the fleet size; every node holds the new version ≤ 5 s after the PUT).
 *
 *   npx tsx scripts/bench-plan-change.ts [--nodes 2000] [--runs 3] [--json] [--cpu-prof DIR]
 *     [--items N]
 *
 * The controller (embedded broker) runs in a child process (`controller/main.ts`, started by
 * scripts/bench/harness.ts), as on its own machine. `nodes` lightweight MQTT.js clients speak the protocol: each connects with its node's
 * credentials, subscribes to its `plan` topic and announces itself (birth); a plan counts as
 * applied when its client receives it (a real agent then verifies and writes it to disk). Each
 * run changes tomorrow's running order for every zone, so every node gets a new plan (the worst
 * case); figures are medians over the runs. `benchPlanChange` is what the bench suite calls.
 * `--items N`: tomorrow's order has N items at each change (at most 84, from 07:00; a fuller plan; default 1).
 * `--cpu-prof DIR`: the controller writes a V8 CPU profile into DIR when it stops
 * (`scripts/cpu-profile-top.ts` lists where the time went).
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import mqtt, { type MqttClient } from 'mqtt'
import { generateTone, resolveFfmpegPath } from '../audio/index.js'
import { ITEMS_DIGEST_ALG, nodeTopic, type PlanMessage } from '../protocol/index.js'
import { adminApi, startController } from './bench/harness.js'

/** One figure, as the bench suite prints it (`--json`: one line each). */
export interface Figure {
  name: string
  nodes: number
  value: number
  unit: string
}

const ZONES = ['西海路社区', '工具厂社区', '二十里铺镇', '大堡子镇', '严小村', '晋家湾', '宋家寨']

/** `controller/main.ts` in a child process (scripts/bench/harness.ts), with an admin API token. */
async function startBenchChild(dataDir: string, nodes: number, cpuProfDir?: string) {
  // BENCH_CONTROLLER_LOG_LEVEL=info shows the controller's 'plans refreshed' lines (timings).
  const level = process.env.BENCH_CONTROLLER_LOG_LEVEL
  const ctl = await startController({
    dataDir,
    nodes,
    ...(level ? { logLevel: level, echo: true } : {}),
    ...(cpuProfDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] } : {}),
  })
  const admin = await adminApi(ctl.httpUrl)
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await admin.call(method, path, body)
    if (res.status >= 300) {
      throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(res.body)}`)
    }
    return res.body
  }
  return {
    url: ctl.httpUrl,
    token: admin.token,
    brokerUrl: ctl.brokerUrl,
    api,
    stop: () => ctl.stop(),
  }
}

/** Runs `fn` over `items` with at most `limit` at a time. */
async function pool<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

/** A lightweight node: the plans it received (version, arrival time). */
interface LightNode {
  id: string
  client: MqttClient
  latest: { version: string; at: number } | null
}

async function connectNode(brokerUrl: string, id: string, secret: string): Promise<LightNode> {
  const node: LightNode = { id, client: null as unknown as MqttClient, latest: null }
  const client = await mqtt.connectAsync(brokerUrl, {
    clientId: id,
    username: id,
    password: secret,
    keepalive: 60,
    reconnectPeriod: 1000,
    connectTimeout: 60_000,
    clean: true,
  })
  node.client = client
  const topic = nodeTopic(id, 'plan')
  client.on('message', (t, payload) => {
    if (t !== topic) return
    const plan = JSON.parse(payload.toString()) as PlanMessage
    node.latest = { version: plan.version, at: performance.now() }
  })
  await client.subscribeAsync(topic, { qos: 1 })
  const birth = {
    v: 1,
    state: 'online',
    nodeId: id,
    bootId: randomUUID(),
    agentVersion: 'bench',
    planVersion: null,
    at: new Date().toISOString(),
    reason: 'birth',
    planSig: [ITEMS_DIGEST_ALG],
  }
  await client.publishAsync(nodeTopic(id, 'status'), JSON.stringify(birth), { qos: 1 })
  return node
}

async function until(what: string, fn: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN

/** Measures the plan change at `nodes` nodes: PUT latency and last-node-applied time (ms). */
export async function benchPlanChange(opts: {
  nodes: number
  runs?: number
  progress?: (line: string) => void
  cpuProfDir?: string
  /** Items in tomorrow's order at each change (default 1; about 0.35 kB of plan each). */
  items?: number
}): Promise<Figure[]> {
  const { nodes } = opts
  const runs = opts.runs ?? 3
  const items = opts.items ?? 1
  const say = opts.progress ?? (() => {})
  const tmp = mkdtempSync(join(tmpdir(), 'chorus-bench-plan-'))
  const ctl = await startBenchChild(join(tmp, 'data'), nodes, opts.cpuProfDir)
  const fleet: LightNode[] = []
  try {
    const tone = join(tmp, 'news.wav')
    await generateTone(resolveFfmpegPath(), tone, { seconds: 2, frequencyHz: 440, format: 'wav' })
    const form = new FormData()
    form.append('file', new Blob([await readFile(tone)]), 'news.wav')
    form.append('title', 'news')
    const up = await fetch(`${ctl.url}/api/audio`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${ctl.token}` },
    })
    const audio = (await up.json()) as { id: string }
    // Zones are made by an admin before speakers are registered in them.
    for (const name of ZONES) await ctl.api('POST', '/api/zones', { name })
    const t0 = Date.now()
    const ids = await pool(
      Array.from({ length: nodes }, (_, i) => i),
      16,
      async (i) =>
        (await ctl.api('POST', '/api/nodes', {
          name: `bench-${i}`,
          zone: ZONES[i % ZONES.length],
        })) as { id: string; secret: string },
    )
    say(`${nodes} nodes registered in ${Date.now() - t0} ms`)
    const t1 = Date.now()
    fleet.push(...(await pool(ids, 200, (n) => connectNode(ctl.brokerUrl, n.id, n.secret))))
    await until('every first plan', () => fleet.every((n) => n.latest !== null), 300_000)
    say(`${nodes} nodes online with a plan after ${Date.now() - t1} ms`)
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    const putMs: number[] = []
    const lastMs: number[] = []
    for (let r = 0; r < runs; r++) {
      const before = new Map(fleet.map((n) => [n.id, n.latest?.version]))
      const start = performance.now()
      await ctl.api('PUT', `/api/days/${tomorrow}`, {
        mode: 'add',
        items: Array.from({ length: items }, (_, i) => ({
          start: `${String(7 + Math.floor(i / 6)).padStart(2, '0')}:${i % 6}${r % 10}:00`,
          audioId: audio.id,
          title: `run ${r} · 第 ${i + 1} 条新闻`,
        })),
      })
      const answered = performance.now() - start
      await until(
        'every node on the new version',
        () => fleet.every((n) => n.latest && n.latest.version !== before.get(n.id)),
        120_000,
      )
      const last = Math.max(...fleet.map((n) => n.latest?.at ?? 0)) - start
      putMs.push(answered)
      lastMs.push(last)
      say(`run ${r + 1}: PUT ${answered.toFixed(1)} ms, last node ${last.toFixed(0)} ms`)
      // Let the fleet settle before the next change.
      await new Promise((res) => setTimeout(res, 3000))
    }
    return [
      { name: 'plan-change PUT /api/days/:date', nodes, value: median(putMs), unit: 'ms' },
      {
        name: 'plan-change last node holds the new plan',
        nodes,
        value: median(lastMs),
        unit: 'ms',
      },
    ]
  } finally {
    await pool(fleet, 500, (n) => n.client.endAsync(true).catch(() => undefined))
    await ctl.stop()
    rmSync(tmp, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '2000' },
      runs: { type: 'string', default: '3' },
      json: { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      items: { type: 'string', default: '1' },
    },
  })
  for (const n of String(values.nodes).split(',').map(Number)) {
    const figures = await benchPlanChange({
      nodes: n,
      runs: Number(values.runs),
      items: Number(values.items),
      progress: (line) => console.error(line),
      ...(values['cpu-prof'] ? { cpuProfDir: values['cpu-prof'] } : {}),
    })
    for (const f of figures) {
      console.log(
        values.json
          ? JSON.stringify(f)
          : `| ${f.name} | ${f.nodes} | ${f.value.toFixed(1)} ${f.unit} |`,
      )
    }
  }
}
