import { randomBytes } from 'node:crypto'
import mqtt, { type MqttClient } from 'mqtt'
import type { Logger } from 'pino'
import type { ServiceSession } from '../../broker/index.js'

/** The controller's own MQTT connection (its service identity). */
export interface ServiceClient {
  /** Resolves once connected the first time. */
  start(): Promise<void>
  /** `payload`: text, or its UTF-8 bytes already encoded (a plan: its shared part encoded once). */
  publish(topic: string, payload: string | Buffer, opts: { qos: 0 | 1 }): Promise<void>
  isConnected(): boolean
  stop(): Promise<void>
}

/**
 * Connects the controller to the broker as its service identity, subscribes to `filters` and
 * calls `onConnect` after every (re)connect, which is where the rebirth request goes out: the
 * broker is never trusted to remember node state (STYLE rule 8).
 */
export function createServiceClient(deps: {
  url: string
  username: string
  password: string
  /** CA certificate (PEM) to trust for an mqtts:// URL. */
  ca?: string | null
  filters: string[]
  /**
   * A persistent session (external brokers): a fixed client id and clean session off, so the
   * broker keeps the QoS 1 subscriptions and queues what nodes publish while the controller is
   * down, and delivers it when it returns. Omitted: a fresh random id and a clean session.
   */
  persistentClientId?: string | null
  log: Logger
  onMessage: (topic: string, payload: Buffer) => void
  onConnect: () => void
  /** The connection to the broker dropped (not on a deliberate stop). */
  onConnectionLost: () => void
}): ServiceClient {
  const log = deps.log.child({ module: 'mqtt' })
  let client: MqttClient | null = null

  return {
    start() {
      return new Promise((resolve, reject) => {
        const c = mqtt.connect(deps.url, {
          clientId:
            deps.persistentClientId ?? `chorus-controller-${randomBytes(4).toString('hex')}`,
          username: deps.username,
          password: deps.password,
          clean: !deps.persistentClientId,
          keepalive: 30,
          reconnectPeriod: 1000,
          connectTimeout: 10_000,
          protocolVersion: 4,
          ...(deps.ca ? { ca: deps.ca } : {}),
        })
        client = c
        let first = true
        c.on('connect', () => {
          c.subscribe(
            Object.fromEntries(deps.filters.map((f) => [f, { qos: 1 as const }])),
            (err) => {
              if (err) {
                log.error({ err }, 'subscribe failed')
                if (first) reject(err)
                return
              }
              log.info({ url: deps.url }, 'connected to broker')
              deps.onConnect()
              if (first) {
                first = false
                resolve()
              }
            },
          )
        })
        c.on('message', (topic, payload) => deps.onMessage(topic, payload))
        c.on('error', (err) => {
          log.error({ err }, 'mqtt error')
          if (first && /Not authorized|Bad username/i.test(err.message)) reject(err)
        })
        let up = false
        c.on('connect', () => {
          up = true
        })
        c.on('close', () => {
          if (!up || client !== c) return
          up = false
          log.warn('disconnected from broker')
          deps.onConnectionLost()
        })
      })
    },
    async publish(topic, payload, opts) {
      if (!client) throw new Error('mqtt client not started')
      await client.publishAsync(topic, payload, { qos: opts.qos, retain: false })
    },
    isConnected: () => client?.connected ?? false,
    async stop() {
      const c = client
      client = null
      if (c) await c.endAsync()
    },
  }
}

/**
 * The controller's session inside its embedded broker: the same interface as the MQTT.js client,
 * without a socket, an MQTT encoding or a second acknowledgement per message (issue 9). The
 * subscriptions are in place when `start()` resolves; `onConnect` (the rebirth request) runs
 * then. There is no connection to lose: the session lasts as long as the broker.
 */
export function createInProcessServiceClient(deps: {
  session: ServiceSession
  filters: string[]
  log: Logger
  onMessage: (topic: string, payload: Buffer) => void
  onConnect: () => void
}): ServiceClient {
  const log = deps.log.child({ module: 'mqtt' })
  let up = false
  return {
    async start() {
      await deps.session.subscribe(deps.filters, deps.onMessage)
      up = true
      log.info('subscribed in process to the embedded broker')
      deps.onConnect()
    },
    async publish(topic, payload, opts) {
      if (!up) throw new Error('mqtt client not started')
      await deps.session.publish(topic, payload, opts.qos)
    },
    isConnected: () => up,
    async stop() {
      if (!up) return
      up = false
      await deps.session.unsubscribe()
    },
  }
}
