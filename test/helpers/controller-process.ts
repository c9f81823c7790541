import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'
import { NODE_TSX, ROOT } from '../../speaker-agent/testing/agent-process.js'
import { TEST_ADMIN_PASSWORD } from './controller.js'

/** A controller running as its own process (`node --import tsx controller/main.ts`). */
export interface ControllerProcess {
  child: ChildProcess
  url: string
  brokerUrl: string
  /** Everything the process wrote so far (its JSON log and its ready line). */
  output(): string
  /** The JSON log lines with this `msg`, parsed. */
  logs(msg: string): Record<string, unknown>[]
  /** Sends the signal and waits for the exit. */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>
}

/**
 * Spawns a controller process on `dataDir` with the test admin password and these flags, waits
 * until it is ready, and SIGKILLs it when the test finishes if it still runs. `env` is added to
 * the inherited environment (for example libfaketime's `LD_PRELOAD` and `FAKETIME`).
 */
export async function spawnControllerProcess(opts: {
  dataDir: string
  args?: string[]
  env?: Record<string, string>
}): Promise<ControllerProcess> {
  const child = spawn(
    process.execPath,
    [
      ...NODE_TSX,
      join(ROOT, 'controller', 'main.ts'),
      '--data-dir',
      opts.dataDir,
      '--mqtt-host',
      '127.0.0.1',
      '--http-host',
      '127.0.0.1',
      '--admin-password',
      TEST_ADMIN_PASSWORD,
      ...(opts.args ?? []),
    ],
    { cwd: ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let out = ''
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString()
  })
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString()
  })
  const exited = once(child, 'exit')
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  })
  const { url, brokerUrl } = await new Promise<{ url: string; brokerUrl: string }>(
    (resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`controller not ready in 60 s:\n${out}`)),
        60_000,
      )
      const onData = () => {
        const m = /web UI (http:\/\/\S+?)\/?\s+MQTT (\S+)/.exec(out)
        if (m?.[1] && m[2]) {
          clearTimeout(timer)
          child.stdout.off('data', onData)
          resolve({ url: m[1], brokerUrl: m[2] })
        }
      }
      child.stdout.on('data', onData)
      void exited.then(() => {
        clearTimeout(timer)
        reject(new Error(`controller exited before it was ready:\n${out}`))
      })
    },
  )
  return {
    child,
    url,
    brokerUrl,
    output: () => out,
    logs: (msg) =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.msg === msg),
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      await exited
    },
  }
}

/** The admin's HTTP API on a controller process, through an API token created at login. */
export interface ProcessApi {
  url: string
  headers: Record<string, string>
  api<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>
  register(name: string, zone?: string): Promise<{ id: string; secret: string }>
}

/** Logs in as the admin and creates an API token (it survives restarts on the same data). */
export async function adminApi(url: string): Promise<ProcessApi> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
  })
  const { csrfToken } = (await login.json()) as { csrfToken: string }
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const res = await fetch(`${url}/api/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ name: 'fault test', roles: ['admin'] }),
  })
  if (res.status !== 201) throw new Error(`token: ${res.status} ${await res.text()}`)
  const { token } = (await res.json()) as { token: string }
  return withToken(url, { authorization: `Bearer ${token}` })
}

/** The same API (same token) at another address, e.g. the controller after its restart. */
export function withToken(url: string, headers: Record<string, string>): ProcessApi {
  async function api<T>(method: string, path: string, body?: unknown) {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T }
  }
  return {
    url,
    headers,
    api,
    async register(name, zone = '西海路社区') {
      // Registering never creates a zone; POST /api/zones returns the zone when it exists.
      if (!zone.startsWith('z-')) await api('POST', '/api/zones', { name: zone })
      const r = await api<{ id: string; secret: string }>('POST', '/api/nodes', { name, zone })
      if (r.status !== 201) throw new Error(`register: ${r.status} ${JSON.stringify(r.body)}`)
      return r.body
    },
  }
}
