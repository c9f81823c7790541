import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { tmpDir } from '../helpers/tmp-dir.js'

const ROOT = join(import.meta.dirname, '..', '..')
// `node --import tsx` runs the controller in this very process, so a signal reaches it (the tsx
// command would start a second process of its own).

function spawnController(args: string[], env: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'controller', 'main.ts'), ...args],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let out = ''
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString()
  })
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString()
  })
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
  })
  const ready = new Promise<string>((resolve, reject) => {
    const onData = () => {
      const m = /web UI (http:\/\/\S+?)\/?\s/.exec(out)
      if (m?.[1]) resolve(m[1])
    }
    child.stdout.on('data', onData)
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)))
  })
  // Tests that expect an early exit never await `ready`; keep its rejection from going unhandled.
  ready.catch(() => undefined)
  return { child, ready, output: () => out }
}

describe('controller process', () => {
  it('starts from env vars, serves /api/health, and exits 0 on SIGTERM', async () => {
    const dataDir = tmpDir()
    const p = spawnController([], {
      CHORUS_HTTP_PORT: '0',
      CHORUS_MQTT_PORT: '0',
      CHORUS_MQTT_HOST: '127.0.0.1',
      CHORUS_DATA_DIR: dataDir,
    })
    const url = await p.ready
    const health = (await (await fetch(`${url}/api/health`)).json()) as { status: string }
    expect(health.status).toBe('ok')
    p.child.kill('SIGTERM')
    const [code] = await once(p.child, 'exit')
    expect(code).toBe(0)
    expect(p.output()).toMatch(/controller stopped/)
  })

  it('refuses invalid configuration with one message listing every problem', async () => {
    const p = spawnController(['--http-port', 'eighty', '--tz', 'Mars/Olympus'], {
      CHORUS_HORIZON_DAYS: '400',
    })
    const [code] = await once(p.child, 'exit')
    expect(code).toBe(2)
    expect(p.output()).toMatch(/CHORUS_HTTP_PORT/)
    expect(p.output()).toMatch(/CHORUS_HORIZON_DAYS/)
    expect(p.output()).toMatch(/Mars\/Olympus/)
  })

  it('prints every option with --help', async () => {
    const p = spawnController(['--help'])
    const [code] = await once(p.child, 'exit')
    expect(code).toBe(0)
    for (const v of [
      'CHORUS_HTTP_PORT',
      'CHORUS_MQTT_PORT',
      'CHORUS_DATA_DIR',
      'CHORUS_BROKER_URL',
      'CHORUS_TZ',
    ]) {
      expect(p.output()).toContain(v)
    }
  })
})
