import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import type mqtt from 'mqtt'
import { describe, expect, it, onTestFinished } from 'vitest'
import {
  type AgentEvent,
  EVENTS_MAX_BYTES,
  type EventsMessage,
  nodeTopic,
  type ReceiptMessage,
} from '../../protocol/index.js'
import { createSystemClock } from '../../speaker-agent/clock.js'
import { asReason, stampEvent } from '../../speaker-agent/events.js'
import { createOutbox } from '../../speaker-agent/outbox.js'
import { silentLogger } from '../../speaker-agent/testing/tmp-dir.js'
import { startController, type TestController } from '../helpers/controller.js'
import { captureLog } from '../helpers/log.js'
import { waitFor } from '../helpers/mqtt.js'
import { rawNode } from '../helpers/node-client.js'
import { startOutboxNode } from '../helpers/outbox-node.js'
import { makeNodeKey } from '../helpers/signed-events.js'
import { tmpDir } from '../helpers/tmp-dir.js'

const PENDING = 120

function failed(reason = 'download'): AgentEvent {
  const at = new Date().toISOString()
  return {
    id: randomUUID(),
    type: 'play.failed',
    at,
    itemId: `${at.slice(0, 10)}/t080000`,
    scheduledAt: at,
    reason,
  } as AgentEvent
}

function storedRows(ctl: TestController, nodeId: string): string[] {
  const deps = ctl.controller.deps
  if (!deps) throw new Error('not started')
  return (deps.repos.events.recentPlays(nodeId, 10_000) as { eventId: string }[]).map(
    (r) => r.eventId,
  )
}

/** Receipts the controller sends `nodeId`, gathered on the node's own client. */
async function receipts(client: mqtt.MqttClient, nodeId: string) {
  const got: ReceiptMessage[] = []
  client.on('message', (topic, payload) => {
    if (topic === nodeTopic(nodeId, 'receipt')) got.push(JSON.parse(payload.toString()))
  })
  await client.subscribeAsync(nodeTopic(nodeId, 'receipt'), { qos: 1 })
  return {
    count: () => got.length,
    stored: () => got.flatMap((r) => r.stored),
    rejected: () => got.flatMap((r) => r.rejected),
  }
}

describe('events in batches signed as a whole', () => {
  it('an agent offline with 120 pending events reconnects: all stored once, in 3 messages', async () => {
    const ctl = await startController()
    const node = await ctl.register('严小村 1')
    const key = (await ctl.api<{ publicKeyPem: string }>('GET', '/api/keys/controller')).body
    const dir = join(tmpDir('chorus-outbox-'), 'outbox')
    // Offline: the agent's outbox keeps its events on disk, nothing is published.
    const clock = createSystemClock()
    const offline = createOutbox({
      dir,
      topic: nodeTopic(node.id, 'events'),
      publish: () => Promise.reject(new Error('offline')),
      clock,
      log: silentLogger(),
    })
    await offline.start()
    const ids: string[] = []
    for (let i = 0; i < PENDING; i++) {
      const e = stampEvent(clock, {
        type: 'play.failed',
        itemId: `2026-11-27/t${String(i).padStart(6, '0')}`,
        scheduledAt: '2026-11-27T08:00:00.000+08:00',
        reason: asReason('late'),
      })
      ids.push(e.id)
      await offline.add(e)
    }
    await offline.stop()
    // It comes back (same outbox directory), with the agent's default batch size.
    const agent = await startOutboxNode({
      id: node.id,
      secret: node.secret,
      brokerUrl: ctl.brokerUrl,
      controllerKeyPem: key.publicKeyPem,
      dir,
      batchSize: 50,
      // No resend for a slow receipt on a loaded machine: the count is of batching, not timing.
      receiptWaitMs: 120_000,
    })
    await waitFor(() => agent.outbox.depth() === 0, 'outbox emptied by receipts', 60_000)
    expect(agent.published()).toBeLessThanOrEqual(3)
    expect(agent.receipted()).toBe(PENDING)
    const rows = storedRows(ctl, node.id)
    expect(rows).toHaveLength(PENDING)
    expect(rows.sort()).toEqual([...ids].sort())
  }, 120_000)

  it('stores the good events of a signed batch beside a malformed one (rejected), refuses a forged or altered batch whole, and a message over the byte limit', async () => {
    const { log, lines } = captureLog('warn')
    const ctl = await startController({ log })
    const node = await rawNode(ctl, '严小村 2')
    const r = await receipts(node.client, node.id)
    const topic = nodeTopic(node.id, 'events')
    const good = [failed('checksum'), failed('decode')]
    const malformed = { ...failed(), reason: 'no-such-reason' } as unknown as AgentEvent
    const batch = node.key.signMessage({ v: 1, events: [good[0], malformed, good[1]] as never })
    await node.client.publishAsync(topic, JSON.stringify(batch), { qos: 1 })
    await waitFor(() => r.stored().length + r.rejected().length >= 3, 'a receipt')
    expect(r.stored().sort()).toEqual(good.map((e) => e.id).sort())
    expect(r.rejected()).toEqual([malformed.id])
    // One message in, one receipt out, naming all three.
    expect(r.count()).toBe(1)

    // Forged (another key) and altered after signing: nothing stored, nothing receipted.
    const mallory = makeNodeKey()
    const forgedEvent = failed('late')
    const forged = mallory.signMessage({ v: 1, events: [forgedEvent] } as EventsMessage)
    const honest = node.key.signMessage({ v: 1, events: [failed('late')] } as EventsMessage)
    const swapped = failed('late')
    const altered = { ...honest, events: [swapped] }
    // Over the byte limit: refused before anything else is read.
    const big = { ...failed('late'), pad: 'x'.repeat(EVENTS_MAX_BYTES) }
    const tooLarge = node.key.signMessage({ v: 1, events: [big] } as never)
    for (const m of [forged, altered, tooLarge]) {
      await node.client.publishAsync(topic, JSON.stringify(m), { qos: 1 })
    }
    // A later good message is receipted: the three before it were handled (in order) by then.
    const after = failed('checksum')
    const last = node.key.signMessage({ v: 1, events: [after] } as EventsMessage)
    await node.client.publishAsync(topic, JSON.stringify(last), { qos: 1 })
    await waitFor(() => r.stored().includes(after.id), 'the last receipt')
    expect(r.count()).toBe(2)
    expect(storedRows(ctl, node.id).sort()).toEqual([...good, after].map((e) => e.id).sort())
    // Refusals are logged sampled (the first of a kind); the intake counts each one.
    const refused = lines().filter((l) => l.msg === 'event refused: not signed by the node')
    expect(refused.map((l) => l.eventId)).toEqual([forgedEvent.id])
    expect(ctl.controller.deps?.services.intake.stats()).toMatchObject({
      accepted: 3,
      invalid: 1,
      refused: 2,
    })
    const rejected = lines().filter((l) => l.msg === 'payload rejected' && l.channel === 'events')
    expect(JSON.stringify(rejected.map((l) => l.errors))).toContain(
      `payload larger than ${EVENTS_MAX_BYTES} bytes`,
    )
    // The controller is still up and answering.
    expect((await ctl.api('GET', '/api/health')).status).toBe(200)
  }, 120_000)

  it('still accepts the older form, each event signed on its own, from an agent not yet updated', async () => {
    const ctl = await startController()
    const node = await ctl.register('严小村 3')
    const key = (await ctl.api<{ publicKeyPem: string }>('GET', '/api/keys/controller')).body
    const agent = await startOutboxNode({
      id: node.id,
      secret: node.secret,
      brokerUrl: ctl.brokerUrl,
      controllerKeyPem: key.publicKeyPem,
      dir: join(tmpDir('chorus-outbox-'), 'outbox'),
      signing: 'event',
    })
    for (let i = 0; i < 5; i++) await agent.produce()
    await waitFor(() => agent.receipted() === 5, 'receipts', 60_000)
    expect(storedRows(ctl, node.id).sort()).toEqual([...agent.produced].sort())
    onTestFinished(() => agent.stop())
  }, 120_000)
})
