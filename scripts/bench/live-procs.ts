/**
 * Live voice across agent processes (issue 13; docs/benchmarks.md "Live voice, agents in their
 * own processes"):
 *
 *   npx tsx scripts/bench/live-procs.ts [--nodes 50] [--seconds 120] [--every-ms 2000]
 *     [--checkpoint-sec 60] [--tsx]
 *
 * A real controller (embedded broker) in this process; `--nodes` real agents, each its own
 * process (the built bundle, as a node runs it; `--tsx`: from source) with a `wav` sink and its
 * own ffmpeg decoder. A live voice session carries silence with a 100 ms chirp every `every-ms`,
 * written in real time in 20 ms chunks on this process's monotonic clock (the ideal microphone:
 * marker k is spoken at `wallT0 + k·every`). Each node's recording places marker k on the true
 * time line (`firstSampleAt` + its frame / 48 kHz). Printed per checkpoint (every
 * `checkpoint-sec` of media): each node's latency (sounded − spoken), the spread between nodes
 * (max − min), their p50/p95; and how far each node's sink was fed ahead of what it sounded
 * (sampled every second from its recording's size) and the underruns its sink logged (`starved`
 * in `<name>.start.json`: the feed came after the modelled card had sounded all it held).
 */
import { copyFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { WavStart } from '../../audio/index.js'
import { type AgentProcess, spawnAgentProcess } from '../../speaker-agent/testing/agent-process.js'
import { LIVE_RATE } from '../../testing/live-audio.js'
import { startBenchController } from './in-process.js'
import { findMarker, writeMarked } from './live-markers.js'
import { buildBundle, checkpointRows, type NodeRun, summarise } from './live-procs-report.js'

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '120' },
    'every-ms': { type: 'string', default: '2000' },
    'checkpoint-sec': { type: 'string', default: '60' },
    tsx: { type: 'boolean', default: false },
    /** Copies the first node's recording here before cleaning up (to look at it). */
    keep: { type: 'string' },
  },
})
const count = Number(values.nodes)
const seconds = Number(values.seconds)
const everyMs = Number(values['every-ms'])
const checkpointMs = Number(values['checkpoint-sec']) * 1000
const everyFrames = (everyMs / 1000) * LIVE_RATE
const log = (msg: string) => console.error(`${new Date().toISOString()} ${msg}`)

const ctl = await startBenchController('chorus-bench-liveprocs-')
const agents: (AgentProcess & { wavDir: string })[] = []
try {
  const entry = values.tsx ? undefined : [await buildBundle(ctl.tmp)]
  for (let i = 0; i < count; i++) {
    const node = await ctl.register(`live ${i}`, 'bench')
    const dataDir = join(ctl.tmp, `agent-${node.id}`)
    const wavDir = join(dataDir, 'played')
    const agent = spawnAgentProcess({
      nodeId: node.id,
      secret: node.secret,
      brokerUrl: ctl.brokerUrl,
      controllerUrl: ctl.httpUrl,
      dataDir,
      sink: `wav:${wavDir}`,
      env: { ...process.env, FFMPEG_PATH: ctl.ffmpeg, LOG_LEVEL: 'info' } as Record<string, string>,
      ...(entry ? { entry } : {}),
    })
    agents.push({ ...agent, wavDir })
  }
  log(`${count} agent processes spawned (${values.tsx ? 'tsx' : 'bundle'})`)
  await Promise.all(agents.map((a) => ctl.untilOnline(a.nodeId, 300_000)))
  log('all online')
  // A node that has not yet fetched the controller's key refuses every signed command (live.start
  // too): on this loaded machine that fetch times out for minutes at start-up. Wait for it.
  const keyDeadline = Date.now() + 300_000
  while (!agents.every((a) => a.output().includes('controller key learnt'))) {
    if (Date.now() > keyDeadline) {
      log('some nodes never learnt the controller key: going on air anyway')
      break
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  log('every node holds the controller key')
  await new Promise((r) => setTimeout(r, 10_000)) // births, plans and clock samples settle
  const session = ctl.deps.services.live.open({
    kind: 'voice',
    zones: [],
    by: 'bench',
    maxMs: seconds * 1000 + 60_000,
    source: { pcm: true },
  })
  const playAt = ctl.deps.services.live.get(session.id)?.playAt ?? 0
  log(`on air: session ${session.id}, playAt ${new Date(playAt).toISOString()}`)

  // How far ahead of what it sounds each node's sink was fed, sampled every second.
  const fromMs = new Map<string, number>()
  const margins = new Map<string, number[]>()
  /** The node's recording of the session: its latest join (`_from<ms>`), the one that sounds. */
  const wavOf = (a: (typeof agents)[number]): string | null => {
    try {
      const names = readdirSync(a.wavDir).filter(
        (f) => f.startsWith(`live_${session.id}`) && f.endsWith('.wav'),
      )
      const from = (f: string) => Number(/_from(\d+)\.wav$/.exec(f)?.[1] ?? 0)
      return names.sort((x, y) => from(y) - from(x))[0] ?? null
    } catch {
      return null
    }
  }
  const sampler = setInterval(() => {
    const now = Date.now()
    for (const a of agents) {
      const name = wavOf(a)
      if (!name) continue
      const from = Number(/_from(\d+)\.wav$/.exec(name)?.[1] ?? 0)
      fromMs.set(a.nodeId, from)
      const starts = playAt + from
      if (now < starts + 1000) continue
      const fed = ((statSync(join(a.wavDir, name)).size - 44) / 2 / LIVE_RATE) * 1000
      const list = margins.get(a.nodeId) ?? []
      list.push(fed - (now - starts))
      margins.set(a.nodeId, list)
    }
  }, 1000)
  const written = await writeMarked(session, seconds, everyMs, {
    onTick: (ms) => {
      if (ms % 300_000 === 0) log(`${ms / 1000} s written`)
    },
  })
  clearInterval(sampler)
  session.end('ended')
  await ctl.deps.services.live.settled(session.id)
  log('session ended; waiting for every recording to close')
  const deadline = Date.now() + 60_000
  const runs: NodeRun[] = []
  for (const a of agents) {
    for (;;) {
      const name = wavOf(a)
      const startFile = name && join(a.wavDir, name.replace(/\.wav$/, '.start.json'))
      let start: WavStart | null = null
      try {
        if (startFile) start = JSON.parse(readFileSync(startFile, 'utf8'))
      } catch {
        start = null
      }
      if (name && start) {
        const from = Number(/_from(\d+)\.wav$/.exec(name)?.[1] ?? 0)
        runs.push({
          nodeId: a.nodeId,
          file: join(a.wavDir, name),
          firstSampleAt: start.firstSampleAt,
          starved: start.starved,
          // Frame k of the file is the stream's frame from + skipped + k (skipped: caught up).
          fromFrame: (from / 1000) * LIVE_RATE + (start.skipped ?? 0),
          margins: margins.get(a.nodeId) ?? [],
        })
        break
      }
      if (Date.now() > deadline) {
        const files = (() => {
          try {
            return readdirSync(a.wavDir).join(', ')
          } catch {
            return 'no directory'
          }
        })()
        const lines = a
          .output()
          .split('\n')
          .filter((l) => /live|play|refus/i.test(l))
          .slice(-8)
          .map((l) => l.slice(0, 400))
        log(`node ${a.nodeId} recorded nothing (${files})\n${lines.join('\n')}`)
        if (values.keep) writeFileSync(`${values.keep}.${a.nodeId}.log`, a.output())
        break
      }
      await new Promise((r) => setTimeout(r, 250))
    }
  }
  // Checkpoints: the marker at every checkpoint-sec of media, and the last one. Not marker 0:
  // a node that joined late never has it.
  const markers = Math.floor((seconds * 1000 - 200) / everyMs)
  const stride = Math.max(1, Math.round(checkpointMs / everyMs))
  const ks: number[] = [1]
  for (let k = stride; k <= markers; k += stride) ks.push(k)
  if (ks.at(-1) !== markers) ks.push(markers)
  const spoken = (k: number) => written.wallT0 + k * everyMs
  const found = runs.map((r) => ({
    nodeId: r.nodeId,
    sounded: ks.map((k) => {
      // Source left out before it where the card ran dry (a node keeping in step drops it).
      let dropped = 0
      for (const x of r.starved) {
        if (x.frame + r.fromFrame + dropped > k * everyFrames) break
        dropped += x.dropped ?? 0
      }
      const m = findMarker(r.file, k * everyFrames, r.fromFrame + dropped)
      if (!m || m.score < 0.6) return null
      // Its frame's place on the modelled card's time line, after the underruns before it.
      const dry = r.starved.filter((x) => x.frame <= m.frame).reduce((t, x) => t + x.ms, 0)
      return r.firstSampleAt + (m.frame / LIVE_RATE) * 1000 + dry
    }),
  }))
  const rows = checkpointRows(
    ks.map((k) => ({ k, atMs: k * everyMs, spokenAt: spoken(k) })),
    found,
  )
  const summary = summarise({
    nodes: count,
    recorded: runs.length,
    joinedLate: [...fromMs.values()].filter((f) => f > 0).length,
    seconds,
    rows,
    runs,
    writerLateMs: written.lateMs,
  })
  console.log(JSON.stringify(summary, null, 1))
  if (values.keep && runs[0]) copyFileSync(runs[0].file, values.keep)
} finally {
  for (const a of agents) if (a.child.exitCode === null) a.child.kill('SIGTERM')
  await Promise.all(agents.map((a) => a.exited))
  await ctl.stop()
}
