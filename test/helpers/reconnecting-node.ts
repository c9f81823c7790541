import mqtt, { type MqttClient } from 'mqtt'
import { onTestFinished } from 'vitest'
import { FLEET_TOPICS, nodeTopic } from '../../protocol/index.js'

/**
 * A lightweight protocol client that behaves like an agent towards presence: a will on `status`,
 * a birth at every connect, an answer to every rebirth request, and reconnects every
 * `reconnectMs` after the broker goes away (MQTT.js's own reconnect). Hundreds of them are cheap.
 */
export interface ReconnectingNode {
  id: string
  bootId: string
  /** Completed connects (birth published) so far. */
  connects(): number
  /** True while connected with the birth published. */
  connected(): boolean
  /** Stops for good: the socket is destroyed (no DISCONNECT), no reconnect. */
  kill(): void
}

/** Connects a registered node; resolves after its first birth. Killed when the test finishes. */
export async function reconnectingNode(
  brokerUrl: string,
  node: { id: string; secret: string },
  opts: { reconnectMs: number; bootId?: string },
): Promise<ReconnectingNode> {
  const bootId = opts.bootId ?? `boot-${Math.random().toString(36).slice(2, 10)}`
  const statusTopic = nodeTopic(node.id, 'status')
  const status = (state: 'online' | 'offline', reason: string) =>
    JSON.stringify({
      v: 1,
      state,
      nodeId: node.id,
      bootId,
      agentVersion: 'test',
      planVersion: null,
      ...(reason === 'will' ? {} : { at: new Date().toISOString() }),
      reason,
    })
  let connects = 0
  let up = false
  const client: MqttClient = mqtt.connect(brokerUrl, {
    clientId: node.id,
    username: node.id,
    password: node.secret,
    protocolVersion: 4,
    clean: true,
    keepalive: 30,
    connectTimeout: 10_000,
    reconnectPeriod: opts.reconnectMs,
    resubscribe: false,
    writeCache: false,
    will: {
      topic: statusTopic,
      payload: Buffer.from(status('offline', 'will')),
      qos: 1,
      retain: false,
    },
  })
  client.on('error', () => undefined)
  client.on('close', () => {
    up = false
  })
  client.on('message', (topic) => {
    if (topic !== FLEET_TOPICS.rebirth) return
    void client
      .publishAsync(statusTopic, status('online', 'rebirth'), { qos: 1 })
      .catch(() => undefined)
  })
  const firstBirth = new Promise<void>((resolve) => {
    client.on('connect', () => {
      void (async () => {
        await client.subscribeAsync(FLEET_TOPICS.rebirth, { qos: 0 })
        await client.publishAsync(statusTopic, status('online', 'birth'), { qos: 1 })
        connects++
        up = true
        resolve()
      })().catch(() => undefined)
    })
  })
  const kill = () => {
    client.options.reconnectPeriod = 0
    client.stream?.destroy()
    client.end(true)
  }
  onTestFinished(kill)
  await firstBirth
  return { id: node.id, bootId, connects: () => connects, connected: () => up, kill }
}
