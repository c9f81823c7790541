import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { clockWithNow } from '../../controller/platform/time.js'
import { startAgent } from '../helpers/agent.js'
import { makeTone } from '../helpers/audio.js'
import { startController, type TestController } from '../helpers/controller.js'
import { captureLog } from '../helpers/log.js'
import { connectError, connectRaw, waitFor } from '../helpers/mqtt.js'
import { connectNode } from '../helpers/node-client.js'
import { nodesById, transitionsOf, waitForPresence } from '../helpers/presence.js'
import { tmpDir } from '../helpers/tmp-dir.js'

interface Bundle {
  v: 1
  nodeId: string
  brokerUrl: string
  controllerUrl: string
  enrollmentToken: string
  expiresAt: string
  caCert: string | null
}
interface Registered {
  id: string
  secret: string
  bundle: Bundle
  bundleQr: string
  serial: string | null
  notes: string | null
  enrolledAt: string | null
}
interface Enrolled {
  nodeId: string
  secret: string
  brokerUrl: string
  controllerUrl: string
}
interface ApiError {
  code: string
  message: string
}

async function register(ctl: TestController, body: Record<string, unknown> = {}) {
  await ctl.api('POST', '/api/zones', { name: '西海路社区' }) // returns the zone when it exists
  const r = await ctl.api<Registered>('POST', '/api/nodes', {
    name: `enroll ${Math.random().toString(36).slice(2, 6)}`,
    zone: '西海路社区',
    ...body,
  })
  expect(r.status).toBe(201)
  return r.body
}

const ROOT = join(import.meta.dirname, '..', '..')

const enroll = (ctl: TestController, nodeId: string, token: string) =>
  ctl.api<Enrolled & ApiError>('POST', '/api/enroll', { nodeId, token })

/** Whether the broker lets `secret` in as `nodeId` (closing the connection again). */
async function accepted(ctl: TestController, nodeId: string, secret: string): Promise<boolean> {
  const err = await connectError(ctl.brokerUrl, {
    clientId: nodeId,
    username: nodeId,
    password: secret,
    protocolVersion: 4,
  })
  if (err && !/bad username or password|not authorized/i.test(err.message)) throw err
  return err === null
}

describe('enrollment tokens', () => {
  it('registers with a bundle and QR; the token enrolls once and retires the registration secret', async () => {
    const { log, lines } = captureLog('debug')
    const ctl = await startController({ log })
    const reg = await register(ctl, { serial: 'CB-2026-0001', notes: '西门电线杆' })
    expect(reg).toMatchObject({ serial: 'CB-2026-0001', notes: '西门电线杆', enrolledAt: null })
    expect(reg.bundle).toEqual({
      v: 1,
      nodeId: reg.id,
      brokerUrl: ctl.brokerUrl,
      controllerUrl: ctl.url,
      enrollmentToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresAt: expect.any(String),
      caCert: null,
      controllerKey: expect.stringMatching(/^-----BEGIN PUBLIC KEY-----/),
    })
    const ttlHours = (Date.parse(reg.bundle.expiresAt) - Date.now()) / 3_600_000
    expect(ttlHours).toBeGreaterThan(23.9)
    expect(ttlHours).toBeLessThanOrEqual(24)
    expect(reg.bundleQr).toMatch(/^<svg[^>]+viewBox="0 0 \d+ \d+"[\s\S]*<\/svg>\s*$/)

    // Until the node enrolls, the registration secret works (scripts, the fleet simulator).
    expect(await accepted(ctl, reg.id, reg.secret)).toBe(true)
    const first = await enroll(ctl, reg.id, reg.bundle.enrollmentToken)
    expect(first.status).toBe(200)
    expect(first.body).toEqual({
      nodeId: reg.id,
      secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      brokerUrl: ctl.brokerUrl,
      controllerUrl: ctl.url,
    })
    expect(first.body.secret).not.toBe(reg.secret)
    expect(await accepted(ctl, reg.id, reg.secret)).toBe(false)
    expect(await accepted(ctl, reg.id, first.body.secret)).toBe(true)

    const second = await enroll(ctl, reg.id, reg.bundle.enrollmentToken)
    expect(second.status).toBe(401)
    expect(second.body.code).toBe('ENROLLMENT_USED')
    expect(await accepted(ctl, reg.id, first.body.secret)).toBe(true)

    const node = await ctl.api<Record<string, unknown>>('GET', `/api/nodes/${reg.id}`)
    expect(node.body.enrolledAt).toEqual(expect.any(String))
    // Neither the API nor the log ever shows a token, a secret or their hashes.
    const everything = JSON.stringify([node.body, (await ctl.api('GET', '/api/nodes')).body])
    expect(everything).not.toMatch(/hash/i)
    const logged = JSON.stringify(lines())
    for (const s of [reg.secret, reg.bundle.enrollmentToken, first.body.secret]) {
      expect(everything).not.toContain(s)
      expect(logged).not.toContain(s)
    }
    expect(logged).toContain('node enrolled')
  })

  it("refuses a forged token and another node's token with 401 ENROLLMENT_INVALID, changing nothing", async () => {
    const ctl = await startController()
    const a = await register(ctl)
    const b = await register(ctl)
    const forged = await enroll(ctl, a.id, 'A'.repeat(43))
    expect(forged.status).toBe(401)
    expect(forged.body.code).toBe('ENROLLMENT_INVALID')
    const wrongNode = await enroll(ctl, b.id, a.bundle.enrollmentToken)
    expect(wrongNode).toMatchObject({ status: 401, body: { code: 'ENROLLMENT_INVALID' } })
    const unknown = await enroll(ctl, 'node-ffffffffff', a.bundle.enrollmentToken)
    expect(unknown).toMatchObject({ status: 401, body: { code: 'ENROLLMENT_INVALID' } })
    const malformed = await ctl.api<ApiError>('POST', '/api/enroll', { nodeId: a.id })
    expect(malformed).toMatchObject({ status: 400, body: { code: 'BAD_REQUEST' } })
    // Nothing changed: both registration secrets still work, and both tokens still enroll.
    expect(await accepted(ctl, a.id, a.secret)).toBe(true)
    expect(await accepted(ctl, b.id, b.secret)).toBe(true)
    expect((await enroll(ctl, a.id, a.bundle.enrollmentToken)).status).toBe(200)
    expect((await enroll(ctl, b.id, b.bundle.enrollmentToken)).status).toBe(200)
  })

  it('refuses an expired token with 401 ENROLLMENT_EXPIRED', async () => {
    let skewMs = 0
    const clock = clockWithNow(() => Date.now() + skewMs)
    const ctl = await startController({ clock, args: ['--enrollment-ttl-hours', '0.5'] })
    const reg = await register(ctl)
    expect(Date.parse(reg.bundle.expiresAt) - Date.now()).toBeGreaterThan(29 * 60_000)
    expect(Date.parse(reg.bundle.expiresAt) - Date.now()).toBeLessThanOrEqual(30 * 60_000)
    skewMs = 31 * 60_000
    const late = await enroll(ctl, reg.id, reg.bundle.enrollmentToken)
    expect(late).toMatchObject({ status: 401, body: { code: 'ENROLLMENT_EXPIRED' } })
    expect(await accepted(ctl, reg.id, reg.secret)).toBe(true)
    // A fresh bundle for the same node works, and revokes any older one.
    const fresh = await ctl.api<{ id: string; bundle: Bundle; bundleQr: string }>(
      'POST',
      `/api/nodes/${reg.id}/enrollment`,
    )
    expect(fresh.status).toBe(201)
    expect(fresh.body.bundleQr).toMatch(/^<svg/)
    const again = await ctl.api<{ bundle: Bundle }>('POST', `/api/nodes/${reg.id}/enrollment`)
    const superseded = await enroll(ctl, reg.id, fresh.body.bundle.enrollmentToken)
    expect(superseded).toMatchObject({ status: 401, body: { code: 'ENROLLMENT_INVALID' } })
    expect((await enroll(ctl, reg.id, again.body.bundle.enrollmentToken)).status).toBe(200)
    const missing = await ctl.api<ApiError>('POST', '/api/nodes/node-ffffffffff/enrollment')
    expect(missing).toMatchObject({ status: 404, body: { code: 'NODE_NOT_FOUND' } })
  })

  it('puts the configured public addresses into bundles', async () => {
    const ctl = await startController({
      args: [
        '--public-controller-url',
        'https://chorus.example.cn:8443/',
        '--public-broker-url',
        'mqtts://chorus.example.cn:8883',
      ],
    })
    const reg = await register(ctl)
    expect(reg.bundle).toMatchObject({
      controllerUrl: 'https://chorus.example.cn:8443',
      brokerUrl: 'mqtts://chorus.example.cn:8883',
    })
  })
})

describe('replace, retire, rotate', () => {
  it('replace: the old credentials are refused, the connected agent is kicked, the new hardware enrolls', async () => {
    const ctl = await startController()
    const old = await startAgent(ctl, { sink: 'null' })
    await waitForPresence(ctl, [old.nodeId], true)
    const disconnected = once(old.agent.events, 'disconnected')
    const r = await ctl.api<Registered & { replacedAt: string | null }>(
      'POST',
      `/api/nodes/${old.nodeId}/replace`,
      { serial: 'CB-2026-0002' },
    )
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ id: old.nodeId, serial: 'CB-2026-0002', enrolledAt: null })
    expect(r.body.replacedAt).toEqual(expect.any(String))
    expect(r.body).not.toHaveProperty('secret')
    await disconnected
    await waitForPresence(ctl, [old.nodeId], false)
    expect((await transitionsOf(ctl, old.nodeId)).at(-1)).toMatchObject({
      to: 'offline',
      reason: 'kicked',
    })
    expect(await accepted(ctl, old.nodeId, old.secret)).toBe(false)

    // The new hardware takes over the identity with the new bundle.
    const enrolled = await enroll(ctl, old.nodeId, r.body.bundle.enrollmentToken)
    expect(enrolled.status).toBe(200)
    const fresh = await connectNode(ctl, { id: old.nodeId, secret: enrolled.body.secret })
    await fresh.birth()
    const nodes = await waitForPresence(ctl, [old.nodeId], true)
    expect(nodes.get(old.nodeId)?.online).toBe(true)
    // The old hardware, still retrying with its old secret, never gets back in.
    expect(old.agent.status().connected).toBe(false)
    const again = await ctl.api<ApiError>('POST', '/api/nodes/node-ffffffffff/replace', {})
    expect(again).toMatchObject({ status: 404, body: { code: 'NODE_NOT_FOUND' } })
  })

  it('retire: refused and kicked, kept in history, out of plans and fleet counts', async () => {
    const ctl = await startController()
    const gone = await startAgent(ctl, { sink: 'null' })
    const stays = await startAgent(ctl, { sink: 'null' })
    await waitForPresence(ctl, [gone.nodeId, stays.nodeId], true)
    const disconnected = once(gone.agent.events, 'disconnected')
    const r = await ctl.api<{ id: string; retiredAt: string | null }>(
      'POST',
      `/api/nodes/${gone.nodeId}/retire`,
    )
    expect(r.status).toBe(200)
    expect(r.body.retiredAt).toEqual(expect.any(String))
    await disconnected
    expect(await accepted(ctl, gone.nodeId, gone.secret)).toBe(false)
    await waitFor(
      async () => (await nodesById(ctl)).get(gone.nodeId)?.online === false,
      'retired node offline',
    )
    const summary = await ctl.api<{ total: number; online: number }>('GET', '/api/fleet/summary')
    expect(summary.body).toMatchObject({ total: 1, online: 1 })
    // History is kept: the node is still listed, with its transitions.
    expect((await nodesById(ctl)).has(gone.nodeId)).toBe(true)
    expect((await transitionsOf(ctl, gone.nodeId)).length).toBeGreaterThanOrEqual(2)
    // Retiring again changes nothing; nothing else may be done with a retired node.
    const twice = await ctl.api<{ retiredAt: string }>('POST', `/api/nodes/${gone.nodeId}/retire`)
    expect(twice.body.retiredAt).toBe(r.body.retiredAt)
    for (const action of ['rotate', 'replace', 'enrollment']) {
      const refused = await ctl.api<ApiError>('POST', `/api/nodes/${gone.nodeId}/${action}`)
      expect(refused).toMatchObject({ status: 409, body: { code: 'NODE_RETIRED' } })
    }

    // A programme change reaches the active node's plan only.
    const planOf = async (id: string) =>
      (await ctl.api<{ planVersion: string | null }>('GET', `/api/nodes/${id}`)).body.planVersion
    const gonePlan = await planOf(gone.nodeId)
    const staysPlan = await planOf(stays.nodeId)
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    const audio = await ctl.upload(await makeTone(tmpDir(), 'news', 1), '早间新闻')
    const put = await ctl.api('PUT', `/api/days/${tomorrow}`, {
      items: [{ start: '09:00:00', audioId: audio.id, title: '早间新闻' }],
    })
    expect(put.status).toBe(200)
    await waitFor(async () => (await planOf(stays.nodeId)) !== staysPlan, 'new plan for stays')
    expect(await planOf(gone.nodeId)).toBe(gonePlan)
  })

  it('rotate: the new secret is shown once; the old one is refused and its session kicked', async () => {
    const ctl = await startController()
    const reg = await register(ctl)
    const raw = await connectRaw(ctl.brokerUrl, {
      clientId: reg.id,
      username: reg.id,
      password: reg.secret,
    })
    const closed = new Promise<void>((resolve) => raw.once('close', () => resolve()))
    const r = await ctl.api<{ id: string; secret: string }>('POST', `/api/nodes/${reg.id}/rotate`)
    expect(r.status).toBe(200)
    expect(r.body.secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    await closed
    expect(await accepted(ctl, reg.id, reg.secret)).toBe(false)
    expect(await accepted(ctl, reg.id, r.body.secret)).toBe(true)
    const listed = JSON.stringify((await ctl.api('GET', '/api/nodes')).body)
    expect(listed).not.toContain(r.body.secret)
  })
})

describe('agent --enroll', () => {
  it('enrolls with a bare token, stores credentials.json 0600, and later starts from --data-dir alone', async () => {
    const ctl = await startController()
    const reg = await register(ctl)
    const dataDir = tmpDir('chorus-enroll-')
    const run = async (args: string[]) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'speaker-agent', 'main.ts'), '--data-dir', dataDir, ...args],
        {
          cwd: ROOT,
          env: { ...process.env, LOG_LEVEL: 'info' },
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
      const exited = once(child, 'exit')
      onTestFinished(async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
        await exited
      })
      return { child, exited, output: () => out }
    }
    const enrolling = await run([
      '--enroll',
      reg.bundle.enrollmentToken,
      '--controller',
      ctl.url,
      '--node-id',
      reg.id,
      '--enroll-only',
    ])
    expect((await enrolling.exited)[0]).toBe(0)
    expect(enrolling.output()).not.toContain(reg.bundle.enrollmentToken)
    const file = join(dataDir, 'credentials.json')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(await accepted(ctl, reg.id, reg.secret)).toBe(false)

    const agent = await run(['--sink', 'null'])
    await waitForPresence(ctl, [reg.id], true, 20_000)
    agent.child.kill('SIGTERM')
    expect((await agent.exited)[0]).toBe(0)

    const reused = await run(['--enroll', reg.bundle.enrollmentToken, '--node-id', reg.id])
    expect((await reused.exited)[0]).toBe(1)
    expect(reused.output()).toMatch(/--controller/)
  })
})
