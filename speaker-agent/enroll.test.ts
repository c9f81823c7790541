import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { type Bundle, enroll, parseEnrollArg } from './enroll.js'
import { isAgentError } from './errors.js'
import { publicKeyPemOf } from './node-key.js'

const log = pino({ level: 'silent' })
const token = 'Zr0k0m7CqvJm3b0Yl4y0dV8m2e2cQ9a1n1YQ2l9hN0c'
const bundle: Bundle = {
  v: 1,
  nodeId: 'node-0123456789',
  brokerUrl: 'mqtt://10.0.0.1:1883',
  controllerUrl: 'http://10.0.0.1:8080',
  enrollmentToken: token,
  expiresAt: '2026-11-28T08:00:00.000Z',
  caCert: null,
}

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function code(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    return isAgentError(err, 'AGENT_ENROLL') ? err.message : `unexpected: ${String(err)}`
  }
  return 'no error'
}

describe('parseEnrollArg', () => {
  it('reads a bundle file, the bundle JSON, standard input, or a bare token', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chorus-bundle-'))
    dirs.push(dir)
    const file = join(dir, 'bundle.json')
    writeFileSync(file, `${JSON.stringify(bundle)}\n`)
    const want = {
      nodeId: bundle.nodeId,
      token,
      controllerUrl: bundle.controllerUrl,
      brokerUrl: bundle.brokerUrl,
    }
    expect(parseEnrollArg(file, {})).toEqual(want)
    expect(parseEnrollArg(JSON.stringify(bundle), {})).toEqual(want)
    expect(parseEnrollArg('-', { stdin: () => JSON.stringify(bundle) })).toEqual(want)
    expect(parseEnrollArg(JSON.stringify(bundle), { controllerUrl: 'http://other:8080' })).toEqual({
      ...want,
      controllerUrl: 'http://other:8080',
    })
    expect(
      parseEnrollArg(token, { controllerUrl: 'http://10.0.0.1:8080', nodeId: bundle.nodeId }),
    ).toEqual({ nodeId: bundle.nodeId, token, controllerUrl: 'http://10.0.0.1:8080' })
  })

  it('refuses what it cannot use, naming the problem', () => {
    expect(code(() => parseEnrollArg(token, { nodeId: bundle.nodeId }))).toMatch(/--controller/)
    expect(code(() => parseEnrollArg('not a token!', {}))).toMatch(/neither a bundle/)
    expect(code(() => parseEnrollArg('{"v":1}', {}))).toMatch(/not a provisioning bundle/)
    expect(code(() => parseEnrollArg('{', {}))).toMatch(/not valid JSON/)
    expect(code(() => parseEnrollArg(JSON.stringify(bundle), { nodeId: 'node-other' }))).toMatch(
      /does not match/,
    )
  })
})

describe('enroll', () => {
  const request = { nodeId: bundle.nodeId, token, controllerUrl: bundle.controllerUrl }
  const reply = (status: number, body: unknown) =>
    Promise.resolve(new Response(JSON.stringify(body), { status }))

  it('posts the token and returns the credentials to store', async () => {
    const calls: { url: string; body: unknown }[] = []
    const creds = await enroll(request, {
      log,
      now: () => Date.parse('2026-11-27T08:00:00Z'),
      fetch: (url, init) => {
        calls.push({ url: String(url), body: JSON.parse(String(init?.body)) })
        return reply(200, { ...request, secret: 'new-secret', brokerUrl: 'mqtt://b:1883' })
      },
    })
    expect(calls).toEqual([
      {
        url: 'http://10.0.0.1:8080/api/enroll',
        body: { nodeId: bundle.nodeId, token, publicKey: expect.any(String) },
      },
    ])
    expect(creds).toEqual({
      v: 1,
      nodeId: bundle.nodeId,
      secret: 'new-secret',
      brokerUrl: 'mqtt://b:1883',
      controllerUrl: 'http://10.0.0.1:8080',
      enrolledAt: '2026-11-27T08:00:00.000Z',
      nodeKey: expect.stringContaining('BEGIN PRIVATE KEY'),
    })
    // The public key sent is the private key's own half, so the controller can verify events.
    const sent = (calls[0]!.body as { publicKey: string }).publicKey
    expect(publicKeyPemOf(creds.nodeKey as string)).toBe(sent)
  })

  it('does not retry a refusal, and says why', async () => {
    let calls = 0
    const err = await enroll(request, {
      log,
      retryDelayMs: 0,
      fetch: () => {
        calls++
        return reply(401, { code: 'ENROLLMENT_USED', message: 'already used' })
      },
    }).catch((e: unknown) => e)
    expect(isAgentError(err, 'AGENT_ENROLL')).toBe(true)
    expect((err as Error).message).toMatch(/ENROLLMENT_USED.*already used/)
    expect(calls).toBe(1)
  })

  it('retries an unreachable or failing controller, then gives up', async () => {
    let calls = 0
    const creds = await enroll(request, {
      log,
      retryDelayMs: 0,
      fetch: () => {
        calls++
        if (calls === 1) return Promise.reject(new Error('ECONNREFUSED'))
        if (calls === 2) return reply(503, {})
        return reply(200, { ...request, secret: 's', brokerUrl: 'mqtt://b:1883' })
      },
    })
    expect(creds.secret).toBe('s')
    const err = await enroll(request, {
      log,
      attempts: 2,
      retryDelayMs: 0,
      fetch: () => Promise.reject(new Error('ECONNREFUSED')),
    }).catch((e: unknown) => e)
    expect((err as Error).message).toMatch(/after 2 attempts.*ECONNREFUSED/)
  })
})
