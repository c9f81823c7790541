/**
 * A controller in the bench's own process (embedded broker, a fresh data directory, an admin API
 * token), for the benches that drive one or a few real agent processes against it
 * (`bench-agent-sync.ts`, `bench-agent-memory.ts`) and `bench-fleet.ts --in-process`. A controller
 * in a child process, as in production, is `startController` in harness.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { generateTone, resolveFfmpegPath } from '../../audio/index.js'
import { SYSTEM_ACTOR } from '../../controller/accounts/audit.js'
import { loadConfig } from '../../controller/config.js'
import { type Controller, createController } from '../../controller/controller.js'
import type { AppDeps } from '../../controller/deps.js'

/** A running in-process controller and the calls a bench makes on it. */
export interface BenchController {
  controller: Controller
  deps: AppDeps
  httpUrl: string
  brokerUrl: string
  /** An admin API token. */
  token: string
  ffmpeg: string
  /** A scratch directory removed by `stop()`. */
  tmp: string
  api<T>(method: string, path: string, body?: unknown): Promise<T>
  /** Generates a tone of `seconds` and uploads it; its audio id. */
  uploadTone(seconds: number, title: string): Promise<string>
  /** Resolves once the controller counts node `id` online (polls the API: a bench, not a test). */
  untilOnline(id: string, timeoutMs?: number): Promise<void>
  /** Registers a node in a zone (created on first use); its id and secret. */
  register(name: string, zone: string): Promise<{ id: string; secret: string }>
  stop(): Promise<void>
}

export async function startBenchController(
  prefix = 'chorus-bench-',
  /** `CHORUS_*` settings beside the defaults. */
  env: Record<string, string> = {},
): Promise<BenchController> {
  const log = pino({ level: 'silent' })
  const ffmpeg = resolveFfmpegPath()
  const tmp = mkdtempSync(join(tmpdir(), prefix))
  const config = loadConfig(
    ['--http-port', '0', '--mqtt-port', '0', '--mqtt-host', '127.0.0.1', '--data-dir', tmp],
    env,
  )
  if ('help' in config) throw new Error('unexpected --help')
  const controller = createController({ config, log, ffmpegPath: ffmpeg })
  const started = await controller.start()
  const deps = controller.deps
  if (!deps) throw new Error('controller not started')
  const issued = deps.services.tokens.issueFor(SYSTEM_ACTOR, 'admin', {
    name: 'bench',
    roles: ['admin'],
  })
  const headers = { authorization: `Bearer ${issued.token}` }
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${started.httpUrl}${path}`, {
      method,
      headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
    return (await res.json()) as T
  }
  const zones = new Set<string>()
  return {
    controller,
    deps,
    httpUrl: started.httpUrl,
    brokerUrl: started.brokerUrl,
    token: issued.token,
    ffmpeg,
    tmp,
    api,
    async uploadTone(seconds, title) {
      const file = join(tmp, `tone-${seconds}s.mp3`)
      await generateTone(ffmpeg, file, { seconds })
      const form = new FormData()
      form.append('file', new Blob([readFileSync(file)]), 'tone.mp3')
      form.append('title', title)
      const up = await fetch(`${started.httpUrl}/api/audio`, {
        method: 'POST',
        body: form,
        headers,
      })
      if (up.status >= 300) throw new Error(`upload: ${up.status} ${await up.text()}`)
      return ((await up.json()) as { id: string }).id
    },
    async untilOnline(id, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs
      while ((await api<{ online: boolean }>('GET', `/api/nodes/${id}`)).online !== true) {
        if (Date.now() > deadline) throw new Error(`node ${id} not online after ${timeoutMs} ms`)
        await new Promise((r) => setTimeout(r, 200))
      }
    },
    async register(name, zone) {
      if (!zones.has(zone)) {
        await api('POST', '/api/zones', { name: zone })
        zones.add(zone)
      }
      return api<{ id: string; secret: string }>('POST', '/api/nodes', { name, zone })
    },
    async stop() {
      try {
        await controller.stop()
      } finally {
        rmSync(tmp, { recursive: true, force: true })
      }
    },
  }
}
