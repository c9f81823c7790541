/**
 * `npm run bench`: timings recorded in docs/benchmarks.md. Each figure is the median of several
 * runs in this one process; compare ratios measured in the same run, machines here are noisy.
 * `npm run bench -- --quick`: only the fleet at one instant (435 and 2,000 nodes, one run each;
 * a few minutes).
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { normaliseAndTranscode, resolveFfmpegPath, runFfmpeg } from '../audio/index.js'
import { SYSTEM_ACTOR } from '../controller/accounts/audit.js'
import { loadConfig } from '../controller/config.js'
import { createController } from '../controller/controller.js'
import { createEventIngest } from '../controller/ingest/event-ingest.js'
import { openDatabase } from '../controller/platform/database.js'
import { createEventBus } from '../controller/platform/events.js'
import { createRepositories } from '../controller/repositories.js'
import { runFleet } from '../speaker-agent/fleet.js'
import { benchAgentSync } from './bench-agent-sync.js'
import { fleetInstantRows } from './bench-fleet.js'

const log = pino({ level: 'silent' })
const ffmpeg = resolveFfmpegPath()
const tmp = mkdtempSync(join(tmpdir(), 'chorus-bench-'))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`)
const rows: string[] = []

async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t = performance.now()
  await fn()
  return performance.now() - t
}

async function audioIngest(): Promise<void> {
  // Ten minutes of speech-like material: a tone under pink noise, stereo 44.1 kHz WAV.
  const src = join(tmp, 'ten-minutes.wav')
  await runFfmpeg(ffmpeg, [
    '-f',
    'lavfi',
    '-i',
    'sine=f=300:d=600',
    '-f',
    'lavfi',
    '-i',
    'anoisesrc=c=pink:d=600:a=0.05',
    '-filter_complex',
    'amix=inputs=2',
    '-ac',
    '2',
    '-ar',
    '44100',
    '-y',
    src,
  ])
  const runs: number[] = []
  for (let i = 0; i < 3; i++) {
    runs.push(await time(() => normaliseAndTranscode(ffmpeg, src, join(tmp, `out-${i}.mp3`))))
  }
  const m = median(runs)
  rows.push(
    `| ingest a 10-minute recording (probe-free: 2-pass loudnorm + MP3) | ${fmt(m)} | ${((m / 600_000) * 100).toFixed(1)} % of its duration |`,
  )
}

function eventIngest(): void {
  const nodes = 435
  const perNode = 45
  const makeBatch = () =>
    Array.from({ length: nodes * perNode }, (_, i) => ({
      nodeId: `node-${i % nodes}`,
      event: {
        id: randomUUID(),
        type: 'play.failed' as const,
        at: '2026-11-27T00:00:00.000Z',
        itemId: `2026-11-27/t${String(i % perNode).padStart(6, '0')}`,
        scheduledAt: '2026-11-27T08:00:00.000+08:00',
        reason: 'late' as const,
      },
    }))
  const batched: number[] = []
  const single: number[] = []
  for (let r = 0; r < 3; r++) {
    const db = openDatabase(join(tmp, `ingest-${r}.db`))
    const repos = createRepositories(db)
    const ingest = createEventIngest({
      repos,
      bus: createEventBus(),
      clock: { now: Date.now },
      log,
      tz: 'Asia/Shanghai',
    })
    const batch = makeBatch()
    const t = performance.now()
    for (const { nodeId, event } of batch) ingest.add(nodeId, [event])
    ingest.flush()
    batched.push(performance.now() - t)
    // The same events, one transaction each: what batching saves.
    const t2 = performance.now()
    for (const { nodeId, event } of makeBatch().slice(0, 2000)) {
      repos.events.insertBatch([
        {
          nodeId,
          id: event.id,
          type: event.type,
          at: event.at,
          date: '2026-11-27',
          itemId: event.itemId,
          reason: 'late',
          body: JSON.stringify(event),
          receivedAt: event.at,
        },
      ])
    }
    single.push(((performance.now() - t2) / 2000) * batch.length)
    db.close()
  }
  const n = nodes * perNode
  rows.push(
    `| store ${n} events (435 nodes × 45), batched | ${fmt(median(batched))} | ${Math.round(n / (median(batched) / 1000))} events/s |`,
  )
  rows.push(
    `| the same, one transaction per event (extrapolated from 2,000) | ${fmt(median(single))} | batching is ${(median(single) / median(batched)).toFixed(1)}× faster |`,
  )
}

async function planRefresh(nodes: number): Promise<void> {
  const runs: number[] = []
  for (let r = 0; r < 3; r++) {
    const dataDir = join(tmp, `plans-${nodes}-${r}`)
    const config = loadConfig(
      ['--http-port', '0', '--mqtt-port', '0', '--mqtt-host', '127.0.0.1', '--data-dir', dataDir],
      {},
    )
    if ('help' in config) throw new Error('help')
    const ctl = createController({ config, log, ffmpegPath: ffmpeg })
    await ctl.start()
    const deps = ctl.deps!
    const zones = [
      '西海路社区',
      '工具厂社区',
      '严小村',
      '晋家湾村',
      '宋家寨村',
      '二十里铺镇',
      '大堡子镇',
    ]
    deps.repos.nodes.list()
    for (let i = 0; i < nodes; i++) {
      deps.services.provisioning.registerNode({ name: `n${i}`, zone: zones[i % zones.length]! })
    }
    await deps.services.plans.refreshAll('bench warm-up')
    const audio = {
      id: 'a-bench',
      sha256: 'a'.repeat(64),
      sourceSha256: 'b'.repeat(64),
      title: 'x',
      originalName: null,
      durationMs: 60_000,
      sizeBytes: 1,
      sourceCodec: null,
      loudnessBefore: null,
      loudnessAfter: null,
      silent: false,
      createdAt: new Date().toISOString(),
    }
    deps.repos.audio.insert(audio)
    const items = Array.from({ length: 15 }, (_, i) => ({
      id: `s${i}`,
      start: `${String(6 + i).padStart(2, '0')}:00:00`,
      audioId: 'a-bench',
      title: `s${i}`,
    }))
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    deps.repos.days.put({
      date: tomorrow,
      mode: 'replace',
      items,
      updatedAt: new Date().toISOString(),
    })
    runs.push(await time(() => deps.services.plans.refreshAll('bench')))
    await ctl.stop()
  }
  rows.push(
    `| resolve, version and store the plans of ${nodes} nodes after a day changed | ${fmt(median(runs))} | ${((median(runs) / nodes) * 1000).toFixed(0)} µs per node |`,
  )
}

async function fleetOnline(): Promise<void> {
  const runs: number[] = []
  for (let r = 0; r < 3; r++) {
    const dataDir = join(tmp, `fleet-ctl-${r}`)
    const config = loadConfig(
      ['--http-port', '0', '--mqtt-port', '0', '--mqtt-host', '127.0.0.1', '--data-dir', dataDir],
      {},
    )
    if ('help' in config) throw new Error('help')
    const ctl = createController({ config, log, ffmpegPath: ffmpeg })
    const started = await ctl.start()
    const issued = ctl.deps?.services.tokens.issueFor(SYSTEM_ACTOR, 'admin', {
      name: 'bench',
      roles: ['admin'],
    })
    const t = performance.now()
    const fleet = await runFleet({
      nodes: 435,
      controllerUrl: started.httpUrl,
      ...(issued ? { token: issued.token } : {}),
      brokerUrl: started.brokerUrl,
      dataDir: join(tmp, `fleet-${r}`),
      log,
      ffmpegPath: ffmpeg,
      summaryIntervalSec: 3600,
    })
    const deps = ctl.deps!
    while (deps.repos.nodes.list().filter((n) => n.online).length < 435) {
      await new Promise((res) => setTimeout(res, 20))
    }
    runs.push(performance.now() - t)
    await fleet.stop()
    await ctl.stop()
  }
  rows.push(
    `| 435 agents registered through the API, connected, online in the controller | ${fmt(median(runs))} | |`,
  )
}

const quick = process.argv.includes('--quick')
if (!quick) {
  await audioIngest()
  eventIngest()
  await planRefresh(435)
  await planRefresh(10_000)
  await fleetOnline()
  rows.push((await benchAgentSync()).row)
}
rows.push(...(await fleetInstantRows([435, 2000], quick ? 1 : 3)))
rmSync(tmp, { recursive: true, force: true })
console.log(
  `${new Date().toISOString().slice(0, 10)} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · ${Math.round(totalmem() / 2 ** 30)} GiB · Node ${process.version}`,
)
console.log(`| what | ${quick ? 'one run' : 'median of 3'} | note |\n|---|---|---|`)
for (const r of rows) console.log(r)
process.exit(0)
