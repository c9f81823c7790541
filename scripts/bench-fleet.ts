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
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import pino from 'pino'
import { generateTone, resolveFfmpegPath } from '../audio/index.js'
import { SYSTEM_ACTOR } from '../controller/accounts/audit.js'
import { loadConfig } from '../controller/config.js'
import { createController } from '../controller/controller.js'
import { scheduleOneInstant } from '../speaker-agent/fleet/one-instant.js'
import { deviationSummary, runFleet } from '../speaker-agent/fleet.js'

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
  const perAddress = nodes + 100
  const ctl = inProcess
    ? await inProcessController(tmp, perAddress)
    : await childController(tmp, perAddress)
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

async function inProcessController(dataDir: string, perAddress: number): Promise<BenchController> {
  const config = loadConfig(
    ['--http-port', '0', '--mqtt-port', '0', '--mqtt-host', '127.0.0.1', '--data-dir', dataDir],
    { CHORUS_MQTT_MAX_CONNECTIONS_PER_ADDRESS: String(perAddress) },
  )
  if ('help' in config) throw new Error('help')
  const ctl = createController({ config, log, ffmpegPath: ffmpeg })
  const started = await ctl.start()
  const issued = ctl.deps?.services.tokens.issueFor(SYSTEM_ACTOR, 'admin', {
    name: 'bench',
    roles: ['admin'],
  })
  if (!issued) throw new Error('no token')
  return { ...started, token: issued.token, stop: () => ctl.stop() }
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** `controller/main.ts` in a child process; an admin logs in and makes an API token. */
async function childController(dataDir: string, perAddress: number): Promise<BenchController> {
  const [http, mqtt] = [await freePort(), await freePort()]
  const password = `bench-${Date.now()}-Chorus`
  const root = join(import.meta.dirname, '..')
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'controller', 'main.ts')],
    {
      cwd: root,
      env: {
        ...process.env,
        CHORUS_HTTP_PORT: String(http),
        CHORUS_HTTP_HOST: '127.0.0.1',
        CHORUS_MQTT_PORT: String(mqtt),
        CHORUS_MQTT_HOST: '127.0.0.1',
        CHORUS_DATA_DIR: dataDir,
        CHORUS_ADMIN_PASSWORD: password,
        CHORUS_LOG_LEVEL: 'error',
        // Every simulated node connects from 127.0.0.1 (the broker caps 1,000 per address).
        CHORUS_MQTT_MAX_CONNECTIONS_PER_ADDRESS: String(perAddress),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  let out = ''
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString()
  })
  const httpUrl = `http://127.0.0.1:${http}`
  // main.ts prints its ready line once it listens: await it rather than poll /api/health.
  await new Promise<void>((resolve, reject) => {
    const bound = setTimeout(() => reject(new Error(`controller did not start: ${out}`)), 60_000)
    const check = () => {
      if (!out.includes('Chorus controller ready')) return
      clearTimeout(bound)
      resolve()
    }
    child.stdout?.on('data', check)
    child.once('exit', () => {
      clearTimeout(bound)
      reject(new Error(`controller exited: ${out}`))
    })
    check()
  })
  const login = await fetch(`${httpUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
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
  if (!token) throw new Error(`no API token: HTTP ${made.status}`)
  return {
    httpUrl,
    brokerUrl: `mqtt://127.0.0.1:${mqtt}`,
    token,
    async stop() {
      child.kill('SIGTERM')
      if (child.exitCode === null) await once(child, 'exit')
    },
  }
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
