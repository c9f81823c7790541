/**
 * Lightweight protocol clients for fleet-size figures: one MQTT.js client per registered node
 * that does what an agent does on the wire and nothing else — a birth carrying its event key
 * (pinned on first use), subscriptions to its plan, commands and receipts and to rebirth
 * requests, a `plan.applied` for every new plan, signed events on demand — so the measurement
 * is the controller's and the broker's, not a simulator's.
 */
import { randomUUID } from 'node:crypto'
import mqtt, { type MqttClient } from 'mqtt'
import { FLEET_TOPICS, ITEMS_DIGEST_ALG, nodeTopic } from '../../protocol/index.js'
import { createNodeKey, generateNodeKeyPem, type NodeKey } from '../../speaker-agent/node-key.js'
import type { BenchApi } from './harness.js'

/** One simulated node. */
export interface LiteNode {
  id: string
  secret: string
  key: NodeKey
  client?: MqttClient
  /** The last plan version received and when (performance.now()). */
  planVersion: string | null
  planAt: number
}

const ZONES = [
  '西海路社区',
  '工具厂社区',
  '严小村',
  '晋家湾村',
  '宋家寨村',
  '二十里铺镇',
  '大堡子镇',
]

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  fn: (t: T, i: number) => Promise<void>,
) {
  let next = 0
  const worker = async () => {
    for (;;) {
      const i = next++
      if (i >= items.length) return
      await fn(items[i] as T, i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

/** Registers `count` nodes through `POST /api/nodes`, spread over the district's zones. */
export async function registerNodes(api: BenchApi, count: number): Promise<LiteNode[]> {
  // Zones exist before nodes are registered into them (an admin creates them first).
  for (const name of ZONES) {
    const r = await api.call('POST', '/api/zones', { name })
    if (r.status !== 201 && r.status !== 409) {
      throw new Error(`zone ${name}: ${r.status} ${JSON.stringify(r.body)}`)
    }
  }
  const nodes: LiteNode[] = new Array(count)
  await pool(
    Array.from({ length: count }, (_, i) => i),
    8,
    async (i) => {
      const r = await api.call<{ id: string; secret: string }>('POST', '/api/nodes', {
        name: `bench-${i}`,
        zone: ZONES[i % ZONES.length],
      })
      if (r.status !== 201) throw new Error(`register: ${r.status} ${JSON.stringify(r.body)}`)
      nodes[i] = {
        id: r.body.id,
        secret: r.body.secret,
        key: createNodeKey(generateNodeKeyPem()),
        planVersion: null,
        planAt: 0,
      }
    },
  )
  return nodes
}

/** A fleet of lightweight clients; `listeners` see every plan and receipt as it arrives. */
export interface LiteFleet {
  nodes: LiteNode[]
  /** Connects every node (at most `inFlight` CONNECTs pending); resolves at the last CONNACK. */
  connectAll(brokerUrl: string, inFlight?: number): Promise<void>
  /** Resolves with performance.now() once every node holds a plan received after `since`. */
  allPlansAfter(since: number): Promise<number>
  /** Signs one event per node (`make(node)`); `send()` publishes them all, QoS 1. */
  prepareEach(make: (node: LiteNode) => Record<string, unknown>): { ids: string[]; send(): void }
  /**
   * Resolves with performance.now() once receipts listed every id in `ids` as stored; call it
   * before publishing them.
   */
  receiptsFor(ids: readonly string[]): Promise<number>
  /** Clients currently connected. */
  connected(): number
  close(): Promise<void>
}

/**
 * Raw clients with no Chorus behaviour at all (the broker's own floor): connect `count` anonymous
 * clients with a will; resolves with their clients once every CONNACK came.
 */
export async function connectRaw(
  brokerUrl: string,
  count: number,
  inFlight = 200,
): Promise<MqttClient[]> {
  const clients: MqttClient[] = []
  await pool(
    Array.from({ length: count }, (_, i) => i),
    inFlight,
    async (i) => {
      const c = await mqtt.connectAsync(brokerUrl, {
        clientId: `raw-${i}`,
        reconnectPeriod: 0,
        connectTimeout: 60_000,
        protocolVersion: 4,
        writeCache: false,
        will: { topic: `raw/${i}/status`, payload: Buffer.from('offline'), qos: 1, retain: false },
      })
      clients.push(c)
    },
  )
  return clients
}

/**
 * How clients sign their `events` messages: `message` (one signature over the whole message, as
 * agents do since session 6 of issue 9) or `event` (each event signed on its own, the older form
 * that a controller before batch signatures needs: for A/B runs against it).
 */
export type Signing = 'message' | 'event'

/** An `events` payload of `events` signed by `key` the `signing` way. */
export function signedMessage(
  key: NodeKey,
  events: readonly Record<string, unknown>[],
  signing: Signing = 'message',
): string {
  if (signing === 'event') {
    return JSON.stringify({ v: 1, events: events.map((e) => key.sign(e as never)) })
  }
  return JSON.stringify(key.signMessage({ v: 1, events: events as never }))
}

export function liteFleet(
  nodes: LiteNode[],
  opts: {
    /** Told each receipt's stored ids as it arrives (an outbox deletes them and sends more). */
    onReceipt?: (node: LiteNode, stored: readonly string[]) => void
    signing?: Signing
  } = {},
): LiteFleet {
  const signing = opts.signing ?? 'message'
  // Each waiter holds what it still waits for; a message removes what it brings.
  type Waiter = { pending: Set<string>; resolve: (at: number) => void }
  let receiptWaiters: Waiter[] = []
  let planWaiters: Waiter[] = []
  const settle = (list: Waiter[], keys: readonly string[]): Waiter[] => {
    const at = performance.now()
    return list.filter((w) => {
      for (const k of keys) w.pending.delete(k)
      if (w.pending.size > 0) return true
      w.resolve(at)
      return false
    })
  }

  function onMessage(node: LiteNode, client: MqttClient, topic: string, payload: Buffer): void {
    if (topic === FLEET_TOPICS.rebirth) {
      birth(node, client, 'rebirth')
      return
    }
    const channel = topic.slice(topic.lastIndexOf('/') + 1)
    if (channel === 'plan') {
      const plan = JSON.parse(payload.toString()) as { version: string; items: unknown[] }
      if (plan.version === node.planVersion) return
      node.planVersion = plan.version
      node.planAt = performance.now()
      const applied = {
        id: randomUUID(),
        type: 'plan.applied',
        at: new Date().toISOString(),
        planVersion: plan.version,
        itemCount: plan.items.length,
      }
      client.publish(nodeTopic(node.id, 'events'), signedMessage(node.key, [applied], signing), {
        qos: 1,
      })
      planWaiters = settle(planWaiters, [node.id])
    } else if (channel === 'receipt') {
      // Only `stored` counts: a rejected event is lost to the figure.
      const r = JSON.parse(payload.toString()) as { stored: string[] }
      receiptWaiters = settle(receiptWaiters, r.stored)
      opts.onReceipt?.(node, r.stored)
    }
  }

  function birth(node: LiteNode, client: MqttClient, reason: 'birth' | 'rebirth'): void {
    const status = {
      v: 1,
      state: 'online',
      nodeId: node.id,
      bootId: 'bench',
      agentVersion: 'bench-lite',
      planVersion: node.planVersion,
      at: new Date().toISOString(),
      reason,
      nodeKey: node.key.publicKeyPem,
      planSig: [ITEMS_DIGEST_ALG],
    }
    client.publish(nodeTopic(node.id, 'status'), JSON.stringify(status), { qos: 1 })
  }

  function connectOne(brokerUrl: string, node: LiteNode): Promise<void> {
    return new Promise((resolve) => {
      const client = mqtt.connect(brokerUrl, {
        clientId: node.id,
        username: node.id,
        password: node.secret,
        keepalive: 60,
        clean: true,
        // Spread reconnections after a restart as agents' jittered backoff does (1–3 s here).
        reconnectPeriod: 1000 + Math.floor(Math.random() * 2000),
        connectTimeout: 60_000,
        protocolVersion: 4,
        writeCache: false,
        will: {
          topic: nodeTopic(node.id, 'status'),
          payload: Buffer.from(
            JSON.stringify({
              v: 1,
              state: 'offline',
              nodeId: node.id,
              bootId: 'bench',
              agentVersion: 'bench-lite',
              planVersion: null,
              reason: 'will',
            }),
          ),
          qos: 1,
          retain: false,
        },
      })
      node.client = client
      client.on('message', (topic, payload) => onMessage(node, client, topic, payload))
      client.on('error', () => {})
      client.on('connect', () => {
        client.subscribe(
          {
            [nodeTopic(node.id, 'plan')]: { qos: 1 },
            [nodeTopic(node.id, 'cmd')]: { qos: 1 },
            [nodeTopic(node.id, 'receipt')]: { qos: 1 },
            [FLEET_TOPICS.rebirth]: { qos: 0 },
          },
          () => birth(node, client, 'birth'),
        )
        resolve()
      })
    })
  }

  return {
    nodes,
    async connectAll(brokerUrl, inFlight = 200) {
      await pool(nodes, inFlight, (n) => connectOne(brokerUrl, n))
    },
    allPlansAfter(since) {
      return new Promise((resolve) => {
        const pending = new Set(nodes.filter((n) => n.planAt <= since).map((n) => n.id))
        if (pending.size === 0) resolve(Math.max(...nodes.map((n) => n.planAt)))
        else planWaiters.push({ pending, resolve })
      })
    },
    prepareEach(make) {
      const signed = nodes.map((n) => {
        const event = make(n) as { id: string }
        return { n, id: event.id, payload: signedMessage(n.key, [event], signing) }
      })
      return {
        ids: signed.map((s) => s.id),
        send() {
          for (const { n, payload } of signed) {
            n.client?.publish(nodeTopic(n.id, 'events'), payload, { qos: 1 })
          }
        },
      }
    },
    receiptsFor(ids) {
      // Register before anything is published (call it first): receipts are not kept.
      return new Promise((resolve) => {
        receiptWaiters.push({ pending: new Set(ids), resolve })
      })
    },
    connected: () => nodes.filter((n) => n.client?.connected).length,
    async close() {
      await Promise.all(nodes.map((n) => n.client?.endAsync(true)))
    },
  }
}
