import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Logger } from 'pino'
import { onTestFinished } from 'vitest'
import { loadConfig } from '../../controller/config.js'
import { type Controller, createController } from '../../controller/controller.js'
import type { Clock } from '../../controller/time.js'
import { quietLog } from './log.js'
import { tmpDir } from './tmp-dir.js'

/** A controller started for one test, with helpers that use its real HTTP API. */
export interface TestController {
  controller: Controller
  url: string
  brokerUrl: string
  dataDir: string
  register(name: string, zone?: string): Promise<{ id: string; secret: string }>
  upload(file: string, title?: string): Promise<{ id: string; sha256: string; durationMs: number }>
  api<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>
  stop(): Promise<void>
}

/**
 * Starts a real controller (embedded aedes, SQLite in a temporary directory, HTTP on port 0),
 * stopped when the test finishes.
 */
export async function startController(
  opts: { args?: string[]; log?: Logger; dataDir?: string; clock?: Clock } = {},
): Promise<TestController> {
  const dataDir = opts.dataDir ?? tmpDir('chorus-ctl-')
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
      ...(opts.args ?? []),
    ],
    {},
  )
  if ('help' in config) throw new Error('unexpected --help')
  const controller = createController({
    config,
    log: opts.log ?? quietLog(),
    ...(opts.clock ? { clock: opts.clock } : {}),
  })
  const started = await controller.start()
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    await controller.stop()
  }
  onTestFinished(stop)
  const url = started.httpUrl

  async function api<T>(method: string, path: string, body?: unknown) {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T }
  }

  return {
    controller,
    url,
    brokerUrl: started.brokerUrl,
    dataDir,
    api,
    async register(name, zone = '西海路社区') {
      const r = await api<{ id: string; secret: string }>('POST', '/api/nodes', { name, zone })
      if (r.status !== 201)
        throw new Error(`register failed: ${r.status} ${JSON.stringify(r.body)}`)
      return r.body
    },
    async upload(file, title) {
      const form = new FormData()
      form.append('file', new Blob([await readFile(file)]), basename(file))
      if (title) form.append('title', title)
      const res = await fetch(`${url}/api/audio`, { method: 'POST', body: form })
      const body = (await res.json()) as { id: string; sha256: string; durationMs: number }
      if (res.status >= 300) throw new Error(`upload failed: ${res.status} ${JSON.stringify(body)}`)
      return body
    },
    stop,
  }
}
