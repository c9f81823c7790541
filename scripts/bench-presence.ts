/**
 * `npx tsx scripts/bench-presence.ts [--runs 20] [--keepalive-sec 15]`: how long the controller
 * takes to mark a node offline when its agent process is killed (SIGKILL: the socket closes) and
 * when it freezes (a TCP proxy stops carrying data and closes nothing: only the MQTT keepalive
 * can tell). Prints markdown table rows for docs/benchmarks.md.
 *
 * Detection is the controller's own transition instant (`stateSince` of the node view) minus the
 * instant of the kill or freeze, read from the `nodes` events of GET /api/stream, so polling adds
 * no error; "shown" is when the event reached this client (the stream coalesces for 300 ms).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import pino from 'pino'
import { resolveFfmpegPath } from '../audio/index.js'
import { SYSTEM_ACTOR } from '../controller/accounts/audit.js'
import { loadConfig } from '../controller/config.js'
import { createController } from '../controller/controller.js'
import { type Agent, createAgent } from '../speaker-agent/agent.js'
import { loadNodeConfig } from '../speaker-agent/config.js'
import { type AgentProcess, spawnAgentProcess } from '../speaker-agent/testing/agent-process.js'
import { openTcpProxy, type TcpProxy } from '../speaker-agent/testing/tcp-proxy.js'

/** The presence fields of a node view carried by the stream. */
interface NodeView {
  id: string
  online: boolean
  stateSince: string | null
}

/** A node view and when this client received it. */
interface Seen {
  view: NodeView
  at: number
}

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    'keepalive-sec': { type: 'string', default: '15' },
  },
})
const RUNS = Number(values.runs)
const KEEPALIVE_SEC = Number(values['keepalive-sec'])
const log = pino({ level: 'silent' })
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
/** The bench's admin API token header, issued through the services once the controller runs. */
let auth: Record<string, string> = {}

/** Subscribes to GET /api/stream and resolves waiters on matching `nodes` events. */
async function watchStream(url: string) {
  const abort = new AbortController()
  const res = await fetch(`${url}/api/stream`, { signal: abort.signal, headers: auth })
  if (!res.ok || !res.body) throw new Error(`GET /api/stream answered ${res.status}`)
  const waiters = new Set<{ id: string; want: boolean; resolve: (s: Seen) => void }>()
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
  const pump = async () => {
    let buffer = ''
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return
      buffer += value
      let end = buffer.indexOf('\n\n')
      while (end >= 0) {
        const frame = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        end = buffer.indexOf('\n\n')
        const event = /^event: (.*)$/m.exec(frame)?.[1]
        const data = /^data: (.*)$/m.exec(frame)?.[1]
        if (event !== 'nodes' || data === undefined) continue
        const at = Date.now()
        for (const view of JSON.parse(data) as NodeView[]) {
          for (const w of waiters) {
            if (w.id !== view.id || w.want !== view.online) continue
            waiters.delete(w)
            w.resolve({ view, at })
          }
        }
      }
    }
  }
  const pumping = pump().catch(() => undefined)
  return {
    /** Resolves with the next view of `id` whose `online` is `want`; register before the cause. */
    next(id: string, want: boolean, timeoutMs: number): Promise<Seen> {
      return new Promise<Seen>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(w)
          reject(new Error(`${id} not ${want ? 'online' : 'offline'} within ${timeoutMs} ms`))
        }, timeoutMs)
        const w = {
          id,
          want,
          resolve: (s: Seen) => {
            clearTimeout(timer)
            resolve(s)
          },
        }
        waiters.add(w)
      })
    },
    async close() {
      abort.abort()
      await pumping
    },
  }
}

type Stream = Awaited<ReturnType<typeof watchStream>>

async function register(url: string, name: string): Promise<{ id: string; secret: string }> {
  const res = await fetch(`${url}/api/nodes`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ name, zone: '基准测试' }),
  })
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`)
  return (await res.json()) as { id: string; secret: string }
}

/** Detection (from the controller's transition instant) and display (stream arrival), in ms. */
interface Timings {
  detected: number[]
  shown: number[]
  /** How many offline transitions had each reason. */
  reasons: Map<string, number>
}

/** Counts the reason of each node's last transition. */
async function lastReasons(url: string, ids: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  for (const id of ids) {
    const res = await fetch(`${url}/api/nodes/${id}/transitions`, { headers: auth })
    const list = (await res.json()) as Array<{ reason: string }>
    const reason = list.at(-1)?.reason ?? '?'
    counts.set(reason, (counts.get(reason) ?? 0) + 1)
  }
  return counts
}

async function killedAgents(
  ctl: Ctl,
  stream: Stream,
  tmp: string,
  procs: AgentProcess[],
): Promise<Timings> {
  // A few at a time: twenty node processes starting at once starve a small machine.
  for (let i = 0; i < RUNS; i += 4) {
    const batch = Array.from({ length: Math.min(4, RUNS - i) }, (_, j) => i + j)
    await Promise.all(
      batch.map(async (k) => {
        const { id, secret } = await register(ctl.url, `killed ${k}`)
        const seen = stream.next(id, true, 60_000)
        const dataDir = join(tmp, `killed-${k}`)
        const p = spawnAgentProcess({ ...ctl.agentUrls, nodeId: id, secret, dataDir })
        procs.push(p)
        const exited = p.exited.then((code) => {
          throw new Error(`agent ${id} exited (${code}):\n${p.output()}`)
        })
        await Promise.race([seen, exited])
      }),
    )
  }
  const t = { detected: [] as number[], shown: [] as number[] }
  for (const p of procs) {
    const offline = stream.next(p.nodeId, false, 10_000)
    const killedAt = Date.now()
    p.child.kill('SIGKILL')
    const seen = await offline
    t.detected.push(Date.parse(seen.view.stateSince ?? '') - killedAt)
    t.shown.push(seen.at - killedAt)
  }
  return {
    ...t,
    reasons: await lastReasons(
      ctl.url,
      procs.map((p) => p.nodeId),
    ),
  }
}

async function frozenAgents(ctl: Ctl, stream: Stream, tmp: string): Promise<Timings> {
  const proxies: TcpProxy[] = []
  const agents: Agent[] = []
  const ffmpegPath = resolveFfmpegPath()
  const ids: string[] = []
  try {
    // Started KEEPALIVE / RUNS apart, so that the agents' keepalive pings are spread over one
    // period, as on a real fleet: each is frozen at a different point of its ping cycle.
    for (let i = 0; i < RUNS; i++) {
      const proxy = await openTcpProxy(ctl.mqttPort)
      proxies.push(proxy)
      const { id, secret } = await register(ctl.url, `frozen ${i}`)
      ids.push(id)
      const seen = stream.next(id, true, 30_000)
      const config = loadNodeConfig({
        flags: {
          ...ctl.agentUrls,
          brokerUrl: `mqtt://127.0.0.1:${proxy.port}`,
          nodeId: id,
          secret,
          sink: 'null',
          dataDir: join(tmp, `frozen-${i}`),
          keepaliveSec: KEEPALIVE_SEC,
        },
      })
      const agent = createAgent({ config, log, ffmpegPath })
      agents.push(agent)
      await agent.start()
      await seen
      await sleep((KEEPALIVE_SEC * 1000) / RUNS)
    }
    const bound = 1.5 * KEEPALIVE_SEC * 1000 + 10_000
    const offline = ids.map((id) => stream.next(id, false, bound))
    const frozenAt: number[] = []
    for (const proxy of proxies) {
      frozenAt.push(Date.now())
      proxy.freeze()
    }
    const seen = await Promise.all(offline)
    return {
      reasons: await lastReasons(ctl.url, ids),
      detected: seen.map((s, i) => Date.parse(s.view.stateSince ?? '') - (frozenAt[i] ?? 0)),
      shown: seen.map((s, i) => s.at - (frozenAt[i] ?? 0)),
    }
  } finally {
    await Promise.all(agents.map((a) => a.stop()))
    await Promise.all(proxies.map((p) => p.close()))
  }
}

interface Ctl {
  url: string
  mqttPort: number
  agentUrls: { brokerUrl: string; controllerUrl: string }
}

function row(what: string, xs: number[]): string {
  const sorted = [...xs].sort((a, b) => a - b)
  const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN
  const worst = sorted.at(-1) ?? Number.NaN
  return `| ${what} | median ${Math.round(median)} ms | worst ${Math.round(worst)} ms |`
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'chorus-bench-presence-'))
  const config = loadConfig(
    ['--http-port', '0', '--mqtt-port', '0', '--mqtt-host', '127.0.0.1', '--data-dir', tmp],
    {},
  )
  if ('help' in config) throw new Error('unexpected --help')
  const controller = createController({ config, log })
  const started = await controller.start()
  const issued = controller.deps?.services.tokens.issueFor(SYSTEM_ACTOR, 'admin', {
    name: 'bench',
    roles: ['admin'],
  })
  auth = { authorization: `Bearer ${issued?.token ?? ''}` }
  const ctl: Ctl = {
    url: started.httpUrl,
    mqttPort: started.mqttPort ?? 0,
    agentUrls: { brokerUrl: started.brokerUrl, controllerUrl: started.httpUrl },
  }
  const stream = await watchStream(ctl.url)
  const procs: AgentProcess[] = []
  try {
    console.error(`killing ${RUNS} agent processes one by one…`)
    const killed = await killedAgents(ctl, stream, tmp, procs)
    console.error(`freezing ${RUNS} agents (keepalive ${KEEPALIVE_SEC} s) at once…`)
    const frozen = await frozenAgents(ctl, stream, tmp)
    const n = `${RUNS} runs`
    console.log('| measurement | median | worst |')
    console.log('|---|---|---|')
    console.log(row(`detection of a killed agent (SIGKILL), ${n}`, killed.detected))
    console.log(row('… shown on /api/stream (300 ms coalescing)', killed.shown))
    console.log(
      row(`detection of a frozen agent (keepalive ${KEEPALIVE_SEC} s), ${n}`, frozen.detected),
    )
    console.log(row('… shown on /api/stream (300 ms coalescing)', frozen.shown))
    const reasons = (m: Map<string, number>) => [...m].map(([r, n]) => `${r} × ${n}`).join(', ')
    console.log(
      `\noffline reasons: killed ${reasons(killed.reasons)}; frozen ${reasons(frozen.reasons)}`,
    )
  } finally {
    for (const p of procs)
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill()
    await Promise.all(procs.map((p) => p.exited))
    await stream.close()
    await controller.stop()
    rmSync(tmp, { recursive: true, force: true })
  }
}

void main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
