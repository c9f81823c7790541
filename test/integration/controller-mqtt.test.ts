import { describe, expect, it } from 'vitest'
import { nodeTopic, type PlanMessage, type ReceiptMessage } from '../../protocol/index.js'
import { makeTone } from '../helpers/audio.js'
import { startController } from '../helpers/controller.js'
import { captureLog } from '../helpers/log.js'
import { connectRaw, nextMessage, waitFor } from '../helpers/mqtt.js'
import { makeNodeKey, registerNodeKey, signedEvents } from '../helpers/signed-events.js'
import { tmpDir } from '../helpers/tmp-dir.js'

interface Health {
  mqtt: { received: number; rejected: number }
  ingest: { stored: number; duplicates: number }
}
interface NodeRow {
  id: string
  online: boolean
  planVersion: string | null
  appliedPlanVersion: string | null
}

const birth = (nodeId: string, planVersion: string | null) =>
  JSON.stringify({
    v: 1,
    state: 'online',
    nodeId,
    bootId: 'boot-1',
    agentVersion: 'test',
    planVersion,
    at: new Date().toISOString(),
    reason: 'birth',
  })

async function nodeClient(ctl: Awaited<ReturnType<typeof startController>>, name: string) {
  const node = await ctl.register(name)
  const client = await connectRaw(ctl.brokerUrl, {
    clientId: node.id,
    username: node.id,
    password: node.secret,
  })
  return { node, client }
}

describe('topic: status (version handshake)', () => {
  it('answers a birth naming no plan with the current plan, and a current one with nothing', async () => {
    const ctl = await startController()
    const { node, client } = await nodeClient(ctl, '大堡子 1')
    const planTopic = nodeTopic(node.id, 'plan')
    const first = nextMessage(client, planTopic)
    await client.publishAsync(nodeTopic(node.id, 'status'), birth(node.id, null), { qos: 1 })
    const plan = JSON.parse((await first).toString()) as PlanMessage
    expect(plan.nodeId).toBe(node.id)
    expect(plan.dates).toHaveLength(8)

    // A birth naming the current version is not answered; a day change pushes the new plan.
    let extra = 0
    client.on('message', (t) => {
      if (t === planTopic) extra++
    })
    await client.publishAsync(nodeTopic(node.id, 'status'), birth(node.id, plan.version), {
      qos: 1,
    })
    const dir = tmpDir()
    const audio = await ctl.upload(await makeTone(dir, 'news', 1), '新闻')
    const pushed = nextMessage(client, planTopic)
    const date = plan.dates[1]!
    const put = await ctl.api('PUT', `/api/days/${date}`, {
      items: [{ start: '08:00:00', audioId: audio.id, title: '新闻' }],
    })
    expect(put.status).toBe(200)
    const next = JSON.parse((await pushed).toString()) as PlanMessage
    expect(next.version).not.toBe(plan.version)
    expect(next.items).toHaveLength(1)
    expect(next.items[0]).toMatchObject({ itemId: `${date}/t080000`, sha256: audio.sha256 })
    expect(next.items[0]!.startAt).toBe(`${date}T08:00:00.000+08:00`)
    expect(extra).toBe(1)
    const nodes = await ctl.api<NodeRow[]>('GET', '/api/nodes')
    expect(nodes.body[0]).toMatchObject({ online: true, planVersion: next.version })
  })
})

describe('topic: events', () => {
  it('stores a replayed event id once, and receipts the copies after the commit', async () => {
    const ctl = await startController()
    const { node, client } = await nodeClient(ctl, '宋家寨 1')
    const key = makeNodeKey()
    registerNodeKey(ctl, node.id, key)
    const receipts: ReceiptMessage[] = []
    client.on('message', (topic, payload) => {
      if (topic === nodeTopic(node.id, 'receipt')) receipts.push(JSON.parse(payload.toString()))
    })
    await client.subscribeAsync(nodeTopic(node.id, 'receipt'), { qos: 1 })
    const event = {
      id: 'ev-1',
      type: 'play.failed',
      at: '2026-11-27T00:00:01.000Z',
      itemId: '2026-11-27/t080000',
      scheduledAt: '2026-11-27T08:00:00.000+08:00',
      reason: 'checksum',
    }
    const payload = signedEvents(key, [event])
    for (let i = 0; i < 3; i++) {
      await client.publishAsync(nodeTopic(node.id, 'events'), payload, { qos: 1 })
    }
    const health = await waitFor(async () => {
      const h = (await ctl.api<Health>('GET', '/api/health')).body
      return h.ingest.stored + h.ingest.duplicates === 3 ? h : null
    }, 'three events ingested')
    expect(health.ingest).toMatchObject({ stored: 1, duplicates: 2 })
    // A duplicate is receipted too: the agent's copy of a stored event must leave its outbox.
    // One receipt per commit (the copies may share one batch), each naming the id once.
    await waitFor(() => (receipts.length >= 1 ? true : null), 'a receipt')
    for (const r of receipts) {
      expect(r).toMatchObject({ v: 1, nodeId: node.id, stored: ['ev-1'], rejected: [] })
      expect(r.sig?.alg).toBe('Ed25519')
    }
    const plays = await ctl.api<{ nodeId: string; reason: string }[]>(
      'GET',
      '/api/plays?date=2026-11-27',
    )
    expect(plays.body).toEqual([
      expect.objectContaining({ nodeId: node.id, reason: 'checksum', type: 'play.failed' }),
    ])
  })
})

describe('bad payloads on every topic the controller subscribes to', () => {
  it('counts, logs and drops them without crashing or storing anything', async () => {
    const { log, lines } = captureLog('warn')
    const ctl = await startController({ log })
    const { node, client } = await nodeClient(ctl, '二十里铺 1')
    const bad: [string, string | Buffer][] = []
    for (const channel of ['status', 'events', 'telemetry'] as const) {
      const topic = nodeTopic(node.id, channel)
      bad.push([topic, '{not json'])
      bad.push([topic, Buffer.from([0xff, 0xfe, 0x00, 0x01])])
      bad.push([topic, ''])
      bad.push([topic, '[]'])
      bad.push([topic, JSON.stringify({ v: 2 })])
      bad.push([topic, 'null'])
    }
    bad.push([
      nodeTopic(node.id, 'events'),
      JSON.stringify({ v: 1, events: [{ id: 'x', type: 'play.started', at: 'yesterday' }] }),
    ])
    bad.push([
      nodeTopic(node.id, 'status'),
      JSON.stringify({ ...JSON.parse(birth(node.id, null)), nodeId: 'node-0000000000' }),
    ])
    for (const [topic, payload] of bad) await client.publishAsync(topic, payload, { qos: 1 })
    const health = await waitFor(async () => {
      const h = (await ctl.api<Health>('GET', '/api/health')).body
      return h.mqtt.rejected >= bad.length ? h : null
    }, 'all bad payloads rejected')
    expect(health.mqtt.rejected).toBe(bad.length)
    expect(health.ingest.stored).toBe(0)
    // Every reject is counted; the log holds a sample: the first of each kind (rate-limited).
    const warned = lines().filter(
      (l) =>
        l.msg === 'payload rejected' ||
        l.msg === 'payload names another node' ||
        l.msg === 'event refused: not signed by the node',
    )
    expect(warned.map((l) => l.msg)).toEqual([
      'payload rejected',
      'event refused: not signed by the node',
      'payload names another node',
    ])
    expect(warned[0]).toMatchObject({ nodeId: node.id, channel: 'status' })
    const nodes = await ctl.api<NodeRow[]>('GET', '/api/nodes')
    expect(nodes.body[0]?.online).toBe(false)
    expect(client.connected).toBe(true)
  })
})
