import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it, onTestFinished } from 'vitest'
import { tmpDir } from '../helpers/tmp-dir.js'

// `npm run demo` (scripts/demo.ts, a real child process) when its ports are held by another
// listener: it says so and runs on the next free ports, printing them; a port chosen by its flag
// that is taken is refused in words. Loopback only (CHORUS_MQTT_HOST=127.0.0.1).

const ROOT = join(import.meta.dirname, '..', '..')
const held: Server[] = []
afterEach(async () => {
  await Promise.all(held.splice(0).map((s) => new Promise((r) => s.close(r))))
})

/** A real listener on a free loopback port, standing for `npm start` holding it; its port. */
async function hold(): Promise<number> {
  const s = createServer()
  held.push(s)
  await new Promise<void>((resolve) => s.listen({ host: '127.0.0.1', port: 0 }, resolve))
  return (s.address() as { port: number }).port
}

function demo(args: string[], env: Record<string, string>) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('CHORUS_')),
  )
  const dir = tmpDir()
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'scripts', 'demo.ts'),
      '--nodes',
      '1',
      '--data-dir',
      dir,
      ...args,
    ],
    {
      cwd: ROOT,
      env: { ...clean, CHORUS_MQTT_HOST: '127.0.0.1', CHORUS_LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let out = ''
  const grew = new EventTarget()
  for (const s of [child.stdout, child.stderr]) {
    s.on('data', (d: Buffer) => {
      out += d.toString()
      grew.dispatchEvent(new Event('data'))
    })
  }
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
  })
  /** The first match of `re` in the output, as soon as it holds one. */
  const match = (re: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const m = re.exec(out)
        if (m) resolve(m)
      }
      grew.addEventListener('data', check)
      child.once('close', () => reject(new Error(`no ${re} in: ${out}`)))
      check()
    })
  return { child, match, output: () => out }
}

describe('npm run demo with its ports taken', () => {
  it('says which ports are in use and runs on free ones, printing them', async () => {
    const [http, mqtt] = [await hold(), await hold()]
    const run = demo([], { CHORUS_HTTP_PORT: String(http), CHORUS_MQTT_PORT: String(mqtt) })
    const m = await run.match(/Chorus demo: dashboard (http:\/\/\S+?)\/ +\(MQTT (mqtt:\/\/\S+)\)/)
    const [dashboard, broker] = [new URL(m[1] as string), new URL(m[2] as string)]
    expect(run.output()).toContain(`HTTP port ${http} on 127.0.0.1 is in use`)
    expect(run.output()).toContain(`MQTT port ${mqtt} on 127.0.0.1 is in use`)
    expect(run.output()).toContain(`using ${dashboard.port} instead (--http-port chooses)`)
    expect(run.output()).toContain(`using ${broker.port} instead (--mqtt-port chooses)`)
    expect([Number(dashboard.port), Number(broker.port)]).not.toContain(http)
    expect(Number(broker.port)).not.toBe(mqtt)
    const health = await fetch(new URL('/api/health', dashboard))
    expect(health.status).toBe(200)
    run.child.kill('SIGTERM')
    await once(run.child, 'close')
  }, 60_000)

  it('refuses a taken port chosen by --http-port, in words, before starting anything', async () => {
    const http = await hold()
    const run = demo(['--http-port', String(http), '--mqtt-port', '0'], {})
    const [code] = await once(run.child, 'close')
    expect(code).toBe(2)
    expect(run.output()).toContain(
      `HTTP port ${http} on 127.0.0.1 is in use (npm start, another demo or another program): stop it, or choose a free port with --http-port`,
    )
    expect(run.output()).not.toContain('Chorus demo: dashboard')
    expect(run.output()).not.toMatch(/\n\s+at /) // no stack trace
  }, 60_000)
})
