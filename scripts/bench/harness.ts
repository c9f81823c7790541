/**
 * The processes a bench run measures: the controller (`controller/main.ts`) and Debian's
 * Mosquitto, each a child started through `bash -c 'ulimit -n …; exec …'` so that 10,000
 * connections fit without raising any limit on the machine; and an admin API token.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { writeMosquittoConfig } from '../../controller/mqtt/dynsec-config.js'

/** Open files each measured process may hold (above the default 1,024; at most the hard limit). */
export const BENCH_NOFILE = 65_536

const ROOT = join(import.meta.dirname, '..', '..')
/** The admin password of every bench controller (its data directory is the bench's own). */
export const ADMIN_PASSWORD = 'Bench-chorus-measure-7'

/** `argv` run by bash with the file-descriptor limit raised for it alone (exec: same pid). */
export function spawnWithNofile(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd = ROOT,
): ChildProcess {
  const quoted = argv.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ')
  // `ulimit -n` fails above the hard limit: fall back to the hard limit itself.
  const script = `ulimit -n ${BENCH_NOFILE} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec ${quoted}`
  return spawn('bash', ['-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
}

export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill(signal)
  await exited
}

/** Resident set and its high-water mark of a process, bytes (from /proc); NaN once it is gone. */
export function rssOf(pid: number): { rss: number; hwm: number } {
  let status: string
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8')
  } catch {
    return { rss: Number.NaN, hwm: Number.NaN }
  }
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0)
  return { rss: kb('VmRSS') * 1024, hwm: kb('VmHWM') * 1024 }
}

/** A broker process the bench started. */
export interface BrokerProcess {
  url: string
  pid: number
  /** Set for Mosquitto with dynamic security: the controller's service account. */
  admin?: { username: string; password: string }
  stop(): Promise<void>
}

async function untilConnects(url: string, opts: mqtt.IClientOptions, what: string): Promise<void> {
  const deadline = Date.now() + 15_000
  for (;;) {
    try {
      const c = await mqtt.connectAsync(url, { ...opts, reconnectPeriod: 0, connectTimeout: 1000 })
      await c.endAsync()
      return
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${what} not listening: ${String(err)}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }
}

/**
 * Debian's Mosquitto on a free loopback port: with dynamic security as `npm run mosquitto:config`
 * writes it (`dynsec: true`), or open to anyone (the raw broker's floor).
 */
export async function startMosquitto(
  dir: string,
  dynsec: boolean,
  /** Changes the dynamic-security file before Mosquitto reads it (seeded accounts). */
  seed?: (dynsecFile: string) => void,
): Promise<BrokerProcess> {
  const port = await freePort()
  let conf = join(dir, 'mosquitto.conf')
  let admin: { username: string; password: string } | undefined
  if (dynsec) {
    const files = writeMosquittoConfig({
      out: dir,
      port,
      address: '127.0.0.1',
      adminUsername: 'chorus-controller',
      user: userInfo().username,
    })
    conf = files.conf
    seed?.(files.dynsecFile)
    admin = { username: 'chorus-controller', password: files.password }
  } else {
    writeFileSync(
      conf,
      [
        `listener ${port} 127.0.0.1`,
        'allow_anonymous true',
        'persistence false',
        'max_queued_messages 100000',
        `user ${userInfo().username}`,
        '',
      ].join('\n'),
    )
  }
  const child = spawnWithNofile(['/usr/sbin/mosquitto', '-c', conf])
  let err = ''
  child.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000)
  })
  const url = `mqtt://127.0.0.1:${port}`
  try {
    await untilConnects(url, admin ?? {}, `mosquitto (${err})`)
  } catch (e) {
    await stopChild(child)
    throw e
  }
  return { url, pid: child.pid ?? 0, ...(admin ? { admin } : {}), stop: () => stopChild(child) }
}

/** The measured controller process. */
export interface ControllerProcess {
  httpUrl: string
  brokerUrl: string
  pid: number
  dataDir: string
  /** How it ended when it exited on its own (a crash), with the end of its output; else null. */
  crashed(): { code: number | null; signal: string | null; tail: string } | null
  stop(signal?: NodeJS.Signals): Promise<void>
}

const built = new Set<string>()

/**
 * What runs the controller of the checkout `root`, as `npm start` does: its JavaScript build
 * (`scripts/build-controller.mjs`, built once per checkout and bench process) where the checkout
 * has one, else `controller/main.ts` through tsx (older checkouts; `BENCH_CONTROLLER_TSX=1`).
 */
export function controllerEntry(root: string): string[] {
  const script = join(root, 'scripts', 'build-controller.mjs')
  if (process.env.BENCH_CONTROLLER_TSX === '1' || !existsSync(script)) {
    return ['--import', 'tsx', join(root, 'controller', 'main.ts')]
  }
  if (!built.has(root)) {
    execFileSync(process.execPath, [script], { cwd: root, stdio: 'ignore' })
    built.add(root)
  }
  return [join(root, 'dist', 'controller', 'main.js')]
}

/**
 * The controller of `root` (`controllerEntry`) in a child on `dataDir`, with its embedded broker or on `broker`
 * (Mosquitto with dynamic security); resolves once it printed its ready line.
 */
export async function startController(opts: {
  dataDir: string
  nodes: number
  broker?: BrokerProcess
  httpPort?: number
  mqttPort?: number
  /** Extra Node flags (`--cpu-prof`, `--heapsnapshot-signal=SIGUSR2`…). */
  nodeArgs?: string[]
  /**
   * The checkout whose `controller/main.ts` runs (default: this one; `BENCH_CONTROLLER_ROOT`
   * sets it too), so that one bench drives two versions alternately (A/B).
   */
  root?: string
  /** The controller's log level (default: error). */
  logLevel?: string
  /** Copies the controller's output to this process's stderr. */
  echo?: boolean
}): Promise<ControllerProcess> {
  const root = opts.root ?? process.env.BENCH_CONTROLLER_ROOT ?? ROOT
  const http = opts.httpPort ?? (await freePort())
  const mqttPort = opts.mqttPort ?? (await freePort())
  const args = [
    ...['--data-dir', opts.dataDir, '--admin-password', ADMIN_PASSWORD],
    ...['--http-host', '127.0.0.1', '--http-port', String(http)],
    ...['--mqtt-host', '127.0.0.1', '--mqtt-port', String(mqttPort)],
  ]
  if (opts.broker?.admin) {
    args.push('--broker-url', opts.broker.url, '--broker-dynsec', 'true')
    args.push('--broker-username', opts.broker.admin.username)
    args.push(`--broker-password=${opts.broker.admin.password}`)
  }
  const child = spawnWithNofile(
    [process.execPath, ...(opts.nodeArgs ?? []), ...controllerEntry(root), ...args],
    {
      ...process.env,
      CHORUS_LOG_LEVEL: opts.logLevel ?? 'error',
      // Every simulated node connects from 127.0.0.1 (the broker caps 1,000 per address).
      CHORUS_MQTT_MAX_CONNECTIONS_PER_ADDRESS: String(opts.nodes + 100),
    },
    root,
  )
  let out = ''
  const onData = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000)
  }
  child.stdout?.on('data', onData)
  child.stderr?.on('data', onData)
  if (opts.echo) {
    child.stdout?.pipe(process.stderr)
    child.stderr?.pipe(process.stderr)
  }
  const exited = once(child, 'exit')
  let stopping = false
  let crash: { code: number | null; signal: string | null; tail: string } | null = null
  child.once('exit', (code, signal) => {
    if (stopping) return
    crash = { code, signal, tail: out.slice(-3000) }
    console.error(`controller ${child.pid} exited on its own (${code ?? signal}):\n${crash.tail}`)
  })
  const ready = await new Promise<{ httpUrl: string; brokerUrl: string }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`controller not ready in 120 s:\n${out}`)),
      120_000,
    )
    const check = () => {
      const m = /web UI (http:\/\/\S+?)\/?\s+MQTT (\S+)/.exec(out)
      if (m?.[1] && m[2]) {
        clearTimeout(timer)
        child.stdout?.off('data', check)
        resolve({ httpUrl: m[1], brokerUrl: m[2] })
      }
    }
    child.stdout?.on('data', check)
    void exited.then(() => {
      clearTimeout(timer)
      reject(new Error(`controller exited before it was ready:\n${out}`))
    })
  })
  return {
    ...ready,
    brokerUrl: opts.broker?.url ?? ready.brokerUrl,
    pid: child.pid ?? 0,
    dataDir: opts.dataDir,
    crashed: () => crash,
    stop: (signal = 'SIGTERM') => {
      stopping = true
      return stopChild(child, signal)
    },
  }
}

/**
 * Registers `n` nodes straight through the provisioning service of a controller in this process
 * (seconds, not the minutes `POST /api/nodes` takes: for benches where registration is not what
 * is measured), on `dataDir`, with the admin password `startController` uses.
 */
export async function seedNodes(
  dataDir: string,
  n: number,
  zoneNames = ['规模甲', '规模乙', '规模丙', '规模丁', '规模戊'],
): Promise<{ id: string; secret: string }[]> {
  const { loadConfig } = await import('../../controller/config.js')
  const { createController } = await import('../../controller/controller.js')
  const pino = (await import('pino')).default
  const config = loadConfig(['--http-port', '0', '--mqtt-port', '0', '--data-dir', dataDir], {
    CHORUS_ADMIN_PASSWORD: ADMIN_PASSWORD,
  })
  if ('help' in config) throw new Error('unexpected --help')
  const ctl = createController({ config, log: pino({ level: 'silent' }) })
  await ctl.start()
  try {
    const provisioning = ctl.deps?.services.provisioning
    if (!provisioning) throw new Error('no services')
    const zones = zoneNames.map((name) => provisioning.createZone({ name }).id)
    return Array.from({ length: n }, (_, i) => {
      const { node, secret } = provisioning.registerNode({
        name: `scale ${String(i).padStart(5, '0')}`,
        zone: zones[i % zones.length] as string,
      })
      return { id: node.id, secret }
    })
  } finally {
    await ctl.stop()
  }
}

/** The admin's HTTP API through an API token (it survives restarts on the same data). */
export interface BenchApi {
  url: string
  token: string
  call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>
}

export async function adminApi(url: string): Promise<BenchApi> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  })
  const { csrfToken } = (await login.json()) as { csrfToken: string }
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const res = await fetch(`${url}/api/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ name: 'bench', roles: ['admin'] }),
  })
  if (res.status !== 201) throw new Error(`token: ${res.status} ${await res.text()}`)
  const { token } = (await res.json()) as { token: string }
  return withToken(url, token)
}

/** The same token against another address (the controller after a restart). */
export function withToken(url: string, token: string): BenchApi {
  return {
    url,
    token,
    async call<T>(method: string, path: string, body?: unknown) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await res.text()
      return { status: res.status, body: (text ? JSON.parse(text) : null) as T }
    },
  }
}
