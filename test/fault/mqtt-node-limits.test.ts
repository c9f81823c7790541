import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { nodeTopic } from '../../protocol/index.js'
import { startController, type TestController } from '../helpers/controller.js'
import { captureLog } from '../helpers/log.js'
import { connectError, waitFor } from '../helpers/mqtt.js'
import { connectNode } from '../helpers/node-client.js'

/**
 * A stolen node with valid credentials trying to fill the controller's disk (issue 10, attack 8):
 * a telemetry flood, and a stream of invalid payloads and refused subscriptions, each of which
 * used to write a row or a log line.
 */

type Health = {
  mqtt: { received: number; rejected: number; limited: number }
  ingest: { stored: number }
}
const health = async (ctl: TestController) => (await ctl.api<Health>('GET', '/api/health')).body

const metric = async (ctl: TestController, line: string) => {
  const text = await (await fetch(`${ctl.url}/metrics`, { headers: ctl.headers })).text()
  return text.split('\n').find((l) => l.startsWith(line))
}

const telemetry = () =>
  JSON.stringify({
    v: 1,
    at: new Date().toISOString(),
    agentVersion: 'flood',
    uptimeSec: 1,
    volume: 80,
    planVersion: null,
    cacheBytes: 0,
    freeDiskBytes: 10 * 1024 ** 3,
    clockOffsetMs: 3,
    memRssBytes: 50_000_000,
    outboxDepth: 0,
    playing: false,
    lastError: null,
  })

describe('fault: a node flooding the controller', () => {
  it('keeps one telemetry sample per interval and disconnects the node after repeated violations', async () => {
    const ctl = await startController({
      args: ['--telemetry-min-interval-sec', '3600', '--node-violation-limit', '20'],
    })
    const node = await connectNode(ctl, await ctl.register('stolen node'))
    await node.birth()
    const FLOOD = 500
    for (let i = 0; i < FLOOD; i++) {
      node.client.publish(nodeTopic(node.id, 'telemetry'), telemetry(), { qos: 0 })
    }
    // The first sample is kept, the next 20 are violations, and the 20th disconnects the node
    // (what it sent after that may never have reached the controller).
    await waitFor(() => !node.client.connected, 'the broker disconnected the node')
    const h = await waitFor(async () => {
      const s = await health(ctl)
      return s.mqtt.limited >= 20 ? s : null
    }, 'flood counted')
    expect(h.mqtt.limited).toBeLessThan(FLOOD)
    expect(await metric(ctl, 'chorus_mqtt_node_violations_total{kind="disconnect"}')).toMatch(/ 1$/)
    await waitFor(async () => {
      const n = await ctl.api<{ online: boolean }>('GET', `/api/nodes/${node.id}`)
      return !n.body.online
    }, 'node offline after the disconnect')
    await ctl.stop() // flushes the batched samples
    const db = new Database(join(ctl.dataDir, 'chorus.db'), { readonly: true })
    const rows = db
      .prepare<[string], { n: number }>('SELECT count(*) AS n FROM telemetry WHERE node_id = ?')
      .get(node.id)
    db.close()
    expect(rows?.n).toBe(1)
  })

  it('stores invented events only up to the burst, then at the per-minute rate', async () => {
    const ctl = await startController({
      args: ['--node-events-burst', '500', '--node-max-events-per-min', '1'],
    })
    const node = await connectNode(ctl, await ctl.register('event forger'))
    const at = new Date().toISOString()
    const MESSAGES = 30
    for (let m = 0; m < MESSAGES; m++) {
      const events = Array.from({ length: 100 }, (_, i) => ({
        id: `forged-${m}-${i}`,
        type: 'plan.applied',
        at,
        planVersion: 'p-1',
        itemCount: 15,
      }))
      // Signed by the node's own key: a stolen node's reports are genuine, and limited.
      await node.events(events)
    }
    const h = await waitFor(async () => {
      const s = await health(ctl)
      return s.mqtt.received >= MESSAGES && s.ingest.stored >= 500 ? s : null
    }, 'events handled')
    // 5 messages of 100 fill the burst; the other 25 are dropped (a refill of 1 a minute).
    expect(h.ingest.stored).toBe(500)
    expect(h.mqtt.limited).toBe(MESSAGES - 5)
  })

  it('counts every invalid payload and refused subscription but logs only a sample', async () => {
    const { log, lines } = captureLog('warn')
    const ctl = await startController({
      log,
      args: ['--node-violation-limit', '1000000', '--reject-log-interval-sec', '3600'],
    })
    const node = await connectNode(ctl, await ctl.register('noisy node'))
    const other = await ctl.register('other node')
    const BAD = 300
    for (let i = 0; i < BAD; i++) {
      await node.client.publishAsync(nodeTopic(node.id, 'events'), `{"v":1,"bad":${i}`, { qos: 1 })
    }
    const DENIED = 30
    for (let i = 0; i < DENIED; i++) {
      // The broker answers SUBACK 0x80 (refused), which MQTT.js turns into an error.
      const refused = await node.client.subscribeAsync(nodeTopic(other.id, 'plan')).then(
        () => false,
        () => true,
      )
      expect(refused).toBe(true)
    }
    await waitFor(async () => (await health(ctl)).mqtt.rejected >= BAD, 'every reject counted')
    expect((await health(ctl)).mqtt.rejected).toBe(BAD)
    const logged = (msg: string) => lines().filter((l) => l.msg === msg)
    expect(logged('payload rejected')).toHaveLength(1)
    expect(logged('client refused')).toHaveLength(1)
    expect(logged('client refused')[0]).toMatchObject({ reason: 'subscribe denied' })
    expect(await metric(ctl, 'chorus_mqtt_messages_received_total{outcome="rejected"}')).toBe(
      `chorus_mqtt_messages_received_total{outcome="rejected"} ${BAD}`,
    )
    expect(await metric(ctl, 'chorus_mqtt_refused_total{reason="subscribe denied"}')).toBe(
      `chorus_mqtt_refused_total{reason="subscribe denied"} ${DENIED}`,
    )
    // Below the violation limit, the node stays connected.
    expect(node.client.connected).toBe(true)
  })
})

describe('fault: a node reconnecting in a loop', () => {
  it('refuses sessions over the per-minute allowance, counted only after valid credentials', async () => {
    const ctl = await startController({ args: ['--mqtt-max-connects-per-node-per-min', '5'] })
    const node = await ctl.register('churning node')
    const attempt = (password: string) =>
      connectError(ctl.brokerUrl, { clientId: node.id, username: node.id, password })
    // Wrong passwords with the node's id use up nothing of its allowance.
    for (let i = 0; i < 10; i++) expect(await attempt('wrong')).not.toBeNull()
    const results: (string | null)[] = []
    for (let i = 0; i < 8; i++) results.push((await attempt(node.secret))?.message ?? null)
    expect(results.slice(0, 5)).toEqual([null, null, null, null, null])
    for (const r of results.slice(5)) expect(r).toMatch(/Server unavailable/i)
    // Another node is not affected.
    const other = await ctl.register('quiet node')
    expect(
      await connectError(ctl.brokerUrl, {
        clientId: other.id,
        username: other.id,
        password: other.secret,
      }),
    ).toBeNull()
    const text = await (await fetch(`${ctl.url}/metrics`, { headers: ctl.headers })).text()
    expect(text).toContain('chorus_mqtt_refused_total{reason="connecting too often"} 3')
  })
})
