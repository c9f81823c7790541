import type { Aedes, AedesPublishPacket } from 'aedes'

/**
 * Publishes from the controller that may be inside aedes at once. Below aedes' own message
 * concurrency (100), so that the controller never fills aedes' message queue: that queue drains
 * recursively, and a long run of deliveries that complete at once (their subscribers gone, as
 * when every node drops together) overflowed the stack (issue 9).
 */
export const SERVICE_PUBLISH_WINDOW = 64

/** The controller's own session inside the embedded broker: no socket, no MQTT encoding. */
export interface ServiceSession {
  /**
   * Subscribes `onMessage` to each filter; resolves once every subscription is in place (what
   * matches is delivered from then on, in the order the broker accepted it).
   */
  subscribe(filters: string[], onMessage: (topic: string, payload: Buffer) => void): Promise<void>
  /** Publishes as the broker (never retained); resolves once aedes has delivered or queued it. */
  publish(topic: string, payload: string | Buffer, qos: 0 | 1): Promise<void>
  /** Stops delivering to the controller at once and removes its subscriptions. */
  unsubscribe(): Promise<void>
  /** Publishes waiting for a slot in the window (for tests and metrics). */
  waiting(): number
}

type Deliver = (packet: AedesPublishPacket, cb: () => void) => void

/**
 * Creates the in-process session. Nothing here is reachable from the network: the controller's
 * identity is not a client of the broker, so no credentials exist that could impersonate it.
 */
export function createServiceSession(aedes: Aedes): ServiceSession {
  const subscribed: { filter: string; deliver: Deliver }[] = []
  const queue: { packet: Parameters<Aedes['publish']>[0]; done: (err?: Error) => void }[] = []
  let inFlight = 0
  let pumping = false
  let active = false

  // Iterative, never recursive: aedes may complete a publish synchronously (no subscriber).
  function pump(): void {
    if (pumping) return
    pumping = true
    try {
      while (inFlight < SERVICE_PUBLISH_WINDOW && queue.length > 0) {
        const next = queue.shift()
        if (!next) break
        inFlight++
        aedes.publish(next.packet, (err) => {
          inFlight--
          next.done(err ?? undefined)
          pump()
        })
      }
    } finally {
      pumping = false
    }
  }

  return {
    async subscribe(filters, onMessage) {
      active = true
      const deliver: Deliver = (packet, cb) => {
        if (active) onMessage(packet.topic, packet.payload as Buffer)
        // Completing on the next tick keeps aedes' queue drain off one ever-deeper stack.
        process.nextTick(cb)
      }
      for (const filter of filters) {
        await new Promise<void>((resolve) => aedes.subscribe(filter, deliver, () => resolve()))
        subscribed.push({ filter, deliver })
      }
    },
    publish(topic, payload, qos) {
      if (aedes.closed) return Promise.reject(new Error('broker closed'))
      return new Promise((resolve, reject) => {
        const packet = {
          cmd: 'publish' as const,
          topic,
          // A Buffer is handed on as it is (a plan's bytes, built once per node).
          payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
          qos,
          retain: false,
          dup: false,
        }
        queue.push({ packet, done: (err) => (err ? reject(err) : resolve()) })
        pump()
      })
    },
    async unsubscribe() {
      active = false
      for (const { filter, deliver } of subscribed.splice(0)) {
        await new Promise<void>((resolve) => aedes.unsubscribe(filter, deliver, () => resolve()))
      }
    },
    waiting: () => queue.length,
  }
}
