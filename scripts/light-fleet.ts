/**
 * Lightweight protocol clients for fleet-size measurements and tests (issue 9): one TCP socket and
 * one mqtt-packet parser per node, no agent, no disk, no schema compiler. Each node connects with
 * its node id and secret and a will on `status`, subscribes to its `plan` and `cmd`, publishes a
 * birth, and acknowledges what it receives (QoS 1). Plans received are counted, not applied.
 */
import { connect, type Socket } from 'node:net'
import mqttPacket from 'mqtt-packet'
import { ITEMS_DIGEST_ALG, nodeTopic } from '../protocol/index.js'

/** One lightweight node. */
export interface LightNode {
  readonly id: string
  /** Plans received on this connection, and the version of the last one. */
  readonly plans: number
  readonly planVersion: string | null
  readonly connected: boolean
  /** Connects (or reconnects); resolves when the CONNACK accepted it and the birth is sent. */
  connect(): Promise<void>
  /** Publishes a birth naming `planVersion` (default: the last plan received). */
  birth(planVersion?: string | null): void
  /** Destroys the socket without DISCONNECT, as a power cut would (the will fires). */
  drop(): void
  /** Resolves once a plan whose version differs from `not` has arrived. */
  nextPlan(not?: string | null): Promise<string>
}

function status(id: string, bootId: string, state: 'online' | 'offline', plan: string | null) {
  return JSON.stringify({
    v: 1,
    state,
    nodeId: id,
    bootId,
    agentVersion: 'light',
    planVersion: plan,
    at: new Date().toISOString(),
    reason: state === 'online' ? 'birth' : 'will',
    // As today's agents: plans may be signed over their items' digest.
    ...(state === 'online' ? { planSig: [ITEMS_DIGEST_ALG] } : {}),
  })
}

/**
 * Creates a node speaking the protocol over a raw socket to `brokerUrl` (mqtt://host:port). With
 * `reconnectMs`, a connection lost without `drop()` is retried after a random delay below it.
 */
export function lightNode(
  brokerUrl: string,
  node: { id: string; secret: string },
  opts: { reconnectMs?: number } = {},
): LightNode {
  const url = new URL(brokerUrl)
  const bootId = `light-${Math.random().toString(36).slice(2, 10)}`
  let socket: Socket | null = null
  let plans = 0
  let planVersion: string | null = null
  let connected = false
  let dropped = false
  let nextId = 1
  const waiters = new Set<{ not: string | null; resolve: (v: string) => void }>()
  const send = (packet: Record<string, unknown>) => {
    if (socket && !socket.destroyed) socket.write(mqttPacket.generate(packet as never))
  }

  const self: LightNode = {
    id: node.id,
    get plans() {
      return plans
    },
    get planVersion() {
      return planVersion
    },
    get connected() {
      return connected
    },
    connect() {
      dropped = false
      return new Promise((resolve, reject) => {
        const s = connect({ host: url.hostname, port: Number(url.port) })
        socket = s
        const parser = mqttPacket.parser({ protocolVersion: 4 })
        s.on('data', (chunk) => parser.parse(chunk))
        s.on('error', () => undefined)
        s.on('close', () => {
          connected = false
          reject(new Error(`${node.id}: closed before CONNACK`))
          if (socket !== s || dropped || !opts.reconnectMs) return
          const retry = () => self.connect().catch(() => undefined)
          setTimeout(retry, Math.random() * opts.reconnectMs).unref()
        })
        parser.on('error', (err) => s.destroy(err))
        parser.on('packet', (p: mqttPacket.Packet) => {
          if (p.cmd === 'connack') {
            if (p.returnCode !== 0) return reject(new Error(`${node.id}: refused ${p.returnCode}`))
            connected = true
            // Keepalive: the broker closes a session silent for 1.5 × 60 s.
            const ping = setInterval(() => send({ cmd: 'pingreq' }), 30_000 + Math.random() * 5000)
            ping.unref()
            s.once('close', () => clearInterval(ping))
            send({
              cmd: 'subscribe',
              messageId: nextId++,
              subscriptions: [
                { topic: nodeTopic(node.id, 'plan'), qos: 1 },
                { topic: nodeTopic(node.id, 'cmd'), qos: 1 },
              ],
            })
            self.birth(planVersion)
            resolve()
          } else if (p.cmd === 'publish') {
            if (p.qos === 1) send({ cmd: 'puback', messageId: p.messageId })
            if (p.topic === nodeTopic(node.id, 'plan')) {
              plans++
              const body = JSON.parse(p.payload.toString()) as { version?: string }
              planVersion = body.version ?? null
              for (const w of [...waiters]) {
                if (planVersion !== null && planVersion !== w.not) {
                  waiters.delete(w)
                  w.resolve(planVersion)
                }
              }
            }
          }
        })
        send({
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: 4,
          clean: true,
          clientId: node.id,
          keepalive: 60,
          username: node.id,
          password: Buffer.from(node.secret),
          will: {
            topic: nodeTopic(node.id, 'status'),
            payload: Buffer.from(status(node.id, bootId, 'offline', null)),
            qos: 1,
            retain: false,
          },
        })
      })
    },
    birth(version = planVersion) {
      send({
        cmd: 'publish',
        topic: nodeTopic(node.id, 'status'),
        payload: Buffer.from(status(node.id, bootId, 'online', version)),
        qos: 1,
        messageId: nextId++,
        retain: false,
        dup: false,
      })
      if (nextId > 60_000) nextId = 1
    },
    drop() {
      dropped = true
      connected = false
      socket?.destroy()
    },
    nextPlan(not = planVersion) {
      if (planVersion !== null && planVersion !== not) return Promise.resolve(planVersion)
      return new Promise((resolve) => waiters.add({ not, resolve }))
    },
  }
  return self
}

/** Connects `nodes` with at most `parallel` handshakes at once; resolves when all are in. */
export async function connectAll(nodes: readonly LightNode[], parallel = 200): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < nodes.length) {
      const n = nodes[next++]
      if (n) await n.connect()
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, nodes.length) }, worker))
}
