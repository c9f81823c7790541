import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { tmpDir } from '../helpers/tmp-dir.js'

const ROOT = join(import.meta.dirname, '..', '..')

/** Runs controller/main.ts as `npm start` would, on free ports, with only these CHORUS_ vars. */
function startProcess(dataDir: string, env: Record<string, string> = {}) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('CHORUS_')),
  )
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'controller', 'main.ts')], {
    cwd: ROOT,
    env: {
      ...clean,
      CHORUS_HTTP_PORT: '0',
      CHORUS_MQTT_PORT: '0',
      CHORUS_MQTT_HOST: '127.0.0.1',
      CHORUS_DATA_DIR: dataDir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const grew = new EventTarget()
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString()
    grew.dispatchEvent(new Event('data'))
  })
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString()
    grew.dispatchEvent(new Event('data'))
  })
  /** Resolves with the first match of `re` in the output, as soon as the output holds one. */
  const outputMatch = (re: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const m = re.exec(out)
        if (m) {
          grew.removeEventListener('data', check)
          resolve(m)
        }
      }
      grew.addEventListener('data', check)
      child.once('close', () => reject(new Error(`no ${re} in: ${out}`)))
      check()
    })
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
  })
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /web UI (http:\/\/\S+?)\/?\s/.exec(out)
      if (m?.[1]) resolve(m[1])
    })
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)))
  })
  ready.catch(() => undefined)
  // After 'close' the process has exited and everything it wrote has been read.
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM')
    if (child.stdout.readable || child.stderr.readable) await once(child, 'close')
  }
  return { child, ready, output: () => out, outputMatch, stop }
}

async function login(url: string, password: string): Promise<number> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  })
  return res.status
}

describe('first start', () => {
  it('generates the admin password, prints it once on stdout, and never again', async () => {
    const dataDir = tmpDir()
    const first = startProcess(dataDir)
    const url = await first.ready
    // The line comes right after the ready line.
    const m = await first.outputMatch(/First start: log in as "admin" with the password (\S+)/)
    const password = m[1] ?? ''
    expect(password).toMatch(/^[\w-]{24}$/)
    expect(await login(url, password)).toBe(200)
    expect(await login(url, 'admin')).toBe(401)
    await first.stop()
    // Exactly once in everything the process wrote: never in a JSON log line.
    expect(first.output().split(password)).toHaveLength(2)

    const second = startProcess(dataDir)
    const url2 = await second.ready
    expect(await login(url2, password)).toBe(200)
    // Everything the second start ever wrote, read to its end.
    await second.stop()
    expect(second.output()).not.toContain('First start')
    expect(second.output()).not.toContain(password)
  })

  it('takes the password from CHORUS_ADMIN_PASSWORD without printing or logging it', async () => {
    const p = startProcess(tmpDir(), {
      CHORUS_ADMIN_PASSWORD: 'district-office-2026',
      CHORUS_LOG_LEVEL: 'debug',
    })
    const url = await p.ready
    expect(await login(url, 'district-office-2026')).toBe(200)
    await p.stop()
    expect(p.output()).not.toContain('First start')
    expect(p.output()).not.toContain('district-office-2026')
  })

  it('refuses to start with a weak CHORUS_ADMIN_PASSWORD, without echoing it', async () => {
    const p = startProcess(tmpDir(), { CHORUS_ADMIN_PASSWORD: 'admin123' })
    const [code] = await once(p.child, 'exit')
    expect(code).not.toBe(0)
    expect(p.output()).toMatch(/CHORUS_ADMIN_PASSWORD: a password needs at least 10 characters/)
    expect(p.output()).not.toContain('admin123')
  })
})
