/**
 * Ingest figures of issue 9 (a burst of one event per node; a sustained flow), measured end to
 * end through MQTT: signed events from lightweight clients, timed to the receipts that say the
 * controller committed them, then counted in its database (lost, duplicated).
 *
 *   node --import tsx scripts/bench/ingest.ts [--nodes 2000] [--runs 1] [--per-node 25]
 *     [--cpu-prof DIR] [--root CHECKOUT] [--signing message|event]
 *
 * Registration goes straight through the services (not measured here); the controller runs in a
 * child process (`controller/main.ts`, embedded broker). `--cpu-prof DIR`: the controller writes
 * a V8 CPU profile into DIR when it stops. `--root`: run another checkout's controller (A/B with
 * the same clients; `--signing event` for a checkout before batch signatures, whose controller
 * needs each event signed). `ingestFigures` is what the suite's scale run (scale.ts) calls.
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import { nodeTopic } from '../../protocol/index.js'
import { createNodeKey, generateNodeKeyPem } from '../../speaker-agent/node-key.js'
import type { Figure } from './figures.js'
import { type ControllerProcess, seedNodes, startController } from './harness.js'
import {
  type LiteFleet,
  type LiteNode,
  liteFleet,
  type Signing,
  signedMessage,
} from './lite-fleet.js'

/** Events per `events` message and most unreceipted events per node, as the agent's outbox. */
export const OUTBOX_BATCH = 50
export const OUTBOX_WINDOW = 500

/** A signed-to-be play event of `type` (the agent's shape, a fresh UUID as its id). */
export function playEvent(type: 'play.finished' | 'play.failed', k: number, audioId: string) {
  const at = new Date().toISOString()
  const base = { id: randomUUID(), at, itemId: `${at.slice(0, 10)}/bench${k}`, scheduledAt: at }
  return type === 'play.failed'
    ? { ...base, type, audioId, reason: 'decode' }
    : {
        ...base,
        type,
        audioId,
        startedAt: at,
        endedAt: at,
        playedMs: 5000,
        sha256: 'a'.repeat(64),
        volume: 80,
        rmsDb: -20,
        peakDb: -3,
      }
}

/** Stored copies of `ids` in the controller's database: [distinct ids found, rows]. */
export function storedCopies(dataDir: string, ids: readonly string[]): [number, number] {
  try {
    const db = new Database(join(dataDir, 'chorus.db'), { readonly: true, fileMustExist: true })
    try {
      const want = new Set(ids)
      const seen = new Map<string, number>()
      const rows = db
        .prepare("SELECT id FROM events WHERE type IN ('play.finished', 'play.failed')")
        .pluck()
        .all() as string[]
      for (const id of rows) if (want.has(id)) seen.set(id, (seen.get(id) ?? 0) + 1)
      return [seen.size, [...seen.values()].reduce((a, b) => a + b, 0)]
    } finally {
      db.close()
    }
  } catch {
    return [Number.NaN, Number.NaN]
  }
}

/** Receipts every outbox waits for, per node: the ids it has sent and not yet seen receipted. */
export interface Outboxes {
  onReceipt(node: LiteNode, stored: readonly string[]): void
  /** Fills every node's outbox with `perNode` signed events. */
  fill(
    fleet: LiteFleet,
    perNode: number,
    make: (k: number) => Record<string, unknown>,
    signing?: Signing,
  ): void
  /** Sends what the outboxes hold as receipts allow; resolves with performance.now() at the last. */
  drain(fleet: LiteFleet): Promise<number>
}

/**
 * Agents' outboxes with a backlog: each node sends its events in messages of OUTBOX_BATCH, at
 * most OUTBOX_WINDOW unreceipted, and sends more as receipts come back.
 */
export function outboxes(): Outboxes {
  // Each queued message: its payload, signed before the clock starts, and its event ids.
  type Queued = { payload: string; ids: string[] }
  const state = new Map<
    string,
    { queue: Queued[]; inFlight: Set<string>; send: (payloads: string[]) => void }
  >()
  let left = 0
  let done: ((at: number) => void) | null = null
  const pump = (id: string) => {
    const s = state.get(id)
    if (!s) return
    const out: string[] = []
    while (s.queue.length > 0 && s.inFlight.size < OUTBOX_WINDOW) {
      const m = s.queue.shift() as Queued
      for (const id of m.ids) s.inFlight.add(id)
      out.push(m.payload)
    }
    if (out.length > 0) s.send(out)
  }
  return {
    onReceipt(node, stored) {
      const s = state.get(node.id)
      if (!s) return
      for (const id of stored) if (s.inFlight.delete(id)) left--
      if (left === 0) done?.(performance.now())
      else pump(node.id)
    },
    fill(fleet, perNode, make, signing = 'message') {
      for (const n of fleet.nodes) {
        const events = Array.from({ length: perNode }, (_, k) => make(k) as { id: string })
        const queue: Queued[] = []
        for (let i = 0; i < events.length; i += OUTBOX_BATCH) {
          const batch = events.slice(i, i + OUTBOX_BATCH)
          queue.push({
            payload: signedMessage(n.key, batch, signing),
            ids: batch.map((e) => e.id),
          })
        }
        left += events.length
        const topic = nodeTopic(n.id, 'events')
        state.set(n.id, {
          queue,
          inFlight: new Set(),
          send: (payloads) => {
            for (const p of payloads) n.client?.publish(topic, p, { qos: 1 })
          },
        })
      }
    },
    drain(fleet) {
      return new Promise((resolve) => {
        done = resolve
        for (const n of fleet.nodes) pump(n.id)
      })
    },
  }
}

/** CPU seconds (user + system) of a process and of its main thread (the event loop), from /proc. */
export function cpuOf(pid: number): { process: number; loop: number } {
  const secs = (file: string) => {
    try {
      const stat = readFileSync(file, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      return (Number(fields[11]) + Number(fields[12])) / 100
    } catch {
      return Number.NaN
    }
  }
  return { process: secs(`/proc/${pid}/stat`), loop: secs(`/proc/${pid}/task/${pid}/stat`) }
}

/** Resolves with the promise's value, or NaN after `ms`. */
async function within(p: Promise<number>, ms: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<number>((r) => {
    timer = setTimeout(() => r(Number.NaN), ms)
  })
  try {
    return await Promise.race([p, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Bursts (one `play.finished`, then one `play.failed` per node, sent at once) and the sustained
 * rate of outboxes with `perNode` events each, on a connected fleet created with `box.onReceipt`.
 */
export async function ingestFigures(o: {
  fleet: LiteFleet
  box: Outboxes
  dataDir: string
  audioId: string
  perNode: number
  fig: (name: string, value: number, unit: string) => void
  waitMs?: number
  /**
   * The controller's pid: its CPU per event is given too (the event loop's own, which caps the
   * rate, and the whole process's), figures a loaded machine does not inflate as it does times.
   */
  pid?: number
  /** How the clients sign (default `message`; `event` for a controller before batch signatures). */
  signing?: Signing
}): Promise<void> {
  const cpu = (what: string, before: { process: number; loop: number } | null, events: number) => {
    if (!o.pid || !before) return
    const after = cpuOf(o.pid)
    fig(
      `${what}: controller CPU per event, event loop`,
      ((after.loop - before.loop) * 1e6) / events,
      'µs',
    )
    fig(
      `${what}: controller CPU per event, process`,
      ((after.process - before.process) * 1e6) / events,
      'µs',
    )
  }
  const { fleet, fig } = o
  const nodes = fleet.nodes.length
  const waitMs = o.waitMs ?? 180_000
  let k = 0
  for (const type of ['play.finished', 'play.failed'] as const) {
    k++
    const kk = k
    const burst = fleet.prepareEach(() => playEvent(type, kk, o.audioId))
    const stored = fleet.receiptsFor(burst.ids)
    const c0 = o.pid ? cpuOf(o.pid) : null
    const t = performance.now()
    burst.send()
    fig(
      `ingest burst (${type}, one per node): all stored`,
      ((await within(stored, waitMs)) - t) / 1000,
      's',
    )
    cpu(`ingest burst (${type})`, c0, nodes)
    const [found, rows] = storedCopies(o.dataDir, burst.ids)
    fig(`ingest burst (${type}): lost`, nodes - found, 'events')
    fig(`ingest burst (${type}): duplicated`, rows - found, 'events')
  }
  k++
  o.box.fill(
    fleet,
    o.perNode,
    (i) => playEvent('play.finished', k * 1000 + i, o.audioId),
    o.signing,
  )
  const c0 = o.pid ? cpuOf(o.pid) : null
  const t = performance.now()
  const end = await within(o.box.drain(fleet), waitMs * 2)
  fig(
    `sustained ingest, outboxes of ${o.perNode} (batches of ${OUTBOX_BATCH})`,
    (nodes * o.perNode) / ((end - t) / 1000),
    'events/s',
  )
  cpu('sustained ingest', c0, nodes * o.perNode)
}

async function once(
  nodes: number,
  perNode: number,
  signing: Signing,
  root?: string,
  cpuProf?: string,
) {
  const dir = mkdtempSync(join(tmpdir(), `chorus-bench-ingest-${nodes}-`))
  let ctl: ControllerProcess | undefined
  let fleet: LiteFleet | undefined
  const figures: Figure[] = []
  const fig = (name: string, value: number, unit: string) => {
    const f: Figure = { name, nodes, value, unit, broker: 'embedded' }
    figures.push(f)
    console.log(JSON.stringify({ ...f, load: Number(loadavg()[0]?.toFixed(2)) }))
  }
  try {
    const dataDir = join(dir, 'data')
    const creds = await seedNodes(dataDir, nodes)
    ctl = await startController({
      dataDir,
      nodes,
      ...(root ? { root } : {}),
      ...(cpuProf ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${cpuProf}`] } : {}),
    })
    const box = outboxes()
    const f = liteFleet(
      creds.map((c) => ({
        ...c,
        key: createNodeKey(generateNodeKeyPem()),
        planVersion: null,
        planAt: 0,
      })),
      { onReceipt: box.onReceipt, signing },
    )
    fleet = f
    await f.connectAll(ctl.brokerUrl)
    await within(f.allPlansAfter(0), 180_000)
    // The births have pinned every node's key: events sent now are verified.
    await new Promise((r) => setTimeout(r, 2000))
    await ingestFigures({
      fleet: f,
      box,
      dataDir,
      audioId: 'bench-audio',
      perNode,
      fig,
      pid: ctl.pid,
      signing,
    })
    if (ctl.crashed()) fig('controller crashed during the run', 1, '')
  } finally {
    await fleet?.close()
    await ctl?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  return figures
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '2000' },
      runs: { type: 'string', default: '1' },
      'per-node': { type: 'string', default: '25' },
      'cpu-prof': { type: 'string' },
      root: { type: 'string' },
      signing: { type: 'string', default: 'message' },
    },
  })
  const signing = values.signing === 'event' ? 'event' : 'message'
  for (const n of (values.nodes ?? '2000').split(',').map(Number)) {
    for (let r = 0; r < Number(values.runs); r++) {
      await once(n, Number(values['per-node']), signing, values.root, values['cpu-prof'])
    }
  }
  process.exit(0)
}
