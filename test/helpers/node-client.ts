import type { MqttClient } from 'mqtt'
import { nodeTopic } from '../../protocol/index.js'
import type { NodeKey } from '../../speaker-agent/node-key.js'
import type { TestController } from './controller.js'
import { connectRaw } from './mqtt.js'
import { makeNodeKey, registerNodeKey, signedEvents } from './signed-events.js'

/** A registered node driven by a raw MQTT.js client: births, telemetry, abrupt drops. */
export interface RawNode {
  id: string
  secret: string
  client: MqttClient
  /** The node's event key, registered with the controller at connect. */
  key: NodeKey
  birth(planVersion?: string | null): Promise<void>
  /** Publishes these events (each signed with the node's key) on `events`. */
  events(events: readonly Record<string, unknown>[]): Promise<void>
  telemetry(fields?: Record<string, unknown>): Promise<void>
  /** Destroys the TCP socket without DISCONNECT, as a power cut would. */
  drop(): void
}

/** Registers a node and connects it as a raw client with a will on `status`. */
export async function rawNode(ctl: TestController, name: string, zone?: string): Promise<RawNode> {
  const node = await ctl.register(name, zone)
  return connectNode(ctl, node)
}

/** Connects an already registered node as a raw client. */
export async function connectNode(
  ctl: TestController,
  node: { id: string; secret: string },
  bootId = `boot-${Math.random().toString(36).slice(2, 8)}`,
): Promise<RawNode> {
  const key = makeNodeKey()
  registerNodeKey(ctl, node.id, key)
  const status = (state: 'online' | 'offline', reason: string, planVersion: string | null) =>
    JSON.stringify({
      v: 1,
      state,
      nodeId: node.id,
      bootId,
      agentVersion: 'test',
      planVersion,
      at: new Date().toISOString(),
      reason,
    })
  const client = await connectRaw(ctl.brokerUrl, {
    clientId: node.id,
    username: node.id,
    password: node.secret,
    will: {
      topic: nodeTopic(node.id, 'status'),
      payload: Buffer.from(status('offline', 'will', null)),
      qos: 1,
      retain: false,
    },
  })
  return {
    ...node,
    client,
    key,
    async events(events) {
      await client.publishAsync(nodeTopic(node.id, 'events'), signedEvents(key, events), {
        qos: 1,
      })
    },
    async birth(planVersion = null) {
      await client.publishAsync(
        nodeTopic(node.id, 'status'),
        status('online', 'birth', planVersion),
        {
          qos: 1,
        },
      )
    },
    async telemetry(fields = {}) {
      const payload = {
        v: 1,
        at: new Date().toISOString(),
        agentVersion: 'test',
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
        ...fields,
      }
      await client.publishAsync(nodeTopic(node.id, 'telemetry'), JSON.stringify(payload), {
        qos: 1,
      })
    },
    drop() {
      client.stream.destroy()
    },
  }
}
