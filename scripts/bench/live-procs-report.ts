/**
 * Figures of the live drift bench (`live-procs.ts`): per checkpoint, each node's latency (when a
 * marker sounded − when it was spoken) and the spread between nodes; over the run, how latency
 * and each node's offset from the others moved between the first and the last checkpoint.
 */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ROOT } from '../../speaker-agent/testing/agent-process.js'
import { median, percentile } from './figures.js'

/** Builds the agent bundle (no ffmpeg copied: FFMPEG_PATH names it) under `dir`; its entry. */
export async function buildBundle(dir: string): Promise<string> {
  const out = join(dir, 'agent-bundle')
  await promisify(execFile)(process.execPath, [
    join(ROOT, 'scripts', 'build-agent.mjs'),
    '--out',
    out,
    '--no-ffmpeg',
  ])
  return join(out, 'chorus-agent.mjs')
}

/** One node's recording. */
export interface NodeRun {
  nodeId: string
  file: string
  firstSampleAt: number
  fromFrame: number
  /** The modelled card's underruns (`WavStart.starved`). */
  starved: { frame: number; ms: number; dropped?: number }[]
  /** Fed ahead of what sounded, ms, sampled every second. */
  margins: number[]
}

/** A marker measured on every node. */
export interface CheckpointRow {
  /** Media time of the marker, s. */
  atSec: number
  nodes: number
  latencyMs: { p50: number; p95: number; min: number; max: number }
  spreadMs: number
  /** Each node's onset − the median onset, ms (order of `found`); null: not found. */
  offsetsMs: (number | null)[]
}

const r1 = (x: number) => Math.round(x * 10) / 10

/** Rows from each node's sounded instants (ms; null where the marker was not found). */
export function checkpointRows(
  checkpoints: { k: number; atMs: number; spokenAt: number }[],
  found: { nodeId: string; sounded: (number | null)[] }[],
): CheckpointRow[] {
  return checkpoints.map((c, i) => {
    const at = found.map((f) => f.sounded[i] ?? null)
    const ok = at.filter((x): x is number => x !== null)
    const mid = median(ok)
    const lat = ok.map((x) => x - c.spokenAt)
    return {
      atSec: c.atMs / 1000,
      nodes: ok.length,
      latencyMs: {
        p50: r1(percentile(lat, 50)),
        p95: r1(percentile(lat, 95)),
        min: r1(Math.min(...lat)),
        max: r1(Math.max(...lat)),
      },
      spreadMs: r1(Math.max(...ok) - Math.min(...ok)),
      offsetsMs: at.map((x) => (x === null ? null : r1(x - mid))),
    }
  })
}

/** The run's summary: first and last checkpoint, growth, drift, feed margins, writer lateness. */
export function summarise(run: {
  nodes: number
  recorded: number
  joinedLate: number
  seconds: number
  rows: CheckpointRow[]
  runs: NodeRun[]
  writerLateMs: number[]
}) {
  const first = run.rows[0]
  const last = run.rows.at(-1)
  // A node's drift: how its offset from the median moved between the first and last checkpoint.
  const drift =
    first && last
      ? first.offsetsMs.flatMap((o, i) => {
          const e = last.offsetsMs[i]
          return o === null || e === null || e === undefined ? [] : [e - o]
        })
      : []
  const minMargins = run.runs.map((r) => Math.min(...r.margins))
  return {
    nodes: run.nodes,
    recorded: run.recorded,
    joinedLate: run.joinedLate,
    seconds: run.seconds,
    checkpoints: run.rows.map(({ offsetsMs: _, ...row }) => row),
    firstOffsetsMs: first?.offsetsMs,
    lastOffsetsMs: last?.offsetsMs,
    latencyGrowthMs: first && last ? r1(last.latencyMs.p50 - first.latencyMs.p50) : null,
    spreadMs: {
      median: r1(median(run.rows.map((r) => r.spreadMs))),
      max: r1(Math.max(...run.rows.map((r) => r.spreadMs))),
    },
    nodeDriftMs: {
      maxAbs: r1(Math.max(0, ...drift.map(Math.abs))),
      p95Abs: r1(percentile(drift.map(Math.abs), 95)),
    },
    feedAheadMs: {
      lowestOfAnyNode: r1(Math.min(...minMargins)),
      medianOfNodesLowest: r1(median(minMargins)),
      medianAtEnd: r1(median(run.runs.map((r) => r.margins.at(-1) ?? Number.NaN))),
    },
    underruns: {
      nodes: run.runs.filter((r) => r.starved.length > 0).length,
      count: run.runs.reduce((t, r) => t + r.starved.length, 0),
      worstNodeTotalMs: r1(
        Math.max(0, ...run.runs.map((r) => r.starved.reduce((t, x) => t + x.ms, 0))),
      ),
      /** Of the source, left out to keep in step after them (frames / 48 kHz), the worst node. */
      worstNodeDroppedMs: r1(
        Math.max(
          0,
          ...run.runs.map((r) => r.starved.reduce((t, x) => t + (x.dropped ?? 0), 0) / 48),
        ),
      ),
    },
    writerLateMs: {
      p95: r1(percentile(run.writerLateMs, 95)),
      max: r1(Math.max(...run.writerLateMs)),
    },
  }
}
