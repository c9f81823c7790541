/**
 * The bench's figures from before issue 9, as `Figure`s (no broker in any of them): ingest of a
 * recording, direct batched event inserts (the store alone, not end to end), plan refresh, the
 * fleet simulator's one-instant scenario, one agent's start accuracy, and a failure storm.
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { normaliseAndTranscode, resolveFfmpegPath, runFfmpeg } from '../../audio/index.js'
import { loadConfig } from '../../controller/config.js'
import { createController } from '../../controller/controller.js'
import { createEventIngest } from '../../controller/ingest/event-ingest.js'
import { openDatabase } from '../../controller/platform/database.js'
import { createEventBus } from '../../controller/platform/events.js'
import { systemClock } from '../../controller/platform/time.js'
import { createRepositories } from '../../controller/repositories.js'
import { benchAgentMemory } from '../bench-agent-memory.js'
import { benchAgentSync } from '../bench-agent-sync.js'
import { benchAlerts } from '../bench-alerts.js'
import { fleetInstantOnce } from '../bench-fleet.js'
import { type Figure, median } from './figures.js'

const log = pino({ level: 'silent' })
const ffmpeg = resolveFfmpegPath()

async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t = performance.now()
  await fn()
  return performance.now() - t
}

const none = (name: string, nodes: number, value: number, unit: string): Figure => ({
  name,
  nodes,
  value,
  unit,
  broker: 'none',
})

/** Ten minutes of speech-like material normalised and transcoded; median of 3. */
export async function audioIngest(tmp: string): Promise<Figure[]> {
  const src = join(tmp, 'ten-minutes.wav')
  await runFfmpeg(ffmpeg, [
    ...[
      '-f',
      'lavfi',
      '-i',
      'sine=f=300:d=600',
      '-f',
      'lavfi',
      '-i',
      'anoisesrc=c=pink:d=600:a=0.05',
    ],
    ...['-filter_complex', 'amix=inputs=2', '-ac', '2', '-ar', '44100', '-y', src],
  ])
  const runs: number[] = []
  for (let i = 0; i < 3; i++) {
    runs.push(await time(() => normaliseAndTranscode(ffmpeg, src, join(tmp, `out-${i}.mp3`))))
  }
  return [none('ingest a 10-minute recording (2-pass loudnorm + MP3)', 0, median(runs) / 1000, 's')]
}

/**
 * 435 × 45 events handed straight to the event ingest (one batched transaction, empty table):
 * the store's own ceiling, not what the controller holds end to end through MQTT.
 */
export function directInsert(tmp: string): Figure[] {
  const nodes = 435
  const perNode = 45
  const runs: number[] = []
  for (let r = 0; r < 3; r++) {
    const db = openDatabase(join(tmp, `ingest-${r}.db`))
    const repos = createRepositories(db)
    const ingest = createEventIngest({
      repos,
      bus: createEventBus(),
      clock: systemClock,
      log,
      tz: 'Asia/Shanghai',
    })
    const batch = Array.from({ length: nodes * perNode }, (_, i) => ({
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
    const t = performance.now()
    for (const { nodeId, event } of batch) ingest.add(nodeId, [event])
    ingest.flush()
    runs.push(performance.now() - t)
    db.close()
  }
  const n = nodes * perNode
  return [
    none(
      'direct batched insert into an empty table (store only, no MQTT)',
      nodes,
      n / (median(runs) / 1000),
      'events/s',
    ),
  ]
}

/** Resolve, version and store every node's plans after a day changed (in-process). */
export async function planRefresh(tmp: string, nodes: number): Promise<Figure[]> {
  const runs: number[] = []
  for (let r = 0; r < 3; r++) {
    const config = loadConfig(
      [
        '--http-port',
        '0',
        '--mqtt-port',
        '0',
        '--mqtt-host',
        '127.0.0.1',
        '--data-dir',
        join(tmp, `plans-${nodes}-${r}`),
      ],
      {},
    )
    if ('help' in config) throw new Error('help')
    const ctl = createController({ config, log, ffmpegPath: ffmpeg })
    await ctl.start()
    const deps = ctl.deps
    if (!deps) throw new Error('controller not started')
    const zones = [
      '西海路社区',
      '工具厂社区',
      '严小村',
      '晋家湾村',
      '宋家寨村',
      '二十里铺镇',
      '大堡子镇',
    ]
    for (const name of zones) deps.services.provisioning.createZone({ name })
    for (let i = 0; i < nodes; i++) {
      deps.services.provisioning.registerNode({
        name: `n${i}`,
        zone: zones[i % zones.length] ?? '',
      })
    }
    await deps.services.plans.refreshAll('bench warm-up')
    deps.repos.audio.insert({
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
    })
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
  return [
    none(
      'plan refresh: resolve, version and store every plan (in-process)',
      nodes,
      median(runs),
      'ms',
    ),
  ]
}

/** The fleet simulator's one-instant scenario (real agents' code, `npm run fleet`). */
export async function fleetInstant(nodes: number): Promise<Figure[]> {
  const run = await fleetInstantOnce(nodes)
  console.error(`fleet ${nodes}: ${JSON.stringify(run)}`)
  return [
    none('simulator: one instant, played', nodes, run.played, 'nodes'),
    none('simulator: one instant, start deviation p99', nodes, run.p99, 'ms'),
    none('simulator: heap + buffers per simulated node', nodes, run.bytesPerNode / 1024, 'KiB'),
    none('simulator: resident set per simulated node', nodes, run.rssPerNode / 1024, 'KiB'),
  ]
}

/** One agent process's start accuracy (median of 3 runs). */
export async function agentSync(): Promise<Figure[]> {
  const { runs } = await benchAgentSync()
  return [
    none('one agent: first sample vs the instant, p99', 1, median(runs.map((r) => r.p99)), 'ms'),
    none('one agent: first sample vs the instant, max', 1, median(runs.map((r) => r.max)), 'ms'),
  ]
}

/** One agent's resident set (issue 9: ≤ 64 MB while playing, ffmpeg included), per variant. */
export async function agentMemory(): Promise<Figure[]> {
  const out: Figure[] = []
  for (const f of await benchAgentMemory()) {
    out.push(none(`one agent (${f.variant}): RSS idle`, 1, f.idleRss, 'MB'))
    out.push(
      none(`one agent (${f.variant}): RSS playing, ffmpeg included`, 1, f.playingRssMax, 'MB'),
    )
  }
  return out
}

/** A failure storm: one `play.failed` per node, stored and alerted (in-process ingest). */
export async function alertStorm(nodes: number): Promise<Figure[]> {
  const runs = await benchAlerts(nodes, 3)
  return [
    none(
      'failure storm: stored and alerted (in-process ingest)',
      nodes,
      median(runs.map((r) => r.totalMs)) / 1000,
      's',
    ),
    none(
      'failure storm: longest event-loop hold',
      nodes,
      median(runs.map((r) => r.maxBlockMs)),
      'ms',
    ),
  ]
}

/** Runs `fn` in a fresh temporary directory. */
export async function inTmp<T>(fn: (tmp: string) => Promise<T> | T): Promise<T> {
  const tmp = mkdtempSync(join(tmpdir(), 'chorus-bench-'))
  try {
    return await fn(tmp)
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}
