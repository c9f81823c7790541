import type { Logger } from 'pino'
import { describe, expect, it } from 'vitest'
import { publishCases, subscribeCases, type Who } from '../../broker/index.js'
import { loadConfig } from '../../controller/config.js'
import { startController, type TestController } from '../helpers/controller.js'
import { startExternalBroker } from '../helpers/external-broker.js'
import { captureLog } from '../helpers/log.js'

const HOOK_SECRET = 'hook-secret-for-tests-only-0123456789'
const SERVICE = { username: 'svc', password: 'svc-password-for-tests' }

/** A node as registered: its id and its secret. */
type Node = { id: string; secret: string }

/**
 * EMQX 5's HTTP authenticator and authorizer, as configured in docs/scaling.md ("EMQX
 * cluster"): POST, JSON, the secret in a header, every placeholder rendered as a string.
 */
function hook(ctl: TestController, path: 'auth' | 'acl', body: unknown, secret = HOOK_SECRET) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (secret !== '') headers['x-chorus-hook-secret'] = secret
  return fetch(`${ctl.url}/api/broker/${path}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

async function connect(ctl: TestController, clientid: string, username: string, password: string) {
  const res = await hook(ctl, 'auth', { clientid, username, password, peerhost: '127.0.0.1' })
  expect(res.status).toBe(200)
  return res.json()
}

async function access(
  ctl: TestController,
  username: string,
  action: 'publish' | 'subscribe',
  topic: string,
  retain: boolean,
) {
  const res = await hook(ctl, 'acl', {
    clientid: username,
    username,
    peerhost: '127.0.0.1',
    action,
    topic,
    qos: '1',
    retain: String(retain),
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as { result: string }).result
}

/** A controller on an external broker, with the hook secret, two nodes and a retired one. */
async function setup(log?: Logger) {
  const broker = await startExternalBroker()
  const ctl = await startController({
    ...(log ? { log } : {}),
    args: [
      '--broker-url',
      broker.url,
      '--broker-username',
      SERVICE.username,
      '--broker-password',
      SERVICE.password,
      '--broker-hook-secret',
      HOOK_SECRET,
    ],
  })
  const n1: Node = await ctl.register('emqx 1')
  const n2: Node = await ctl.register('emqx 2')
  const retired: Node = await ctl.register('emqx retired')
  const r = await ctl.api('POST', `/api/nodes/${retired.id}/retire`)
  expect(r.status).toBe(200)
  return { ctl, n1, n2, retired }
}

describe('EMQX HTTP authentication and authorization answered by the controller', () => {
  it('lets a node connect with its id and secret, and nobody else', async () => {
    const { ctl, n1, n2, retired } = await setup()
    const allow = { result: 'allow', is_superuser: false }
    const deny = { result: 'deny', is_superuser: false }
    expect(await connect(ctl, n1.id, n1.id, n1.secret)).toEqual(allow)
    expect(await connect(ctl, n1.id, n1.id, n2.secret)).toEqual(deny)
    expect(await connect(ctl, n1.id, n1.id, '')).toEqual(deny)
    expect(await connect(ctl, 'n-unknown', 'n-unknown', n1.secret)).toEqual(deny)
    expect(await connect(ctl, '', '', '')).toEqual(deny)
    // The client id must be the node id (a second session takes over the first), as embedded.
    expect(await connect(ctl, 'another-client', n1.id, n1.secret)).toEqual(deny)
    // A retired node's credentials are void.
    expect(await connect(ctl, retired.id, retired.id, retired.secret)).toEqual(deny)
  })

  it("lets the controller's service identity connect with any client id", async () => {
    const { ctl } = await setup()
    const allow = { result: 'allow', is_superuser: false }
    expect(await connect(ctl, 'chorus-controller', SERVICE.username, SERVICE.password)).toEqual(
      allow,
    )
    expect(await connect(ctl, 'x', SERVICE.username, `${SERVICE.password}x`)).toMatchObject({
      result: 'deny',
    })
  })

  it('answers publish and subscribe exactly as the embedded broker ACL does', async () => {
    const { ctl, n1, n2 } = await setup()
    const username = (who: Who) => (who === 'node' ? n1.id : SERVICE.username)
    const problems: string[] = []
    for (const [who, topic, retain, allowed] of publishCases(n1.id, n2.id)) {
      const got = await access(ctl, username(who), 'publish', topic, retain)
      if (got !== (allowed ? 'allow' : 'deny'))
        problems.push(`${who} pub ${topic} ${retain}: ${got}`)
    }
    for (const [who, filter, allowed] of subscribeCases(n1.id, n2.id)) {
      const got = await access(ctl, username(who), 'subscribe', filter, false)
      if (got !== (allowed ? 'allow' : 'deny')) problems.push(`${who} sub ${filter}: ${got}`)
    }
    expect(problems).toEqual([])
  })

  it('denies a retired or unknown node, and a template without retain, everything', async () => {
    const { ctl, n1, retired } = await setup()
    for (const id of [retired.id, 'n-unknown']) {
      expect(await access(ctl, id, 'publish', `chorus/v1/nodes/${id}/events`, false)).toBe('deny')
      expect(await access(ctl, id, 'subscribe', `chorus/v1/nodes/${id}/plan`, false)).toBe('deny')
    }
    const noRetain = await hook(ctl, 'acl', {
      clientid: n1.id,
      username: n1.id,
      action: 'publish',
      topic: `chorus/v1/nodes/${n1.id}/events`,
    })
    expect(await noRetain.json()).toEqual({ result: 'deny' })
    const otherClient = await hook(ctl, 'acl', {
      clientid: 'someone-else',
      username: n1.id,
      action: 'subscribe',
      topic: `chorus/v1/nodes/${n1.id}/plan`,
      retain: 'false',
    })
    expect(await otherClient.json()).toEqual({ result: 'deny' })
  })

  it('refuses a caller without the hook secret and tells it nothing, nor the log', async () => {
    const captured = captureLog('debug')
    const { ctl, n1 } = await setup(captured.log)
    expect(await connect(ctl, 'someone', n1.id, 'wrong-pw-4f9c')).toMatchObject({ result: 'deny' })
    const good = { clientid: n1.id, username: n1.id, password: n1.secret }
    const missing = await hook(ctl, 'auth', good, '')
    expect(missing.status).toBe(401)
    const wrong = await hook(ctl, 'auth', good, `${HOOK_SECRET}x`)
    expect(wrong.status).toBe(403)
    const short = await hook(ctl, 'acl', { ...good, action: 'subscribe', topic: '#' }, 'x')
    expect(short.status).toBe(403)
    for (const res of [missing, wrong, short]) {
      const text = await res.text()
      expect(text).not.toContain('result')
      expect(text).not.toContain(n1.id)
    }
    // A wrong secret gets the same answer for a real node and a made-up one.
    const made = await hook(ctl, 'auth', { ...good, username: 'n-nope', clientid: 'n-nope' }, 'x')
    expect(made.status).toBe(403)
    const logged = JSON.stringify(captured.lines())
    expect(logged).toContain('broker hook: connect denied')
    for (const secret of [HOOK_SECRET, n1.secret, 'wrong-pw-4f9c'])
      expect(logged).not.toContain(secret)
  })

  it('refuses an oversized or malformed body without an answer EMQX could take as allow', async () => {
    const { ctl, n1 } = await setup()
    const big = await hook(ctl, 'auth', {
      clientid: n1.id,
      username: n1.id,
      password: n1.secret,
      padding: 'x'.repeat(8192),
    })
    expect(big.status).toBe(413)
    const bad = await hook(ctl, 'acl', { username: n1.id, action: 'delete', topic: '#' })
    expect(bad.status).toBe(400)
    const notJson = await hook(ctl, 'auth', '{"username":')
    expect(notJson.status).toBe(400)
  })
})

describe('EMQX hooks with no secret configured', () => {
  it('refuses a hook secret shorter than 16 characters at start', () => {
    // The error names the setting, never the value.
    expect(() => loadConfig(['--broker-hook-secret', 'short-9f3a'], {})).toThrow(
      /CHORUS_BROKER_HOOK_SECRET \/ --broker-hook-secret: .*\(value hidden\)$/,
    )
    expect(() => loadConfig(['--broker-hook-secret', 'short-9f3a'], {})).not.toThrow(/short-9f3a/)
    expect(loadConfig(['--broker-hook-secret', 'x'.repeat(16)], {})).toMatchObject({
      brokerHookSecret: 'x'.repeat(16),
    })
  })

  it('answers 403 to every caller', async () => {
    const ctl = await startController()
    const node = await ctl.register('emqx unset')
    const res = await hook(
      ctl,
      'auth',
      { clientid: node.id, username: node.id, password: node.secret },
      'anything',
    )
    expect(res.status).toBe(403)
    expect(await res.text()).not.toContain('allow')
  })
})
