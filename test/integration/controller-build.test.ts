import { execFile, spawn } from 'node:child_process'
import { createHash, generateKeyPairSync, sign } from 'node:crypto'
import { once } from 'node:events'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Worker } from 'node:worker_threads'
import Database from 'better-sqlite3'
import { describe, expect, it, onTestFinished } from 'vitest'
import type { VerifyJob, VerifyResult } from '../../controller/ingest/verify-pool.js'
import { signingInput } from '../../protocol/index.js'
import { tmpDir } from '../helpers/tmp-dir.js'

const ROOT = join(import.meta.dirname, '..', '..')
const run = promisify(execFile)

// `npm start` runs `prestart` (scripts/build-controller.mjs), then this JavaScript build: the
// same controller as the TypeScript, with what it finds beside its sources (migrations, the web
// UI's dist) and its signature worker thread.
// Built under the checkout (dist/, git-ignored): the bundle finds npm packages in node_modules.
async function build(): Promise<string> {
  mkdirSync(join(ROOT, 'dist'), { recursive: true })
  const out = mkdtempSync(join(ROOT, 'dist', 'controller-test-'))
  onTestFinished(() => rmSync(out, { recursive: true, force: true }))
  await run(process.execPath, [join(ROOT, 'scripts', 'build-controller.mjs'), '--out', out], {
    cwd: ROOT,
  })
  return out
}

describe('the controller built for npm start', () => {
  it('starts, migrates its database, serves the API and the web UI, stops on SIGTERM', async () => {
    const out = await build()
    const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts
    expect(scripts.prestart).toBe('node scripts/build-controller.mjs')
    expect(scripts.start).toBe('node dist/controller/main.js')
    const dataDir = tmpDir()
    const child = spawn(process.execPath, [join(out, 'main.js')], {
      cwd: ROOT,
      env: {
        ...process.env,
        CHORUS_HTTP_PORT: '0',
        CHORUS_MQTT_PORT: '0',
        CHORUS_MQTT_HOST: '127.0.0.1',
        CHORUS_DATA_DIR: dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL')
    })
    let output = ''
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (d: Buffer) => {
        output += d.toString()
        const m = /web UI (http:\/\/\S+?)\/?\s/.exec(output)
        if (m?.[1]) resolve(m[1])
      }
      child.stdout.on('data', onData)
      child.stderr.on('data', onData)
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)))
    })
    const health = (await (await fetch(`${url}/api/health`)).json()) as { status: string }
    expect(health.status).toBe('ok')
    if (existsSync(join(ROOT, 'controller', 'web', 'dist', 'index.html'))) {
      const page = await fetch(`${url}/`)
      expect(page.status).toBe(200)
      expect(await page.text()).toMatch(/<div id="app">|<script/)
    }
    child.kill('SIGTERM')
    const [code] = await once(child, 'exit')
    expect(code).toBe(0)
    // Every migration in controller/platform/migrations was applied.
    const migrations = join(ROOT, 'controller', 'platform', 'migrations')
    const db = new Database(join(dataDir, 'chorus.db'), { readonly: true })
    onTestFinished(() => {
      db.close()
    })
    const version = db.pragma('user_version', { simple: true }) as number
    const highest = Math.max(
      ...readdirSync(migrations)
        .map((f) => Number.parseInt(f, 10))
        .filter((n) => Number.isFinite(n)),
    )
    expect(version).toBe(highest)
  }, 120_000)

  it('ships the signature worker beside main.js, and it checks signatures', async () => {
    const out = await build()
    const { publicKey, privateKey } = generateKeyPairSync('ed25519')
    const der = publicKey.export({ type: 'spki', format: 'der' })
    const keyId = createHash('sha256').update(der).digest('hex').slice(0, 16)
    const e = { id: 'e1', type: 'play.failed', at: '2026-11-27T08:00:00.000Z' }
    const sig = { alg: 'Ed25519', keyId }
    const value = sign(null, signingInput({ ...e, sig }), privateKey).toString('base64')
    const job: VerifyJob = {
      id: 7,
      key: { key: publicKey, keyId },
      message: { events: [{ ...e, sig: { ...sig, value } }, e] },
    }
    const worker = new Worker(join(out, 'verify-worker.js'))
    onTestFinished(async () => {
      await worker.terminate()
    })
    worker.postMessage(job)
    const [answer] = (await once(worker, 'message')) as [VerifyResult]
    expect(answer).toEqual({ id: 7, refusals: [null, 'unsigned'] })
  }, 120_000)
})
