/**
 * `npx tsx scripts/bench-broker-hooks.ts [--requests 20000] [--concurrency 8] [--nodes 200]`:
 * how many EMQX authentication and authorization questions one controller answers per second
 * (POST /api/broker/auth and /api/broker/acl over real HTTP on 127.0.0.1, `concurrency` requests
 * in flight as EMQX's `pool_size`), with their latency. Prints markdown table rows for
 * docs/benchmarks.md.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import pino from 'pino'
import { SYSTEM_ACTOR } from '../controller/accounts/audit.js'
import { loadConfig } from '../controller/config.js'
import { createController } from '../controller/controller.js'

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '8' },
    nodes: { type: 'string', default: '200' },
  },
})
const REQUESTS = Number(values.requests)
const CONCURRENCY = Number(values.concurrency)
const NODES = Number(values.nodes)
const SECRET = 'bench-hook-secret-0123456789abcdef'

const dataDir = mkdtempSync(join(tmpdir(), 'chorus-bench-hooks-'))
const config = loadConfig(
  [
    '--http-port',
    '0',
    '--mqtt-port',
    '0',
    '--mqtt-host',
    '127.0.0.1',
    '--data-dir',
    dataDir,
    '--admin-password',
    'bench-only-Chorus-pw-2026',
    '--broker-hook-secret',
    SECRET,
  ],
  {},
)
if ('help' in config) throw new Error('unexpected --help')
const controller = createController({ config, log: pino({ level: 'silent' }) })
const { httpUrl } = await controller.start()
const deps = controller.deps
if (!deps) throw new Error('no deps')
const { token } = deps.services.tokens.issueFor(SYSTEM_ACTOR, 'admin', {
  name: 'bench',
  roles: ['admin'],
})

const nodes: { id: string; secret: string }[] = []
for (let i = 0; i < NODES; i++) {
  const res = await fetch(`${httpUrl}/api/nodes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `bench ${i}`, zone: 'bench' }),
  })
  nodes.push((await res.json()) as { id: string; secret: string })
}

/** Fires `REQUESTS` requests, `CONCURRENCY` at a time; returns rate and latency percentiles. */
async function run(path: string, body: (i: number) => unknown, expect: string) {
  const latencies: number[] = []
  let next = 0
  let wrong = 0
  const started = performance.now()
  const worker = async () => {
    while (next < REQUESTS) {
      const i = next++
      const t0 = performance.now()
      const res = await fetch(`${httpUrl}/api/broker/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-chorus-hook-secret': SECRET },
        body: JSON.stringify(body(i)),
      })
      const answer = (await res.json()) as { result?: string }
      latencies.push(performance.now() - t0)
      if (answer.result !== expect) wrong++
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0
  if (wrong > 0) throw new Error(`${wrong} answers were not ${expect}`)
  return `${Math.round(REQUESTS / seconds)}/s | ${pct(0.5).toFixed(1)} ms | ${pct(0.99).toFixed(1)} ms`
}

const node = (i: number) => nodes[i % nodes.length] as { id: string; secret: string }
try {
  console.log(
    `| hook (${REQUESTS} requests, ${CONCURRENCY} in flight, ${NODES} nodes) | rate | p50 | p99 |`,
  )
  console.log('|---|---|---|---|')
  const auth = await run(
    'auth',
    (i) => ({
      clientid: node(i).id,
      username: node(i).id,
      password: node(i).secret,
      peerhost: '127.0.0.1',
    }),
    'allow',
  )
  console.log(`| auth (connect allowed) | ${auth} |`)
  const acl = await run(
    'acl',
    (i) => ({
      clientid: node(i).id,
      username: node(i).id,
      action: 'publish',
      topic: `chorus/v1/nodes/${node(i).id}/events`,
      qos: '1',
      retain: 'false',
    }),
    'allow',
  )
  console.log(`| acl (publish allowed) | ${acl} |`)
} finally {
  await controller.stop()
  rmSync(dataDir, { recursive: true, force: true })
}
