import { randomUUID } from 'node:crypto'
import mqtt, { type MqttClient } from 'mqtt'
import { describe, expect, it, onTestFinished } from 'vitest'
import { nodeTopic, type ReceiptMessage } from '../../protocol/index.js'
import { createVerifier } from '../../speaker-agent/verify.js'
import { startController, type TestController } from '../helpers/controller.js'
import { openExternalBroker } from '../helpers/external-broker.js'
import { captureLog } from '../helpers/log.js'
import { connectRaw, waitFor } from '../helpers/mqtt.js'
import { rawNode } from '../helpers/node-client.js'
import { freePorts } from '../helpers/presence.js'
import { makeNodeKey, registerNodeKey, signedEvents } from '../helpers/signed-events.js'

interface Health {
  ingest: { stored: number; duplicates: number }
  mqtt: { rejected: number }
}

/** A `play.failed` event of today (valid by the schema). */
function failed(reason = 'download') {
  return {
    id: randomUUID(),
    type: 'play.failed',
    at: new Date().toISOString(),
    itemId: '2026-11-27/t080000',
    scheduledAt: '2026-11-27T08:00:00.000+08:00',
    reason,
  }
}

async function storedIds(ctl: TestController, nodeId: string): Promise<string[]> {
  const deps = ctl.controller.deps
  if (!deps) throw new Error('not started')
  const rows = deps.repos.events.recentPlays(nodeId, 1000) as { eventId: string }[]
  return rows.map((r) => r.eventId).sort()
}

/** Collects the receipts the controller sends `nodeId`, checking each signature. */
async function receiptsOf(ctl: TestController, client: MqttClient, nodeId: string) {
  const key = (await ctl.api<{ publicKeyPem: string }>('GET', '/api/keys/controller')).body
  const verifier = createVerifier(key.publicKeyPem)
  const got: ReceiptMessage[] = []
  const topic = nodeTopic(nodeId, 'receipt')
  client.on('message', (t, payload) => {
    if (t !== topic) return
    const r = JSON.parse(payload.toString()) as ReceiptMessage
    expect(verifier.check(r, 0).ok).toBe(true)
    got.push(r)
  })
  await client.subscribeAsync(topic, { qos: 1 })
  return {
    stored: () => got.flatMap((r) => r.stored),
    rejected: () => got.flatMap((r) => r.rejected),
  }
}

describe('events: checked one by one', () => {
  it('stores the valid event beside an invalid one, receipts the invalid one as rejected and refuses an unsigned one', async () => {
    const { log, lines } = captureLog('warn')
    const ctl = await startController({ log })
    const node = await rawNode(ctl, '严小村 1')
    const receipts = await receiptsOf(ctl, node.client, node.id)
    const good = { ...failed('checksum') }
    const invalid = { ...failed(), reason: 'no-such-reason' }
    const unsigned = failed('late')
    // The node signs the first two; a third, unsigned, rides in the same message.
    const payload = JSON.parse(signedEvents(node.key, [good, invalid])) as { events: unknown[] }
    payload.events.push(unsigned)
    await node.client.publishAsync(nodeTopic(node.id, 'events'), JSON.stringify(payload), {
      qos: 1,
    })
    await waitFor(() => receipts.stored().length + receipts.rejected().length >= 2, 'a receipt')
    expect(receipts.stored()).toEqual([good.id])
    expect(receipts.rejected()).toEqual([invalid.id])
    expect(await storedIds(ctl, node.id)).toEqual([good.id])
    const health = (await ctl.api<Health>('GET', '/api/health')).body
    expect(health.ingest.stored).toBe(1)
    expect(health.mqtt.rejected).toBe(2)
    expect(lines().map((l) => l.msg)).toEqual(
      expect.arrayContaining(['payload rejected', 'event refused: not signed by the node']),
    )
  })
})

describe('events: forged reports', () => {
  it('refuses events through an open external broker that the node did not sign, and sends them no receipt', async () => {
    const broker = await openExternalBroker()
    const ctl = await startController({
      args: ['--broker-url', broker.url, '--broker-username', 'svc', '--broker-password', 'pw'],
    })
    const { id } = await ctl.register('晋家湾 1')
    const real = makeNodeKey()
    registerNodeKey(ctl, id, real)
    // The node itself: subscribed to its receipts.
    const node = await connectRaw(broker.url, { clientId: id })
    const receipts = await receiptsOf(ctl, node, id)
    // An attacker: the broker checks nothing, so it may publish on the node's topic.
    const attacker = await connectRaw(broker.url, { clientId: 'attacker' })
    const unsigned = failed()
    const ownKey = failed()
    const altered = JSON.parse(signedEvents(real, [failed('late')])).events[0] as {
      id: string
      reason: string
    }
    altered.reason = 'checksum'
    // The attacker also tries to swap the node's key with a birth of its own.
    const mallory = makeNodeKey()
    const birth = {
      v: 1,
      state: 'online',
      nodeId: id,
      bootId: 'b-forged',
      agentVersion: 'x',
      planVersion: null,
      at: new Date().toISOString(),
      reason: 'birth',
      nodeKey: mallory.publicKeyPem,
    }
    await attacker.publishAsync(nodeTopic(id, 'status'), JSON.stringify(birth), { qos: 1 })
    const forged = [
      JSON.stringify({ v: 1, events: [unsigned] }),
      signedEvents(mallory, [ownKey]),
      JSON.stringify({ v: 1, events: [altered] }),
    ]
    for (const p of forged) await attacker.publishAsync(nodeTopic(id, 'events'), p, { qos: 1 })
    // A genuine event after them: once it is receipted, the forged ones were handled before it.
    const genuine = failed('sink')
    await node.publishAsync(nodeTopic(id, 'events'), signedEvents(real, [genuine]), { qos: 1 })
    await waitFor(() => receipts.stored().includes(genuine.id), 'the genuine event receipted')
    expect(await storedIds(ctl, id)).toEqual([genuine.id])
    expect(receipts.stored()).toEqual([genuine.id])
    expect(receipts.rejected()).toEqual([])
    const health = (await ctl.api<Health>('GET', '/api/health')).body
    expect(health.mqtt.rejected).toBe(3)
    expect(ctl.controller.deps?.repos.nodeKeys.get(id)?.keyId).toBe(real.keyId)
  })
})

describe('events: controller restart on an external broker', () => {
  it('gets the events published while it was down from its persistent session', async () => {
    const broker = await openExternalBroker()
    const args = ['--broker-url', broker.url, '--broker-username', 'svc', '--broker-password', 'pw']
    const first = await startController({ args })
    const { id } = await first.register('宋家寨 2')
    const key = makeNodeKey()
    registerNodeKey(first, id, key)
    const node = await connectRaw(broker.url, { clientId: id })
    // The same data directory keeps the same controller key across the restart.
    const receipts = await receiptsOf(first, node, id)
    const before = failed()
    await node.publishAsync(nodeTopic(id, 'events'), signedEvents(key, [before]), { qos: 1 })
    await waitFor(async () => (await storedIds(first, id)).length === 1, 'first event stored')
    await first.stop()

    // The controller is down: a plain client (no outbox, no resend) publishes twice.
    const down = [failed('late'), failed('decode')]
    for (const e of down) {
      await node.publishAsync(nodeTopic(id, 'events'), signedEvents(key, [e]), { qos: 1 })
    }
    const second = await startController({ args, dataDir: first.dataDir })
    const want = [before.id, ...down.map((e) => e.id)].sort()
    await waitFor(async () => (await storedIds(second, id)).length === 3, 'all three stored')
    expect(await storedIds(second, id)).toEqual(want)
    await waitFor(() => receipts.stored().length === 3, 'all three receipted')
    expect(receipts.stored().sort()).toEqual(want)
  })
})

describe('enrollment registers the node key', () => {
  it('stores the public key sent with the token, and refuses a bad key without spending the token', async () => {
    const ctl = await startController()
    await ctl.api('POST', '/api/zones', { name: '西海路社区' })
    const created = await ctl.api<{ id: string; bundle: { enrollmentToken: string } }>(
      'POST',
      '/api/nodes',
      { name: '大堡子 2', zone: '西海路社区' },
    )
    const { id } = created.body
    const token = created.body.bundle.enrollmentToken
    const bad = await ctl.apiWith({}, 'POST', '/api/enroll', {
      nodeId: id,
      token,
      publicKey: 'not a key',
    })
    expect(bad.status).toBe(400)
    expect(ctl.controller.deps?.repos.nodeKeys.get(id)).toBeNull()
    const key = makeNodeKey()
    const ok = await ctl.apiWith({}, 'POST', '/api/enroll', {
      nodeId: id,
      token,
      publicKey: key.publicKeyPem,
    })
    expect(ok.status).toBe(200)
    expect(ctl.controller.deps?.repos.nodeKeys.get(id)).toMatchObject({
      keyId: key.keyId,
      source: 'enrollment',
    })
  })
})

describe('events: controller restart on the embedded broker', () => {
  it('hears a node that connects the moment the listener opens and publishes at once', async () => {
    const [httpPort, mqttPort] = await freePorts(2)
    const args = ['--http-port', String(httpPort), '--mqtt-port', String(mqttPort)]
    const first = await startController({ args })
    const { id, secret } = await first.register('工具厂 1')
    const key = makeNodeKey()
    registerNodeKey(first, id, key)
    await first.stop()

    // A node retrying as fast as it can; on its first connection it publishes once, no resend.
    const event = failed('late')
    let stop = false
    onTestFinished(() => {
      stop = true
    })
    const published = (async () => {
      while (!stop) {
        let client: MqttClient
        try {
          client = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
            clientId: id,
            username: id,
            password: secret,
            reconnectPeriod: 0,
            connectTimeout: 2000,
            protocolVersion: 4,
          })
        } catch {
          await new Promise((r) => setImmediate(r))
          continue
        }
        await client.publishAsync(nodeTopic(id, 'events'), signedEvents(key, [event]), { qos: 1 })
        await client.endAsync()
        return
      }
    })()
    const second = await startController({ args, dataDir: first.dataDir })
    await published
    await waitFor(async () => (await storedIds(second, id)).length === 1, 'the event stored')
  })
})

describe('hand-configured nodes', () => {
  it('pins the key of the first birth and keeps it; events signed with it are stored', async () => {
    const ctl = await startController()
    const { id, secret } = await ctl.register('西海路 9')
    const client = await connectRaw(ctl.brokerUrl, { clientId: id, username: id, password: secret })
    const receipts = await receiptsOf(ctl, client, id)
    const birth = (nodeKey: string) =>
      JSON.stringify({
        v: 1,
        state: 'online',
        nodeId: id,
        bootId: 'b1',
        agentVersion: 'test',
        planVersion: null,
        at: new Date().toISOString(),
        reason: 'birth',
        nodeKey,
      })
    const key = makeNodeKey()
    const other = makeNodeKey()
    await client.publishAsync(nodeTopic(id, 'status'), birth(key.publicKeyPem), { qos: 1 })
    await client.publishAsync(nodeTopic(id, 'status'), birth(other.publicKeyPem), { qos: 1 })
    const e = failed()
    const forged = failed()
    await client.publishAsync(nodeTopic(id, 'events'), signedEvents(other, [forged]), { qos: 1 })
    await client.publishAsync(nodeTopic(id, 'events'), signedEvents(key, [e]), { qos: 1 })
    await waitFor(() => receipts.stored().includes(e.id), 'the event receipted')
    expect(await storedIds(ctl, id)).toEqual([e.id])
    expect(ctl.controller.deps?.repos.nodeKeys.get(id)).toMatchObject({
      keyId: key.keyId,
      source: 'first-use',
    })
  })
})
