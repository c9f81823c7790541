/**
 * Start accuracy of one real agent (issue 8), called from `npm run bench` and runnable alone:
 * `npx tsx scripts/bench-agent-sync.ts [--segments 50] [--runs 3] [--gap-sec 2] [--verbose]
 * [--entry="NODE-ARGS"]` (`--verbose`: every deviation, per run; `--entry`: node's arguments
 * before the agent's flags instead of tsx, e.g. `--entry="--lite-mode dist/agent/chorus-agent.mjs"`).
 *
 * A controller in this process; one agent as its own process (`node --import tsx
 * speaker-agent/main.ts`, what `npm run agent` runs) with a `wav:` sink; a running order of
 * `segments` one-second tones `gap-sec` apart. Each recording's `<name>.start.json` puts its first
 * sample on the machine's clock, the controller's too: deviation = that instant − the scheduled
 * one. Figures per run, then the median of the runs.
 */

import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { WavStart } from '../audio/index.js'
import { instantToLocalDate, instantToLocalTime } from '../schedules/index.js'
import { spawnAgentProcess } from '../speaker-agent/testing/agent-process.js'
import { startBenchController } from './bench/in-process.js'

const TZ = 'Asia/Shanghai'

/** Deviation figures of one run, ms. */
export interface SyncFigures {
  segments: number
  played: number
  p50: number
  p99: number
  max: number
  /** Smallest time between handing the first buffer over and its instant, ms (the headroom). */
  minMargin: number
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN
}

/** One run: a fresh controller, one agent process, `segments` plays; deviations against truth. */
async function runOnce(
  segments: number,
  gapSec: number,
  verbose: boolean,
  entry?: string[],
): Promise<SyncFigures> {
  const ctl = await startBenchController('chorus-bench-sync-')
  const wavDir = join(ctl.tmp, 'played')
  let agent: ReturnType<typeof spawnAgentProcess> | undefined
  try {
    const audioId = await ctl.uploadTone(1, 'bench tone')
    const node = await ctl.register('bench sync', 'bench')
    agent = spawnAgentProcess({
      nodeId: node.id,
      secret: node.secret,
      brokerUrl: ctl.brokerUrl,
      controllerUrl: ctl.httpUrl,
      dataDir: join(ctl.tmp, 'agent'),
      args: [`--sink=wav:${wavDir}`],
      ...(entry ? { entry } : {}),
    })
    await ctl.untilOnline(node.id)
    // Seconds-aligned instants from 6 s on, `gapSec` apart, grouped by local date.
    const first = Math.ceil((Date.now() + 6000) / 1000) * 1000
    const instants = Array.from({ length: segments }, (_, i) => first + i * gapSec * 1000)
    const byDate = new Map<string, number[]>()
    for (const at of instants) {
      const date = instantToLocalDate(at, TZ)
      byDate.set(date, [...(byDate.get(date) ?? []), at])
    }
    for (const [date, ats] of byDate) {
      await ctl.api('PUT', `/api/days/${date}`, {
        mode: 'add',
        items: ats.map((at) => ({
          start: instantToLocalTime(at, TZ),
          audioId,
          title: 'bench',
        })),
      })
    }
    const scheduled = new Map(instants.map((at) => [at, true]))
    const end = (instants.at(-1) ?? first) + 5000
    while (Date.now() < end) await new Promise((r) => setTimeout(r, 500))
    const deviations: number[] = []
    const margins: number[] = []
    for (const f of readdirSync(wavDir).filter((n) => n.endsWith('.start.json'))) {
      const start = JSON.parse(readFileSync(join(wavDir, f), 'utf8')) as WavStart
      // The nearest scheduled instant (items are seconds apart, deviations milliseconds).
      const at = Math.round(start.firstSampleAt / 1000) * 1000
      if (!scheduled.has(at)) continue
      deviations.push(start.firstSampleAt - at)
      margins.push(start.firstSampleAt - start.handedAt)
    }
    if (verbose) console.error(deviations.map((d) => d.toFixed(1)).join(' '))
    const abs = deviations.map(Math.abs).sort((a, b) => a - b)
    const signed = [...deviations].sort((a, b) => a - b)
    return {
      segments,
      played: deviations.length,
      p50: quantile(signed, 0.5),
      p99: quantile(abs, 0.99),
      max: abs.at(-1) ?? Number.NaN,
      minMargin: Math.min(...margins),
    }
  } finally {
    if (agent && agent.child.exitCode === null) agent.child.kill('SIGTERM')
    await agent?.exited
    await ctl.stop()
  }
}

/** Runs `runs` times; returns each run's figures and a table row of their medians. */
export async function benchAgentSync(
  opts: {
    segments?: number
    runs?: number
    gapSec?: number
    verbose?: boolean
    entry?: string[]
  } = {},
): Promise<{ runs: SyncFigures[]; row: string }> {
  const { segments = 50, runs = 3, gapSec = 2, verbose = false } = opts
  const out: SyncFigures[] = []
  for (let r = 0; r < runs; r++) {
    const f = await runOnce(segments, gapSec, verbose, opts.entry)
    console.error(
      `agent sync run ${r + 1}: ${f.played}/${f.segments} played, p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms, max ${f.max.toFixed(1)} ms, smallest hand-over margin ${f.minMargin.toFixed(0)} ms`,
    )
    out.push(f)
  }
  const med = (k: keyof SyncFigures) =>
    [...out.map((f) => f[k])].sort((a, b) => a - b)[Math.floor((out.length - 1) / 2)] as number
  const row =
    `| one agent process (wav sink), ${segments} segments: first sample vs the instant, true clock | ` +
    `p50 ${med('p50').toFixed(1)} ms, p99 ${med('p99').toFixed(1)} ms, max ${med('max').toFixed(1)} ms | ` +
    `${med('played')}/${segments} played; first buffer handed over ≥ ${med('minMargin').toFixed(0)} ms ahead; median of ${runs} runs |`
  return { runs: out, row }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      segments: { type: 'string', default: '50' },
      runs: { type: 'string', default: '3' },
      'gap-sec': { type: 'string', default: '2' },
      verbose: { type: 'boolean', default: false },
      entry: { type: 'string' },
    },
  })
  const { row } = await benchAgentSync({
    segments: Number(values.segments),
    runs: Number(values.runs),
    gapSec: Number(values['gap-sec']),
    verbose: values.verbose,
    ...(values.entry ? { entry: values.entry.split(' ').filter(Boolean) } : {}),
  })
  console.log(row)
  process.exit(0)
}
