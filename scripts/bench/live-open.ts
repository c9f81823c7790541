/**
 * How long `live.open` holds the controller, and how much of the session's lead it spends
 * (issue 13, session 6; docs/benchmarks.md):
 *
 *   npx tsx scripts/bench/live-open.ts [--nodes 50] [--runs 10]
 *
 * A real controller (embedded broker) with `--nodes` registered nodes (no agents: their
 * `live.start` commands are published to nobody); `--runs` voice sessions opened and ended one
 * after another. Per open: the call's duration, and the part of it after `openedAt` (media time
 * 0; `playAt` = openedAt + 1 s): time the nodes' lead is spent before the call returns and the
 * `live.start` commands are on their way.
 */
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { startBenchController } from './in-process.js'

const { values } = parseArgs({
  options: { nodes: { type: 'string', default: '50' }, runs: { type: 'string', default: '10' } },
})
const ctl = await startBenchController('chorus-bench-liveopen-')
try {
  for (let i = 0; i < Number(values.nodes); i++) await ctl.register(`open ${i}`, 'bench')
  const calls: number[] = []
  const spent: number[] = []
  for (let r = 0; r < Number(values.runs); r++) {
    const t = performance.now()
    const wall = Date.now()
    const session = ctl.deps.services.live.open({
      kind: 'voice',
      zones: [],
      by: 'bench',
      maxMs: 60_000,
      source: { pcm: true },
    })
    const took = performance.now() - t
    const openedAt = ctl.deps.services.live.get(session.id)?.openedAt ?? wall
    calls.push(took)
    spent.push(wall + took - openedAt)
    session.end('ended')
    await ctl.deps.services.live.settled(session.id)
  }
  const med = (x: number[]) => [...x].sort((a, b) => a - b)[Math.floor(x.length / 2)] as number
  const r1 = (x: number) => Math.round(x * 10) / 10
  console.log(
    JSON.stringify({
      nodes: Number(values.nodes),
      runs: calls.length,
      openMs: { median: r1(med(calls)), max: r1(Math.max(...calls)) },
      leadSpentMs: { median: r1(med(spent)), max: r1(Math.max(...spent)) },
      load: (await import('node:os')).loadavg().map(r1),
    }),
  )
} finally {
  await ctl.stop()
}
