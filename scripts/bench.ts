/**
 * `npm run bench`: the benchmark suite (docs/benchmarks.md, "Scale (issue 9)"). Every figure is a
 * named measurement `{name, nodes, value, unit, broker}`; each fleet-size figure is measured on
 * the embedded broker and on Debian's Mosquitto in the same run, and the table shows the ratio.
 *
 *   npm run bench [-- --quick] [--json] [--sizes 435,2000,10000] [--runs 1]
 *     [--brokers embedded,mosquitto] [--no-extra]
 *   npm run bench -- --from saved.jsonl   (the table of a run saved with --json)
 *
 * `--quick`: 435 and 2,000 nodes, one run each, no extras (a few minutes on an idle machine).
 * Otherwise 435, 2,000 and 10,000, plus the figures that need no broker (recording ingest, the
 * store's batched insert, plan refresh, the fleet simulator, one agent's start accuracy, a failure
 * storm, the simulator's disk writes). `--json`: one JSON line per figure on stdout (progress goes
 * to stderr either way).
 * Compare ratios measured in the same run: machines here are shared and noisy.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { type Figure, figureTable, jsonLines, medianFigures } from './bench/figures.js'
import { floorFigures } from './bench/floor.js'
import {
  agentMemory,
  agentSync,
  alertStorm,
  audioIngest,
  directInsert,
  fleetInstant,
  inTmp,
  planRefresh,
} from './bench/legacy.js'
import { prepareFleet, scaleFigures } from './bench/scale.js'
import { simulatorWrites } from './bench/sim-writes.js'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    runs: { type: 'string' },
    brokers: { type: 'string', default: 'embedded,mosquitto' },
    'no-extra': { type: 'boolean', default: false },
    from: { type: 'string' },
  },
})
if (values.from) {
  // The table of a run saved with --json (one JSON line per figure).
  const saved = readFileSync(values.from, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Figure)
  console.log(figureTable(medianFigures(saved)))
  process.exit(0)
}
const quick = values.quick ?? false
const sizes = (values.sizes ?? (quick ? '435,2000' : '435,2000,10000')).split(',').map(Number)
const runs = Number(values.runs ?? 1)
const brokers = (values.brokers ?? '').split(',') as ('embedded' | 'mosquitto')[]
const extra = !quick && !values['no-extra']

const figures: Figure[] = []
const add = (fs: Figure[]) => {
  figures.push(...fs)
  if (values.json) console.log(jsonLines(fs))
}
const started = performance.now()
console.error(
  `bench: sizes ${sizes.join(', ')}, ${runs} run(s), brokers ${brokers.join(', ')}; load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
)

for (const nodes of sizes) {
  add(await floorFigures(nodes))
  for (let r = 0; r < runs; r++) {
    const dir = mkdtempSync(join(tmpdir(), `chorus-bench-prep-${nodes}-`))
    try {
      const prepared = await prepareFleet(nodes, dir, (f) => add([f]))
      for (const broker of brokers) add(await scaleFigures({ prepared, broker }))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  console.error(
    `bench: ${nodes} done after ${((performance.now() - started) / 1000).toFixed(0)} s; load ${loadavg()[0]?.toFixed(1)}`,
  )
}
if (extra) {
  add(await inTmp(audioIngest))
  add(await inTmp(directInsert))
  add(await inTmp((tmp) => planRefresh(tmp, 435)))
  add(await inTmp((tmp) => planRefresh(tmp, 10_000)))
  add(await alertStorm(2000))
  add(await agentSync())
  add(await agentMemory())
  add(await simulatorWrites())
  for (const nodes of [435, 2000]) add(await fleetInstant(nodes))
}
if (!values.json) {
  console.log(
    `${new Date().toISOString().slice(0, 16)}Z · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · ${Math.round(totalmem() / 2 ** 30)} GiB · Node ${process.version} · load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} · ${runs === 1 ? 'one run' : `median of ${runs}`}`,
  )
  console.log(figureTable(medianFigures(figures)))
}
process.exit(0)
