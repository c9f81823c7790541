import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Logger } from 'pino'
import { onTestFinished } from 'vitest'
import { SYSTEM_ACTOR } from '../../controller/accounts/audit.js'
import { loadConfig } from '../../controller/config.js'
import { type Controller, createController } from '../../controller/controller.js'
import type { Clock } from '../../controller/platform/time.js'
import { quietLog } from './log.js'
import { startDynsecMosquitto } from './mosquitto.js'
import { tmpDir } from './tmp-dir.js'

/** The first admin's password in tests (unless a test asks for a generated one). */
export const TEST_ADMIN_PASSWORD = 'test-only-Chorus-pw-2026'

/** A controller started for one test, with helpers that use its real HTTP API. */
export interface TestController {
  controller: Controller
  url: string
  brokerUrl: string
  dataDir: string
  /** An admin API token (created through the services): `api()`, `upload()` send it. */
  token: string
  /** `{ authorization: 'Bearer <admin token>' }`, for a test's own fetch calls. */
  headers: Record<string, string>
  /** The admin's password: TEST_ADMIN_PASSWORD, or the generated one printed at first start. */
  adminPassword: string | null
  register(name: string, zone?: string): Promise<{ id: string; secret: string }>
  upload(file: string, title?: string): Promise<{ id: string; sha256: string; durationMs: number }>
  api<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>
  /** Like `api`, with these headers instead of the admin token (none: anonymous). */
  apiWith<T = unknown>(
    headers: Record<string, string>,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T; headers: Headers }>
  /** Resolves once plan publication has nothing pending (it runs after a write answers). */
  plansPublished(): Promise<void>
  stop(): Promise<void>
}

/**
 * Starts a real controller (embedded aedes, SQLite in a temporary directory, HTTP on port 0),
 * stopped when the test finishes.
 */
export async function startController(
  opts: {
    args?: string[]
    log?: Logger
    dataDir?: string
    clock?: Clock
    /** The first admin's password; '' lets the controller generate one. */
    adminPassword?: string
    /**
     * `mosquitto`: a real Mosquitto with dynamic security (its own, per test) instead of the
     * embedded broker. Default: `CHORUS_TEST_BROKER`, else embedded (the vitest project `mosquitto` runs the
     * spine, access and enrollment tests both ways).
     */
    broker?: 'embedded' | 'mosquitto'
  } = {},
): Promise<TestController> {
  const dataDir = opts.dataDir ?? tmpDir('chorus-ctl-')
  const brokerArgs: string[] = []
  if ((opts.broker ?? process.env.CHORUS_TEST_BROKER) === 'mosquitto') {
    const mosquitto = await startDynsecMosquitto()
    brokerArgs.push('--broker-url', mosquitto.url, '--broker-dynsec', 'true')
    brokerArgs.push('--broker-username', mosquitto.admin.username)
    brokerArgs.push(`--broker-password=${mosquitto.admin.password}`)
  }
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
      opts.adminPassword ?? TEST_ADMIN_PASSWORD,
      ...brokerArgs,
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
  const deps = controller.deps
  if (!deps) throw new Error('controller started without deps')
  const { token } = deps.services.tokens.issueFor(SYSTEM_ACTOR, 'admin', {
    name: 'test helper',
    roles: ['admin'],
  })
  const headers = { authorization: `Bearer ${token}` }

  async function apiWith<T>(
    extra: Record<string, string>,
    method: string,
    path: string,
    body?: unknown,
  ) {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? extra : { ...extra, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    let parsed: unknown = null
    try {
      parsed = text ? JSON.parse(text) : null
    } catch {
      parsed = text
    }
    return { status: res.status, body: parsed as T, headers: res.headers }
  }
  async function api<T>(method: string, path: string, body?: unknown) {
    const { status, body: b } = await apiWith<T>(headers, method, path, body)
    return { status, body: b }
  }

  return {
    controller,
    url,
    brokerUrl: started.brokerUrl,
    dataDir,
    token,
    headers,
    adminPassword:
      opts.adminPassword === ''
        ? started.adminPassword
        : (opts.adminPassword ?? TEST_ADMIN_PASSWORD),
    api,
    apiWith,
    plansPublished: async () => {
      await controller.planChanges()?.idle()
    },
    async register(name, zone = '西海路社区') {
      // Registering never creates a zone: make the test's zone first (an id is used as is).
      const known = await api<{ id: string; name: string; code: string | null }[]>(
        'GET',
        '/api/zones',
      )
      if (!known.body.some((z) => z.id === zone || z.name === zone || z.code === zone)) {
        await api('POST', '/api/zones', { name: zone })
      }
      const r = await api<{ id: string; secret: string }>('POST', '/api/nodes', { name, zone })
      if (r.status !== 201)
        throw new Error(`register failed: ${r.status} ${JSON.stringify(r.body)}`)
      return r.body
    },
    async upload(file, title) {
      const form = new FormData()
      form.append('file', new Blob([await readFile(file)]), basename(file))
      if (title) form.append('title', title)
      const res = await fetch(`${url}/api/audio`, { method: 'POST', body: form, headers })
      const body = (await res.json()) as { id: string; sha256: string; durationMs: number }
      if (res.status >= 300) throw new Error(`upload failed: ${res.status} ${JSON.stringify(body)}`)
      return body
    },
    stop,
  }
}
