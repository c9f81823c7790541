/**
 * `npm run demo`: a controller (started here unless --controller is given), the district's zone
 * tree, 435 simulated nodes running the real agent code (clocks set wrong by up to ±2 s, which
 * their clock sync corrects), and a generated sample programme whose first segment starts on
 * every node at one instant about 30 s after they are all online. Prints the dashboard URL, a
 * summary every 10 s, and how the first segment went on the true clock.
 */
import { mkdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import pino from 'pino'
import { generateTone, resolveFfmpegPath } from '../audio/index.js'
import { SYSTEM_ACTOR } from '../controller/accounts/audit.js'
import { loadConfig } from '../controller/config.js'
import { createController } from '../controller/controller.js'
import { instantToLocalDate, instantToLocalTime } from '../schedules/index.js'
import { deviationSummary, type Fleet, runFleet } from '../speaker-agent/fleet.js'
import { addressInUse, choosePort, parsePort } from './demo-ports.js'

const { values } = parseArgs({
  options: {
    controller: { type: 'string' },
    broker: { type: 'string' },
    nodes: { type: 'string', default: '435' },
    'data-dir': { type: 'string' },
    sink: { type: 'string', default: 'sim' },
    'clock-error-ms': { type: 'string', default: '2000' },
    token: { type: 'string' },
    'http-port': { type: 'string' },
    'mqtt-port': { type: 'string' },
    help: { type: 'boolean' },
  },
})
if (values.help) {
  console.log(`Usage: npm run demo -- [--nodes 435] [--http-port 8080] [--mqtt-port 1883]
                       [--controller URL --broker URL --token T]
                       [--sink sim] [--data-dir $CHORUS_DATA_DIR/demo] [--clock-error-ms 2000]
Without --controller, a controller is started here (HTTP ${process.env.CHORUS_HTTP_PORT ?? 8080},
MQTT ${process.env.CHORUS_MQTT_PORT ?? 1883}; CHORUS_* variables apply); a port already in use is
said and the next free one used, unless --http-port / --mqtt-port chose it (0: any free port).
With --controller, give an admin's API token in CHORUS_TOKEN (--token works too, but ps shows it
to everyone). The data directory (default $CHORUS_DATA_DIR/demo, ./data/demo without it) holds
the simulated nodes' identities, per controller; the controller started here keeps its data in
$CHORUS_DATA_DIR, else <data-dir>/controller.`)
  process.exit(0)
}

const TZ = process.env.CHORUS_TZ ?? 'Asia/Shanghai'
const dataDir = resolve(values['data-dir'] ?? join(process.env.CHORUS_DATA_DIR ?? './data', 'demo'))
const log = pino({ level: process.env.CHORUS_LOG_LEVEL ?? 'warn' })
const nodes = Number(values.nodes)
if (!Number.isInteger(nodes) || nodes < 1) {
  console.error('--nodes must be a positive integer')
  process.exit(2)
}
const portFlags = { http: values['http-port'], mqtt: values['mqtt-port'] }
if (values.controller && (portFlags.http !== undefined || portFlags.mqtt !== undefined)) {
  console.error(
    '--http-port and --mqtt-port choose the ports of the controller started here, not with --controller',
  )
  process.exit(2)
}
const clockErrorMs = Number(values['clock-error-ms'])
if (!(clockErrorMs >= 0)) {
  console.error('--clock-error-ms must be a number of ms, 0 or more')
  process.exit(2)
}

// The district's tree, named after the places in the Chengbei report (PRODUCT.md).
const TREE = {
  name: '城北区',
  code: '630105',
  children: [
    { name: '小桥大街街道', children: ['西海路社区', '工具厂社区'] },
    { name: '二十里铺镇', children: ['宋家寨村', '晋家湾村'] },
    { name: '大堡子镇', children: ['严小村'] },
  ],
}
const SEGMENTS = [
  { title: '早间新闻', hz: 440, seconds: 20 },
  { title: '政策解读', hz: 523, seconds: 15 },
  { title: '安全提示', hz: 660, seconds: 10 },
  { title: '天气预报', hz: 587, seconds: 12 },
  { title: '文化之窗', hz: 494, seconds: 18 },
]

/** `Authorization` for the demo's own API calls (set once the token is known). */
let auth: Record<string, string> = {}

async function api<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? auth : { ...auth, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true })
  let controllerUrl = values.controller
  let brokerUrl = values.broker
  let stopController = async () => {}
  if (values.token !== undefined) {
    console.warn(
      '--token on the command line is visible to every user of this machine (ps); set CHORUS_TOKEN instead',
    )
  }
  let token = values.token ?? process.env.CHORUS_TOKEN
  if (!controllerUrl) {
    // Every simulated node connects from this machine's address: the broker's per-address cap
    // (1,000 by default) must let them all in.
    const env = {
      CHORUS_DATA_DIR: join(dataDir, 'controller'),
      CHORUS_MQTT_MAX_CONNECTIONS_PER_ADDRESS: String(Math.max(1000, nodes + 100)),
      ...process.env,
    }
    const config = loadConfig(await portArgs(loadConfig([], env)), env)
    if ('help' in config) throw new Error('unexpected --help')
    const controller = createController({ config, log })
    const started = await controller.start().catch((err: unknown) => {
      const inUse = addressInUse(err)
      if (!inUse) throw err
      // Taken between the check and the start: say so rather than print a stack.
      console.error(
        `port ${inUse.port ?? ''} was taken while the demo started: run it again, or choose free ports with --http-port and --mqtt-port`,
      )
      process.exit(2)
    })
    controllerUrl = started.httpUrl
    brokerUrl = started.brokerUrl
    stopController = () => controller.stop()
    // The first start's admin password, printed once as `npm start` does.
    if (started.adminPassword) {
      console.log(`First start: log in as "admin" with the password ${started.adminPassword}`)
    }
    // An admin API token made through the services, for this run only; never printed.
    const issued = controller.deps?.services.tokens.issueFor(SYSTEM_ACTOR, 'admin', {
      name: 'npm run demo',
      roles: ['admin'],
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    })
    token = issued?.token
  } else if (!brokerUrl) {
    brokerUrl = `mqtt://${new URL(controllerUrl).hostname}:1883`
  }
  if (!token) {
    console.error('--controller needs an admin API token: --token <token> or CHORUS_TOKEN')
    process.exit(2)
  }
  auth = { authorization: `Bearer ${token}` }
  const base = controllerUrl
  console.log(`Chorus demo: dashboard ${base}/  (MQTT ${brokerUrl})`)

  // Zones (creating an existing zone returns it, so a second run reuses the tree).
  const district = await api<{ id: string }>(base, 'POST', '/api/zones', {
    name: TREE.name,
    code: TREE.code,
  })
  const leaves: string[] = []
  for (const town of TREE.children) {
    const t = await api<{ id: string }>(base, 'POST', '/api/zones', {
      name: town.name,
      parentId: district.id,
    })
    for (const name of town.children) {
      leaves.push(
        (await api<{ id: string }>(base, 'POST', '/api/zones', { name, parentId: t.id })).id,
      )
    }
  }

  // A generated programme: a tone per segment, uploaded through the API like any recording.
  const ffmpegPath = resolveFfmpegPath()
  const audioDir = join(dataDir, 'audio-src')
  mkdirSync(audioDir, { recursive: true })
  const audio: { id: string; title: string; durationMs: number }[] = []
  for (const s of SEGMENTS) {
    const file = join(audioDir, `${s.hz}-${s.seconds}.wav`)
    await generateTone(ffmpegPath, file, { seconds: s.seconds, frequencyHz: s.hz, format: 'wav' })
    const form = new FormData()
    form.append('file', new Blob([await readFile(file)]), basename(file))
    form.append('title', s.title)
    const res = await fetch(`${base}/api/audio`, { method: 'POST', body: form, headers: auth })
    const body = (await res.json()) as { id: string; durationMs: number }
    if (res.status >= 300) throw new Error(`upload failed: ${JSON.stringify(body)}`)
    audio.push({ id: body.id, title: s.title, durationMs: body.durationMs })
  }

  const fleet = await runFleet({
    nodes,
    controllerUrl: base,
    brokerUrl: brokerUrl ?? '',
    token,
    sink: values.sink,
    clockErrorMs,
    dataDir: join(dataDir, 'fleet'),
    zones: leaves,
    log,
    onSummary: (line) => console.log(line),
    onNotice: (line) => console.log(line),
  })
  // Today's running order: 15 segments for the whole district, the first about 30 s after every
  // node is online, then one every 90 s; each starts on all nodes at the same instant.
  const online = () => fleet.counts().connected + fleet.counts().refused
  while (online() < nodes) await new Promise((r) => setTimeout(r, 500))
  const first = Math.ceil((Date.now() + 30_000) / 1000) * 1000
  const byDate = new Map<string, unknown[]>()
  for (let i = 0; i < 15; i++) {
    const seg = audio[i % audio.length]!
    const at = first + i * 90_000
    const date = instantToLocalDate(at, TZ)
    const items = byDate.get(date) ?? []
    items.push({ start: instantToLocalTime(at, TZ), audioId: seg.id, title: seg.title })
    byDate.set(date, items)
  }
  for (const [date, items] of byDate) await api(base, 'PUT', `/api/days/${date}`, { items })
  console.log(
    `programme: 15 segments on all ${nodes} nodes from ${instantToLocalTime(first, TZ)} (${TZ}), ` +
      'one every 90 s',
  )
  reportFirst(fleet, first, audio[0]!.durationMs)
  console.log(`${nodes} nodes started; open ${base}/ (Ctrl-C stops the demo)`)

  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await fleet.stop()
    await stopController()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

/**
 * The `--http-port` / `--mqtt-port` arguments of the controller started here: the ports asked for
 * (the flags, else CHORUS_* or the defaults), each replaced by the next free one when in use
 * unless its flag chose it; exits with a clear message on a bad or taken chosen port.
 */
async function portArgs(defaults: ReturnType<typeof loadConfig>): Promise<string[]> {
  if ('help' in defaults) throw new Error('unexpected --help')
  const args: string[] = []
  const wishes = [
    {
      name: 'HTTP',
      flag: '--http-port',
      host: defaults.httpHost,
      given: portFlags.http,
      port: defaults.httpPort,
    },
    {
      name: 'MQTT',
      flag: '--mqtt-port',
      host: defaults.mqttHost,
      given: portFlags.mqtt,
      port: defaults.mqttPort,
    },
  ]
  for (const w of wishes) {
    const given = w.given === undefined ? undefined : parsePort(w.flag, w.given)
    if (typeof given === 'object') {
      console.error(given.error)
      process.exit(2)
    }
    const choice = await choosePort({ ...w, port: given ?? w.port, explicit: given !== undefined })
    if ('error' in choice) {
      console.error(choice.error)
      process.exit(2)
    }
    if (choice.note) console.log(choice.note)
    args.push(w.flag, String(choice.port))
  }
  return args
}

/** Prints how the first segment went on every node, on the true clock, once all reported. */
function reportFirst(fleet: Fleet, at: number, durationMs: number): void {
  const n = fleet.agents.length
  const print = (final: boolean): void => {
    const itemId = fleet.tally.itemAt(at)
    const o = itemId ? fleet.tally.outcome(itemId, n) : undefined
    if (!final && (!o || o.finished + o.late + o.failed < n)) return
    off()
    clearTimeout(timer)
    if (!o) return void console.log('first segment: no node reported on it')
    const d = deviationSummary(o.deviationsMs)
    const ms = (v: number) => `${Number.isNaN(v) ? '–' : v.toFixed(1)} ms`
    console.log(
      `first segment: ${o.finished}/${n} played, ${o.late} late, ${o.failed} failed; first ` +
        `sample against the true instant: p50 ${ms(d.p50)}, p95 ${ms(d.p95)}, p99 ${ms(d.p99)}, ` +
        `max ${ms(d.max)}${Object.keys(o.failures).length > 0 ? `; ${JSON.stringify(o.failures)}` : ''}`,
    )
  }
  const off = fleet.tally.onReport(() => print(false))
  const timer = setTimeout(() => print(true), at - Date.now() + durationMs + 30_000)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
