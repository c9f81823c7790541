import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { generateTone, resolveFfmpegPath } from '../audio/index.js'
import {
  type AgentEvent,
  createPayloadDecoder,
  type EventsMessage,
  FLEET_TOPICS,
  nodeTopic,
  type PlanMessage,
  type StatusMessage,
} from '../protocol/index.js'
import { createManualClock } from '../testing/manual-clock.js'
import { createAgent } from './agent.js'
import { isoAt } from './clock.js'
import { loadNodeConfig } from './config.js'
import { freePort, serveBytes, serveJson, startLocalBroker } from './testing/local-broker.js'
import { createTestSigner } from './testing/test-signer.js'
import { makeTempDir, silentLogger } from './testing/tmp-dir.js'

const ffmpegPath = resolveFfmpegPath()

/** A tone served over HTTP and a plan item factory for it. */
async function toneServer(dir: string) {
  const file = join(dir, 'tone.wav')
  await generateTone(ffmpegPath, file, { seconds: 0.4, frequencyHz: 800, format: 'wav' })
  const body = await readFile(file)
  const server = await serveBytes(body)
  onTestFinished(server.close)
  const sha256 = createHash('sha256').update(body).digest('hex')
  return (itemId: string, startMs: number) => ({
    itemId,
    startAt: isoAt(startMs),
    audioId: 'tone',
    sha256,
    sizeBytes: body.length,
    durationMs: 400,
    url: `${server.url}/audio/tone.wav`,
    title: 'tone',
    priority: 10,
  })
}

function planFor(version: string, items: PlanMessage['items']): PlanMessage {
  return {
    v: 1,
    nodeId: 'n1',
    version,
    generatedAt: isoAt(Date.now()),
    tz: 'Asia/Shanghai',
    dates: [],
    items,
  }
}

/** The key the tests' stand-in controller signs plans and commands with. */
const signer = createTestSigner()

/**
 * A controller-side observer: records status and events of every node (with `dedupe`, each event
 * id once, as the controller stores them), and answers each events message with a signed receipt.
 */
async function observe(url: string, dedupe = false) {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, protocolVersion: 4 })
  onTestFinished(() => client.endAsync(true))
  const statuses: StatusMessage[] = []
  const events: AgentEvent[] = []
  const messages: EventsMessage[] = []
  const seen = new Set<string>()
  client.on('message', (topic, payload) => {
    const body = JSON.parse(payload.toString()) as unknown
    if (topic.endsWith('/status')) statuses.push(body as StatusMessage)
    const batch = topic.endsWith('/events') ? (body as EventsMessage).events : []
    if (batch.length > 0) messages.push(body as EventsMessage)
    if (batch.length > 0) {
      const receipt = { v: 1, nodeId: 'n1', at: isoAt(Date.now()), rejected: [] }
      const stored = batch.map((e) => e.id)
      void client
        .publishAsync(
          nodeTopic('n1', 'receipt'),
          JSON.stringify(signer.sign({ ...receipt, stored })),
          { qos: 1 },
        )
        .catch(() => undefined) // the observer may be closing when the test ends
    }
    // Readiness reports (issue 3) are tested on their own; these tests follow plays and acks.
    for (const e of batch) {
      if (e.type === 'readiness' || (dedupe && seen.has(e.id))) continue
      seen.add(e.id)
      events.push(e)
    }
  })
  await client.subscribeAsync({
    'chorus/v1/nodes/+/status': { qos: 1 },
    'chorus/v1/nodes/+/events': { qos: 1 },
  })
  return { client, statuses, events, messages }
}

async function agentFor(dataDir: string, brokerUrl: string) {
  const config = loadNodeConfig({
    flags: { nodeId: 'n1', secret: 's', brokerUrl, dataDir, controllerKey: signer.pem },
  })
  const agent = createAgent({ config, log: silentLogger(), ffmpegPath })
  onTestFinished(() => agent.stop())
  return agent
}

describe('agent with a real broker', () => {
  it('announces itself, applies a plan, plays it and reports every step', async () => {
    const { dir, cleanup } = await makeTempDir()
    onTestFinished(cleanup)
    const broker = await startLocalBroker()
    onTestFinished(broker.close)
    const item = await toneServer(dir)
    const ctl = await observe(broker.url)
    const agent = await agentFor(join(dir, 'node'), broker.url)
    await agent.start()
    await vi.waitFor(() => expect(ctl.statuses).toHaveLength(1), { timeout: 5000 })
    expect(ctl.statuses[0]).toMatchObject({ state: 'online', reason: 'birth', planVersion: null })

    const plan = planFor('v1', [item('i1', Date.now() + 1500)])
    await ctl.client.publishAsync(nodeTopic('n1', 'plan'), JSON.stringify(signer.sign(plan)), {
      qos: 1,
    })
    await vi.waitFor(() => expect(ctl.events.map((e) => e.type)).toContain('play.finished'), {
      timeout: 10_000,
    })
    expect(ctl.events.map((e) => e.type)).toEqual(['plan.applied', 'play.started', 'play.finished'])
    // Every events message is signed as a whole by the node's own key.
    expect(ctl.messages.length).toBeGreaterThan(0)
    expect(ctl.messages.every((m) => m.sig?.alg === 'Ed25519')).toBe(true)
    // Emptied by the receipts, not by the broker's PUBACKs.
    await vi.waitFor(() =>
      expect(agent.status()).toMatchObject({ connected: true, planVersion: 'v1', outboxDepth: 0 }),
    )

    const rebirth = { v: 1, requestId: 'r1', at: isoAt(Date.now()) }
    await ctl.client.publishAsync(FLEET_TOPICS.rebirth, JSON.stringify(rebirth), { qos: 0 })
    await vi.waitFor(() =>
      expect(ctl.statuses.at(-1)).toMatchObject({ reason: 'rebirth', planVersion: 'v1' }),
    )

    await agent.stop()
    await vi.waitFor(() =>
      expect(ctl.statuses.at(-1)).toMatchObject({ state: 'offline', reason: 'shutdown' }),
    )
  })

  it('acks each command once, acks a redelivery again without re-running, and refuses expired ones', async () => {
    const { dir, cleanup } = await makeTempDir()
    onTestFinished(cleanup)
    const broker = await startLocalBroker()
    onTestFinished(broker.close)
    const ctl = await observe(broker.url)
    const dataDir = join(dir, 'node')
    const agent = await agentFor(dataDir, broker.url)
    await agent.start()
    await vi.waitFor(() => expect(agent.status().connected).toBe(true), { timeout: 5000 })
    const now = Date.now()
    const cmd = (id: string, kind: string, params?: object, expiresAt = now + 60_000) =>
      JSON.stringify(
        signer.sign({
          v: 1,
          id,
          nodeId: 'n1',
          kind,
          params,
          issuedAt: isoAt(now),
          expiresAt: isoAt(expiresAt),
        }),
      )
    const topic = nodeTopic('n1', 'cmd')
    await ctl.client.publishAsync(topic, cmd('c1', 'setVolume', { volume: 40 }), { qos: 1 })
    await vi.waitFor(() => expect(ctl.events).toHaveLength(1))
    await ctl.client.publishAsync(topic, cmd('c1', 'setVolume', { volume: 40 }), { qos: 1 })
    await ctl.client.publishAsync(topic, cmd('c2', 'ping', undefined, now - 1000), { qos: 1 })
    await ctl.client.publishAsync(topic, cmd('c3', 'ping'), { qos: 1 })
    await vi.waitFor(() => expect(ctl.events).toHaveLength(4))
    const acks = ctl.events.map((e) => (e.type === 'cmd.ack' ? `${e.cmdId} ${e.status}` : e.type))
    expect(acks.sort()).toEqual(['c1 ok', 'c1 ok', 'c2 expired', 'c3 ok'])
    const c1 = ctl.events.filter((e) => e.type === 'cmd.ack' && e.cmdId === 'c1')
    expect(c1[0]?.id).toBe(c1[1]?.id)
    expect(JSON.parse(await readFile(join(dataDir, 'state.json'), 'utf8'))).toEqual({ volume: 40 })

    await ctl.client.publishAsync(topic, cmd('c4', 'testTone', { seconds: 0.3 }), { qos: 1 })
    await vi.waitFor(() => expect(ctl.events).toHaveLength(5), { timeout: 10_000 })
    expect(ctl.events[4]).toMatchObject({
      cmdId: 'c4',
      status: 'ok',
      result: { seconds: 0.3, volume: 40, rmsDb: expect.any(Number) },
    })
    await ctl.client.publishAsync(topic, cmd('c5', 'resync'), { qos: 1 })
    await vi.waitFor(() => expect(ctl.events).toHaveLength(6))
    expect(ctl.statuses.at(-1)).toMatchObject({
      state: 'online',
      reason: 'rebirth',
      planVersion: null,
    })
  })

  it('plays its stored plan while the broker is down and delivers the events once it is back', async () => {
    const { dir, cleanup } = await makeTempDir()
    onTestFinished(cleanup)
    const item = await toneServer(dir)
    const dataDir = join(dir, 'node')
    const first = await startLocalBroker()
    onTestFinished(first.close)
    const agent1 = await agentFor(dataDir, first.url)
    await agent1.start()
    await vi.waitFor(() => expect(agent1.status().connected).toBe(true), { timeout: 5000 })
    const plan = planFor('v1', [item('later', Date.now() + 2500)])
    const ctl1 = await observe(first.url)
    await ctl1.client.publishAsync(nodeTopic('n1', 'plan'), JSON.stringify(signer.sign(plan)), {
      qos: 1,
    })
    await vi.waitFor(() => expect(ctl1.events).toHaveLength(1))
    await agent1.stop()

    const port = await freePort()
    const agent2 = await agentFor(dataDir, `mqtt://127.0.0.1:${port}`)
    await agent2.start()
    expect(agent2.status().planVersion).toBe('v1')
    // play.started and play.finished, plus the readiness report of the stored plan
    await vi.waitFor(() => expect(agent2.status().outboxDepth).toBe(3), { timeout: 8000 })

    const second = await startLocalBroker(port)
    onTestFinished(second.close)
    const ctl2 = await observe(second.url, true)
    await vi.waitFor(
      () => expect(ctl2.events.map((e) => e.type)).toEqual(['play.started', 'play.finished']),
      {
        timeout: 15_000,
      },
    )
    expect(ctl2.statuses.at(-1)).toMatchObject({ state: 'online', planVersion: 'v1' })
  }, 30_000)

  it('publishes telemetry that matches the protocol every interval, and none after stop', async () => {
    const { dir, cleanup } = await makeTempDir()
    onTestFinished(cleanup)
    const broker = await startLocalBroker()
    onTestFinished(broker.close)
    const ctl = await observe(broker.url)
    const received: Buffer[] = []
    ctl.client.on('message', (topic, payload) => {
      if (topic.endsWith('/telemetry')) received.push(payload)
    })
    await ctl.client.subscribeAsync('chorus/v1/nodes/+/telemetry', { qos: 0 })
    const clock = createManualClock(Date.now())
    // The controller's /api/time, 5 s ahead of the agent's (manual) clock.
    const time = await serveJson(() => ({ now: clock.now() + 5000 }))
    onTestFinished(time.close)
    const config = loadNodeConfig({
      flags: {
        nodeId: 'n1',
        secret: 's',
        brokerUrl: broker.url,
        controllerUrl: time.url,
        dataDir: join(dir, 'node'),
        controllerKey: signer.pem,
      },
    })
    const agent = createAgent({ config, log: silentLogger(), ffmpegPath, clock })
    onTestFinished(() => agent.stop())
    await agent.start()
    await vi.waitFor(() => expect(agent.status().connected).toBe(true), { timeout: 5000 })
    // One report right after connecting…
    await vi.waitFor(() => expect(received).toHaveLength(1))
    const decoder = createPayloadDecoder()
    expect(decoder.decode('telemetry', received[0]!)).toMatchObject({
      ok: true,
      value: {
        uptimeSec: 0,
        clockOffsetMs: 5000,
        clockUncertaintyMs: 0,
        audioOutput: { state: 'ok', lastPlay: null },
      },
    })
    // Bursts of clock samples at start and on connect (docs/protocol.md, "Clock exchange")…
    const afterConnect = time.requests()
    expect(afterConnect).toBeGreaterThanOrEqual(5)
    // …then one report, with one clock sample, every interval.
    await clock.advance(60_000)
    await vi.waitFor(() => expect(received).toHaveLength(2))
    expect(decoder.decode('telemetry', received[1]!)).toMatchObject({
      ok: true,
      value: {
        uptimeSec: 60,
        volume: 100,
        planVersion: null,
        clockOffsetMs: 5000,
        outboxDepth: 0,
        playing: false,
        lastError: null,
      },
    })
    expect(time.requests()).toBe(afterConnect + 1)
    await agent.stop()
    expect(clock.pending()).toBe(0)
  })
})
