import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import type { Logger } from 'pino'
import {
  FLEET_TOPICS,
  ITEMS_DIGEST_ALG,
  nodeTopic,
  RECONNECT_BACKOFF,
  type StatusMessage,
} from '../protocol/index.js'
import { type BackoffOptions, backoffDelayMs } from './backoff.js'
import { type Clock, isoAt, withTimeout } from './clock.js'
import type { NodeConfig } from './config.js'
import type { PublishFn } from './outbox.js'

/** Dependencies of createMqttSession. */
export interface MqttSessionDeps {
  config: Pick<NodeConfig, 'nodeId' | 'secret' | 'brokerUrl' | 'keepaliveSec' | 'caCert'>
  clock: Clock
  log: Logger
  /** Random id of this process run, in every status message. */
  bootId: string
  agentVersion: string
  /** The plan version the node holds now (null when none). */
  planVersion(): string | null
  /** The highest signature sequence number accepted so far, told in births. */
  seqFloor?(): number
  /** The node's event-signing public key (PEM), announced in every birth. */
  nodeKey?: () => string | undefined
  onMessage(topic: string, payload: Buffer): void
  /** Subscribed and birth published. */
  onConnected(): void
  /** The connection was lost (not called for a clean stop). */
  onDisconnected(): void
  /** Reconnect delays; default 1 s doubling to a 60 s cap, with full jitter. */
  backoff?: BackoffOptions
  /**
   * The broker refused the node's credentials (CONNACK "bad username or password" / "not
   * authorized") `consecutive` times in a row; from REFUSED_LIMIT on, retries are REFUSED_RETRY.
   */
  onRefused?(consecutive: number): void
  /** Delays once the credentials were refused REFUSED_LIMIT times in a row. */
  refusedBackoff?: BackoffOptions
  random?: () => number
}

/** The agent's MQTT connection: will, birth, subscriptions and its own reconnect loop. */
export interface MqttSession {
  /** Starts connecting; returns at once (the agent plays offline meanwhile). */
  start(): void
  /** Publishes `offline`/`shutdown` when connected, then disconnects; no reconnect after. */
  stop(): Promise<void>
  /** True between a completed birth and the loss of the connection. */
  connected(): boolean
  /** Refusals of the node's credentials in a row (0 once connected). */
  refusals(): number
  /** Publishes on the current connection; rejects when there is none. */
  publish: PublishFn
  /** Publishes the birth again (for a rebirth request or a resync). */
  publishBirth(reason: 'birth' | 'rebirth', planVersion?: string | null): Promise<void>
}

const DEFAULT_BACKOFF: BackoffOptions = RECONNECT_BACKOFF
/** Refusals in a row after which the session stops retrying at the normal pace. */
export const REFUSED_LIMIT = 5
/**
 * Retry pace once the credentials were refused REFUSED_LIMIT times in a row: between 5 and 10
 * minutes. A refusal is nearly always final (node retired or replaced, wrong secret, another
 * controller), but an external broker whose auth hook is down refuses too, so the node keeps
 * trying, slowly and loudly, rather than exiting.
 */
const REFUSED_BACKOFF: BackoffOptions = { baseMs: 600_000, capMs: 600_000 }
/**
 * A connection that lasted this long resets the backoff; so does one on which the controller
 * spoke (a rebirth request, a plan, a command or a receipt): the controller is up and serving,
 * so the next loss is a fresh one. Without the second rule a node whose connections kept
 * breaking while a controller started slowly came back after the controller's rebirth wait and
 * was marked offline for nothing (issue 9).
 */
const STABLE_AFTER_MS = 30_000
const SHUTDOWN_TIMEOUT_MS = 2000

/**
 * Creates the session. MQTT.js's own reconnect is off (`reconnectPeriod: 0`): each attempt is a
 * fresh client after a delay with full jitter, so hundreds of agents never reconnect in lockstep.
 * Nothing is retained: per-node retained messages make reconnect storms slow on aedes (PRODUCT.md).
 */
export function createMqttSession(deps: MqttSessionDeps): MqttSession {
  const { config, clock, log, bootId, agentVersion } = deps
  const backoff = deps.backoff ?? DEFAULT_BACKOFF
  const random = deps.random ?? Math.random
  const statusTopic = nodeTopic(config.nodeId, 'status')
  let client: MqttClient | undefined
  let isConnected = false
  let connectedAt = 0
  /** The controller sent something on the current connection. */
  let answered = false
  let attempt = 0
  let refusals = 0
  let refusedThisAttempt = false
  let stopped = false
  let cancelReconnect: (() => void) | undefined

  function status(
    state: StatusMessage['state'],
    reason: NonNullable<StatusMessage['reason']>,
    planVersion = deps.planVersion(),
  ): StatusMessage {
    const base = { v: 1 as const, state, nodeId: config.nodeId, bootId, agentVersion, planVersion }
    if (reason === 'will') return { ...base, reason }
    const seqFloor = state === 'online' ? (deps.seqFloor?.() ?? 0) : 0
    const nodeKey = state === 'online' ? deps.nodeKey?.() : undefined
    return {
      ...base,
      at: isoAt(clock.now()),
      reason,
      ...(seqFloor > 0 ? { seqFloor } : {}),
      ...(nodeKey ? { nodeKey } : {}),
      ...(state === 'online' ? { planSig: [ITEMS_DIGEST_ALG] } : {}),
    }
  }

  function connectOnce(): void {
    cancelReconnect = undefined
    if (stopped) return
    log.debug({ broker: config.brokerUrl, attempt }, 'connecting')
    const options: IClientOptions = {
      clientId: config.nodeId,
      username: config.nodeId,
      password: config.secret,
      keepalive: config.keepaliveSec,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      protocolVersion: 4,
      resubscribe: false,
      queueQoSZero: false,
      // mqtt-packet's default cache is 65,536 pre-built 2-byte Buffers, about 6 MB of heap: more
      // than a third of a node's 16 MB old space (chorus-agent.service, PRODUCT.md's budget).
      writeCache: false,
      // The controller's private CA (provisioning bundle) for an mqtts:// broker.
      ...(config.caCert ? { ca: config.caCert } : {}),
      will: {
        topic: statusTopic,
        payload: Buffer.from(JSON.stringify(status('offline', 'will'))),
        qos: 1,
        retain: false,
      },
    }
    const c = mqtt.connect(config.brokerUrl, options)
    client = c
    let loggedError = false
    refusedThisAttempt = false
    answered = false
    c.on('error', (err) => {
      if (loggedError) return
      loggedError = true
      const code = (err as { code?: unknown }).code
      if (code === 4 || code === 5) {
        refusedThisAttempt = true
        refusals++
        log.error(
          { err: err.message, code, refusals, broker: config.brokerUrl },
          refusals >= REFUSED_LIMIT
            ? `broker refused the node credentials ${refusals} times in a row: the node was ` +
                'retired or replaced, its secret is wrong, or it belongs to another controller; ' +
                're-enroll it. Retrying every 5 to 10 minutes'
            : 'broker refused the node credentials',
        )
        deps.onRefused?.(refusals)
      } else {
        log.warn({ err: err.message, attempt }, 'mqtt connection error')
      }
    })
    c.on('message', (topic, payload) => {
      if (client !== c) return
      answered = true
      deps.onMessage(topic, payload)
    })
    c.on('connect', () => {
      void onConnect(c).catch((err: unknown) => {
        log.warn({ err }, 'session setup failed; reconnecting')
        c.end(true)
      })
    })
    c.once('close', () => onClose(c))
  }

  async function onConnect(c: MqttClient): Promise<void> {
    const granted = await c.subscribeAsync({
      [nodeTopic(config.nodeId, 'plan')]: { qos: 1 },
      [nodeTopic(config.nodeId, 'cmd')]: { qos: 1 },
      [nodeTopic(config.nodeId, 'receipt')]: { qos: 1 },
      [FLEET_TOPICS.rebirth]: { qos: 0 },
    })
    for (const g of granted) {
      if (g.qos === 128) log.error({ topic: g.topic }, 'broker refused a subscription')
    }
    await c.publishAsync(statusTopic, JSON.stringify(status('online', 'birth')), { qos: 1 })
    if (client !== c) return
    isConnected = true
    refusals = 0
    connectedAt = clock.now()
    log.info({ broker: config.brokerUrl, attempt }, 'connected')
    deps.onConnected()
  }

  function onClose(c: MqttClient): void {
    if (client !== c) return
    client = undefined
    // Fail pending QoS 1 publishes now (MQTT.js flushes them only on a forced end).
    c.end(true)
    const wasConnected = isConnected
    isConnected = false
    if (wasConnected) {
      log.warn({ broker: config.brokerUrl }, 'disconnected')
      deps.onDisconnected()
    }
    if (stopped) return
    if (wasConnected && (answered || clock.now() - connectedAt >= STABLE_AFTER_MS)) attempt = 0
    // Any other failure (unreachable, timeout) breaks a run of refusals.
    if (!refusedThisAttempt) refusals = 0
    const delayMs =
      refusals >= REFUSED_LIMIT
        ? backoffDelayMs(0, deps.refusedBackoff ?? REFUSED_BACKOFF, () => 0.5 + random() / 2)
        : backoffDelayMs(attempt, backoff, random)
    attempt++
    log.debug({ delayMs, attempt }, 'reconnect scheduled')
    cancelReconnect = clock.setTimer(clock.now() + delayMs, connectOnce)
  }

  async function publish(topic: string, payload: string, opts: { qos: 0 | 1 }): Promise<void> {
    const c = client
    if (!c || !isConnected) throw new Error('not connected to the broker')
    await c.publishAsync(topic, payload, { qos: opts.qos })
  }

  return {
    start() {
      stopped = false
      if (!client && !cancelReconnect) connectOnce()
    },
    async stop() {
      stopped = true
      cancelReconnect?.()
      cancelReconnect = undefined
      const c = client
      if (!c) return
      if (isConnected) {
        const bye = JSON.stringify(status('offline', 'shutdown'))
        try {
          await withTimeout(
            clock,
            c.publishAsync(statusTopic, bye, { qos: 1 }),
            SHUTDOWN_TIMEOUT_MS,
          )
        } catch (err) {
          log.warn({ err }, 'could not publish the shutdown status')
        }
      }
      isConnected = false
      client = undefined
      try {
        await withTimeout(clock, c.endAsync(), SHUTDOWN_TIMEOUT_MS)
      } catch {
        c.end(true)
      }
    },
    connected: () => isConnected,
    refusals: () => refusals,
    publish,
    async publishBirth(reason, planVersion) {
      const version = planVersion === undefined ? deps.planVersion() : planVersion
      await publish(statusTopic, JSON.stringify(status('online', reason, version)), { qos: 1 })
    },
  }
}
