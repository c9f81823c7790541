/**
 * A failure storm: `npx tsx scripts/bench-alerts.ts [--nodes 2000] [--runs 3]`. An in-process
 * controller (temp data dir, embedded broker) with N installed nodes in a three-level zone tree;
 * one `play.failed` per node is handed to the event ingest (the code behind signature checks),
 * timed until every event is stored and every `playFailed` alert is open. Figures in
 * docs/benchmarks.md.
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import pino from 'pino'
import { loadConfig } from '../controller/config.js'
import { createController } from '../controller/controller.js'

const log = pino({ level: 'silent' })
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0

/** One storm: every node's `play.failed` stored and its `playFailed` alert open. */
export interface StormRun {
  totalMs: number
  maxBlockMs: number
}

async function once(tmp: string, nodes: number, run: number): Promise<StormRun> {
  const config = loadConfig(
    [
      ...['--http-port', '0', '--mqtt-port', '0', '--mqtt-host', '127.0.0.1'],
      ...['--data-dir', join(tmp, `run-${run}`)],
    ],
    {},
  )
  if ('help' in config) throw new Error('help')
  const ctl = createController({ config, log, ffmpegPath: 'ffmpeg' })
  await ctl.start()
  const deps = ctl.deps
  if (!deps) throw new Error('controller not started')
  const { repos } = deps
  const { provisioning, ingest } = deps.services
  const district = provisioning.createZone({ name: '城北区' })
  const towns = ['二十里铺镇', '大堡子镇', '朝阳街道', '小桥街道'].map((name) =>
    provisioning.createZone({ name, parentId: district.id }),
  )
  const villages = Array.from({ length: 40 }, (_, i) =>
    provisioning.createZone({ name: `村${i}`, parentId: towns[i % towns.length]?.id ?? null }),
  )
  const at = new Date().toISOString()
  const ids: string[] = []
  for (let i = 0; i < nodes; i++) {
    const id = `node-b${i}`
    ids.push(id)
    repos.nodes.insert({
      id,
      name: `n${i}`,
      zoneId: villages[i % villages.length]?.id ?? district.id,
      lat: null,
      lon: null,
      isTest: false,
      secretHash: 'x'.repeat(64),
      createdAt: at,
      serial: null,
      notes: null,
    })
    repos.nodes.markOnline({ id, at, bootId: 'b', agentVersion: 'bench', planVersion: null })
  }
  const failedOpen = () => repos.alerts.open().filter((a) => a.kind === 'playFailed').length
  // Every alert change is announced on the bus: count again on each, no polling.
  const allOpen = new Promise<void>((resolve) => {
    const check = () => {
      if (failedOpen() < nodes) return
      deps.bus.off('alertChanged', check)
      resolve()
    }
    deps.bus.on('alertChanged', check)
    queueMicrotask(check)
  })
  // The longest stretch the event loop was held, measured from an interval's lateness.
  let maxBlockMs = 0
  let last = performance.now()
  const probe = setInterval(() => {
    const now = performance.now()
    maxBlockMs = Math.max(maxBlockMs, now - last - 5)
    last = now
  }, 5)
  const t = performance.now()
  last = t
  for (const [i, nodeId] of ids.entries()) {
    ingest.add(nodeId, [
      {
        id: randomUUID(),
        type: 'play.failed',
        at,
        itemId: `${at.slice(0, 10)}/s${i % 15}`,
        scheduledAt: at,
        reason: 'decode',
      } as never,
    ])
    // Events arrive over MQTT in many messages: let the loop turn now and then.
    if (i % 50 === 49) await new Promise((r) => setImmediate(r))
  }
  ingest.flush()
  await allOpen
  const totalMs = performance.now() - t
  clearInterval(probe)
  await ctl.stop()
  return { totalMs, maxBlockMs: Math.max(0, maxBlockMs) }
}

/** `runs` storms of `nodes` failures; each run printed on stderr as it ends. */
export async function benchAlerts(nodes: number, runs: number): Promise<StormRun[]> {
  const tmp = mkdtempSync(join(tmpdir(), 'chorus-bench-alerts-'))
  try {
    const results: StormRun[] = []
    for (let r = 0; r < runs; r++) {
      const res = await once(tmp, nodes, r)
      results.push(res)
      console.error(
        `run ${r + 1}: ${nodes} play.failed stored and alerted in ${res.totalMs.toFixed(0)} ms (${(res.totalMs / nodes).toFixed(2)} ms per event), event loop held at most ${res.maxBlockMs.toFixed(0)} ms`,
      )
    }
    return results
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { nodes: { type: 'string', default: '2000' }, runs: { type: 'string', default: '3' } },
  })
  const nodes = Number(values.nodes)
  const runs = Number(values.runs)
  const results = await benchAlerts(nodes, runs)
  const m = median(results.map((r) => r.totalMs))
  console.log(
    `median of ${runs}: ${m.toFixed(0)} ms, ${(m / nodes).toFixed(2)} ms per event; longest hold median ${median(results.map((r) => r.maxBlockMs)).toFixed(0)} ms`,
  )
}
