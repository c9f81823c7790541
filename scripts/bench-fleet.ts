/**
 * Fleet figures for docs/benchmarks.md: one segment for every node at one instant, with every
 * simulated node's clock set wrong by up to ±2 s before the agents' clock sync corrects it.
 * Counted node by node on the true clock (speaker-agent/fleet/one-instant.ts): played, late,
 * start deviation p50/p95/p99/max, and the simulator's memory per node.
 *
 *   node --expose-gc --import tsx scripts/bench-fleet.ts [--nodes 435,2000] [--runs 3]
 *     [--lead-ms 60000] [--clock-error-ms 2000] [--in-process]
 *
 * The segment is scheduled `--lead-ms` after every node is online (default 60 s: the agents have
 * re-estimated the controller's clock once after the start-up burst; 20 s shows a cold start).
 * `--expose-gc` makes the memory figure steadier.
 *
 * The controller (with its embedded broker) runs in a child process, as it would on its own
 * machine, so the simulated nodes' clock exchanges see its answers, not their own event loop.
 * `--in-process` runs it in this process instead, as `npm run demo` does.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import pino from 'pino'
import { generateTone, resolveFfmpegPath } from '../audio/index.js'
import { scheduleOneInstant } from '../speaker-agent/fleet/one-instant.js'
import { deviationSummary, runFleet } from '../speaker-agent/fleet.js'
import { adminApi, startController } from './bench/harness.js'
import { startBenchController } from './bench/in-process.js'

/** One run's figures. */
export interface FleetInstantRun {
  nodes: number
  played: number
  late: number
  failed: number
  p50: number
  p95: number
  p99: number
  max: number
  /** Heap and off-heap (Buffers) growth of this process per node once all were connected. */
  bytesPerNode: number
  /** Resident set growth per node (includes the broker's side of each connection). */
  rssPerNode: number
  failures: Record<string, number>
  /** p99 of the node clocks' remaining error and of the handover's lateness, ms. */
  clockErrorP99: number
  handoverLateP99: number
}

const log = pino({ level: 'silent' })
const ffmpeg = resolveFfmpegPath()

/** Runs the scenario once for `nodes` nodes in a fresh controller and data directory. */
export async function fleetInstantOnce(
  nodes: number,
  clockErrorMs = 2000,
  inProcess = false,
  leadMs = 60_000,
): Promise<FleetInstantRun> {
  const tmp = mkdtempSync(join(tmpdir(), 'chorus-bench-fleet-'))
  const ctl = inProcess
    ? await inProcessController(nodes + 100)
    : await childController(join(tmp, 'data'), nodes)
  const started = { httpUrl: ctl.httpUrl, brokerUrl: ctl.brokerUrl }
  const token = ctl.token
  try {
    const tone = join(tmp, 'segment.wav')
    await generateTone(ffmpeg, tone, { seconds: 5, frequencyHz: 523, format: 'wav' })
    const form = new FormData()
    form.append('file', new Blob([await readFile(tone)]), 'segment.wav')
    form.append('title', 'one instant')
    const res = await fetch(`${started.httpUrl}/api/audio`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${token}` },
    })
    const audio = (await res.json()) as { id: string; durationMs: number }
    if (!res.ok) throw new Error(`upload: ${res.status} ${JSON.stringify(audio)}`)

    global.gc?.()
    const before = process.memoryUsage()
    const fleet = await runFleet({
      nodes,
      controllerUrl: started.httpUrl,
      brokerUrl: started.brokerUrl,
      token,
      dataDir: join(tmp, 'fleet'),
      log,
      ffmpegPath: ffmpeg,
      clockErrorMs,
      summaryIntervalSec: 3600,
    })
    try {
      const t0 = Date.now()
      while (fleet.counts().connected < nodes) await new Promise((r) => setTimeout(r, 100))
      console.error(`fleet ${nodes}: all connected after ${Date.now() - t0} ms`)
      global.gc?.()
      const after = process.memoryUsage()
      const { outcome } = await scheduleOneInstant({
        fleet,
        controllerUrl: started.httpUrl,
        token,
        audioId: audio.id,
        durationMs: audio.durationMs,
        leadMs,
      })
      const d = deviationSummary(outcome.deviationsMs)
      return {
        nodes,
        played: outcome.finished,
        late: outcome.late,
        failed: outcome.failed,
        ...d,
        bytesPerNode: (after.heapUsed + after.external - before.heapUsed - before.external) / nodes,
        rssPerNode: (after.rss - before.rss) / nodes,
        failures: outcome.failures,
        clockErrorP99: deviationSummary(outcome.clockErrorsMs).p99,
        handoverLateP99: deviationSummary(outcome.handoverLateMs).p99,
      }
    } finally {
      await fleet.stop()
    }
  } finally {
    await ctl.stop()
    rmSync(tmp, { recursive: true, force: true })
  }
}

interface BenchController {
  httpUrl: string
  brokerUrl: string
  token: string
  stop(): Promise<void>
}

/** The controller in this process (scripts/bench/in-process.ts), as `npm run demo` runs it. */
async function inProcessController(perAddress: number): Promise<BenchController> {
  const ctl = await startBenchController('chorus-bench-fleet-ctl-', {
    CHORUS_MQTT_MAX_CONNECTIONS_PER_ADDRESS: String(perAddress),
  })
  return { httpUrl: ctl.httpUrl, brokerUrl: ctl.brokerUrl, token: ctl.token, stop: ctl.stop }
}

/** `controller/main.ts` in a child process (scripts/bench/harness.ts), with an admin API token. */
async function childController(dataDir: string, nodes: number): Promise<BenchController> {
  const ctl = await startController({ dataDir, nodes })
  const { token } = await adminApi(ctl.httpUrl)
  return { httpUrl: ctl.httpUrl, brokerUrl: ctl.brokerUrl, token, stop: () => ctl.stop() }
}

const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

/** Table rows (markdown) for `nodes`, median of `runs` runs; every run printed as it ends. */
export async function fleetInstantRows(
  counts: number[],
  runs: number,
  clockErrorMs = 2000,
  inProcess = false,
  leadMs?: number,
): Promise<string[]> {
  const rows: string[] = []
  for (const nodes of counts) {
    const all: FleetInstantRun[] = []
    for (let r = 0; r < runs; r++) {
      const run = await fleetInstantOnce(nodes, clockErrorMs, inProcess, leadMs)
      all.push(run)
      console.error(`fleet ${nodes} run ${r + 1}: ${JSON.stringify(run)}`)
    }
    const m = (k: keyof FleetInstantRun) => median(all.map((x) => x[k] as number))
    const ms = (v: number) => `${v.toFixed(1)} ms`
    rows.push(
      `| one segment at one instant, ${nodes} simulated nodes, clocks wrong by up to ±${clockErrorMs / 1000} s, ` +
        `scheduled ${(leadMs ?? 60_000) / 1000} s after all were online | ` +
        `played ${m('played')}/${nodes}, late ${m('late')}, failed ${m('failed')} | ` +
        `deviation p50 ${ms(m('p50'))}, p95 ${ms(m('p95'))}, p99 ${ms(m('p99'))}, max ${ms(m('max'))}; ` +
        `simulator ${(m('bytesPerNode') / 1024).toFixed(0)} KiB heap+buffers per node ` +
        `(resident set: ${(m('rssPerNode') / 1024).toFixed(0)} KiB per node) |`,
    )
  }
  return rows
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '435,2000' },
      runs: { type: 'string', default: '3' },
      'clock-error-ms': { type: 'string', default: '2000' },
      'in-process': { type: 'boolean', default: false },
      'lead-ms': { type: 'string' },
    },
  })
  const rows = await fleetInstantRows(
    (values.nodes ?? '').split(',').map(Number),
    Number(values.runs),
    Number(values['clock-error-ms']),
    values['in-process'],
    values['lead-ms'] === undefined ? undefined : Number(values['lead-ms']),
  )
  console.log('| what | outcome | figures |\n|---|---|---|')
  for (const r of rows) console.log(r)
  process.exit(0)
}
