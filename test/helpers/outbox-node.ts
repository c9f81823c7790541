import mqtt, { type MqttClient } from 'mqtt'
import { onTestFinished } from 'vitest'
import {
  type AgentEvent,
  type EventsMessage,
  nodeTopic,
  type ReceiptMessage,
} from '../../protocol/index.js'
import { createSystemClock, isoAt } from '../../speaker-agent/clock.js'
import { asReason, stampEvent } from '../../speaker-agent/events.js'
import { createOutbox, type Outbox } from '../../speaker-agent/outbox.js'
import { silentLogger } from '../../speaker-agent/testing/tmp-dir.js'
import { createVerifier } from '../../speaker-agent/verify.js'
import { makeNodeKey } from './signed-events.js'

/**
 * A lightweight node speaking the protocol with the agent's real durable outbox: its own signing
 * key (announced in its birth, pinned by the controller on first use), a reconnect loop, and
 * receipts checked against the controller's key. It produces `play.failed` events on demand.
 */
export interface OutboxNode {
  id: string
  outbox: Outbox
  /** Ids of every event produced so far. */
  produced: string[]
  /** Events the outbox deleted because a receipt named them. */
  receipted(): number
  /** `events` messages published (each acknowledged by the broker). */
  published(): number
  /** Adds one event to the outbox (durably) and returns its id. */
  produce(): Promise<string>
  stop(): Promise<void>
}

export async function startOutboxNode(opts: {
  id: string
  secret: string
  brokerUrl: string
  controllerKeyPem: string
  dir: string
  /** Events per `events` message (small: spreads a node's ingest over many commits). */
  batchSize?: number
  /** `message` (default, as the agent does): one signature per message; `event`: the old form. */
  signing?: 'message' | 'event'
  /** How long published events wait for their receipt before they are sent again (first wait). */
  receiptWaitMs?: number
}): Promise<OutboxNode> {
  const clock = createSystemClock()
  const log = silentLogger()
  const key = makeNodeKey()
  const verifier = createVerifier(opts.controllerKeyPem)
  const receiptTopic = nodeTopic(opts.id, 'receipt')
  let client: MqttClient | null = null
  let stopped = false
  let receipted = 0
  let published = 0
  let retry: NodeJS.Timeout | undefined
  const produced: string[] = []

  const outbox = createOutbox({
    dir: opts.dir,
    topic: nodeTopic(opts.id, 'events'),
    publish: async (topic, payload, o) => {
      const c = client
      if (!c?.connected) throw new Error('not connected')
      await c.publishAsync(topic, payload, { qos: o.qos })
      published++
    },
    clock,
    log,
    ...(opts.signing === 'event'
      ? { sign: (e: AgentEvent) => key.sign(e) }
      : { signMessage: (m: EventsMessage) => key.signMessage(m) }),
    batchSize: opts.batchSize ?? 10,
    receiptWait: {
      baseMs: opts.receiptWaitMs ?? 3000,
      capMs: Math.max(10_000, opts.receiptWaitMs ?? 0),
    },
    backoff: { baseMs: 100, capMs: 500 },
  })

  function connect(): void {
    if (stopped) return
    const c = mqtt.connect(opts.brokerUrl, {
      clientId: opts.id,
      username: opts.id,
      password: opts.secret,
      reconnectPeriod: 0,
      connectTimeout: 5000,
      protocolVersion: 4,
      clean: true,
    })
    client = c
    c.on('error', () => undefined)
    c.on('message', (topic, payload) => {
      if (topic !== receiptTopic) return
      const r = JSON.parse(payload.toString()) as ReceiptMessage
      if (r.nodeId !== opts.id || !verifier.check(r, 0).ok) return
      void outbox.receipt([...r.stored, ...r.rejected]).then((n) => {
        receipted += n
      })
    })
    c.on('connect', () => {
      void (async () => {
        await c.subscribeAsync(receiptTopic, { qos: 1 })
        const birth = {
          v: 1,
          state: 'online',
          nodeId: opts.id,
          bootId: `b-${opts.id}`,
          agentVersion: 'outbox-node',
          planVersion: null,
          at: isoAt(clock.now()),
          reason: 'birth',
          nodeKey: key.publicKeyPem,
        }
        await c.publishAsync(nodeTopic(opts.id, 'status'), JSON.stringify(birth), { qos: 1 })
        if (client === c) outbox.setConnected(true)
      })().catch(() => c.end(true))
    })
    c.once('close', () => {
      if (client !== c) return
      client = null
      outbox.setConnected(false)
      // Fail pending publishes now, as the agent's session does.
      c.end(true)
      if (!stopped) retry = setTimeout(connect, 200)
    })
  }

  await outbox.start()
  connect()
  const node: OutboxNode = {
    id: opts.id,
    outbox,
    produced,
    receipted: () => receipted,
    published: () => published,
    async produce() {
      const n = produced.length
      const event = stampEvent(clock, {
        type: 'play.failed',
        itemId: `2026-11-27/t${String(n).padStart(6, '0')}`,
        scheduledAt: '2026-11-27T08:00:00.000+08:00',
        reason: asReason('late'),
      })
      produced.push(event.id)
      await outbox.add(event)
      return event.id
    },
    async stop() {
      stopped = true
      clearTimeout(retry)
      const c = client
      client = null
      await outbox.stop()
      if (c) await c.endAsync(true)
    },
  }
  onTestFinished(() => node.stop())
  return node
}
