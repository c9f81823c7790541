/**
 * Live voice benchmark (issue 13; docs/benchmarks.md "Live voice"):
 *
 *   npx tsx scripts/bench/live.ts [--nodes 50] [--seconds 4]
 *
 * A real controller (embedded broker) and `--nodes` real agents in this process, each with a
 * `wav` sink (its own ffmpeg decoder). A chirp is written to a live voice session in real time;
 * each node's recording is cross-correlated with it to find where the chirp sounded on the true
 * time line (the sink's `firstSampleAt` + the lag). Prints, per node and overall: mouth-to-sink
 * latency (when the chirp sounded − when it was written) and the spread between nodes.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import pino from 'pino'
import { createAgent } from '../../speaker-agent/agent.js'
import { loadNodeConfig } from '../../speaker-agent/config.js'
import { bestMatch, chirp, wavSamples, writeRealTime } from '../../testing/live-audio.js'
import { startBenchController } from './in-process.js'

const { values } = parseArgs({
  options: { nodes: { type: 'string', default: '50' }, seconds: { type: 'string', default: '4' } },
})
const count = Number(values.nodes)
const seconds = Number(values.seconds)
const log = pino({ level: 'silent' })
const ctl = await startBenchController('chorus-bench-live-')
const { deps, ffmpeg: ffmpegPath, tmp: dir } = ctl
const agents = []
for (let i = 0; i < count; i++) {
  const { id, secret } = await ctl.register(`live ${i}`, '西海路社区')
  const dataDir = join(dir, id)
  const agentConfig = loadNodeConfig({
    flags: {
      nodeId: id,
      secret,
      brokerUrl: ctl.brokerUrl,
      controllerUrl: ctl.httpUrl,
      sink: `wav:${join(dataDir, 'played')}`,
      dataDir,
    },
  })
  const agent = createAgent({ config: agentConfig, log, ffmpegPath })
  agents.push({ agent, id, wavDir: join(dataDir, 'played') })
}
console.error(`${count} nodes registered`)
await Promise.all(agents.map((a) => a.agent.start()))
console.error('agents started')
for (;;) {
  const online = agents.filter((a) => deps.services.fleet.heard(a.id)).length
  if (online === agents.length) break
  console.error(`${online}/${agents.length} online`)
  await new Promise((r) => setTimeout(r, 200))
}
await new Promise((r) => setTimeout(r, 2000)) // births, plans and clock samples settle
const outcomes: Record<string, number> = {}
const finished = agents.map(
  (a) =>
    new Promise<void>((resolve) => {
      const done = (what: string) => () => {
        outcomes[what] = (outcomes[what] ?? 0) + 1
        resolve()
      }
      a.agent.events.once('played', done('played'))
      a.agent.events.once('failed', done('failed'))
      a.agent.events.once('interrupted', done('interrupted'))
    }),
)
const session = deps.services.live.open({
  kind: 'voice',
  zones: [],
  by: 'bench',
  maxMs: 600_000,
  source: { pcm: true },
})
console.error('on air')
const signal = chirp(seconds)
const { firstWriteAt } = await writeRealTime(session, signal, { silenceMs: 300 })
session.end('ended')
// Every node's outcome, or what came within 30 s of the end.
await Promise.race([Promise.all(finished), new Promise((r) => setTimeout(r, 30_000))])
console.error('outcomes', outcomes)
await deps.services.live.settled(session.id)

const sounded: number[] = []
let late = 0
for (const a of agents) {
  // A node that joined after playAt recorded from media time `fromMs` (`live_<id>_from<ms>`).
  const name = readdirSync(a.wavDir)
    .filter((f) => f.startsWith(`live_${session.id}`) && f.endsWith('.wav'))
    .map((f) => f.slice(0, -'.wav'.length))
    .sort()[0]
  if (!name) {
    console.error(`node ${a.id} recorded nothing`)
    continue
  }
  const fromMs = Number(/_from(\d+)$/.exec(name)?.[1] ?? 0)
  if (fromMs > 0) late++
  const start = JSON.parse(readFileSync(join(a.wavDir, `${name}.start.json`), 'utf8')) as {
    firstSampleAt: number
  }
  // The chirp's first second is enough to place it (and keeps 50 correlations quick).
  const from = Math.round((fromMs / 1000) * 48_000)
  const needle = signal.subarray(from, from + 48_000)
  const m = bestMatch(wavSamples(join(a.wavDir, `${name}.wav`)), needle, 150)
  // Where the chirp's first sample sounded (or would have) on the true time line.
  sounded.push(start.firstSampleAt + m.lagMs - fromMs)
  if (m.score < 0.6) console.error(`node ${a.id}: correlation ${m.score.toFixed(2)}`)
}
const latency = sounded.map((t) => t - firstWriteAt)
const sorted = [...latency].sort((x, y) => x - y)
console.log(
  JSON.stringify({
    nodes: count,
    outcomes,
    seconds,
    latencyMs: {
      min: Math.round(sorted[0] ?? 0),
      median: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
      max: Math.round(sorted.at(-1) ?? 0),
    },
    joinedLate: late,
    spreadMs: Math.round(((sorted.at(-1) ?? 0) - (sorted[0] ?? 0)) * 10) / 10,
  }),
)
await Promise.all(agents.map((a) => a.agent.stop()))
await ctl.stop()
