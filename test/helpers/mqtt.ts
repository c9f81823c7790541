import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import { onTestFinished } from 'vitest'

/** Connects a raw MQTT.js client for a test (no reconnect), ended when the test finishes. */
export async function connectRaw(url: string, opts: IClientOptions): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, {
    reconnectPeriod: 0,
    connectTimeout: 5000,
    protocolVersion: 4,
    ...opts,
  })
  onTestFinished(async () => {
    await client.endAsync(true)
  })
  return client
}

/** Tries to connect and returns the error the broker answered with (or null when it connected). */
export async function connectError(url: string, opts: IClientOptions): Promise<Error | null> {
  try {
    const c = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000, ...opts })
    await c.endAsync(true)
    return null
  } catch (err) {
    return err as Error
  }
}

/** Resolves with the next message on `topic` (subscribing first). */
export async function nextMessage(client: MqttClient, topic: string): Promise<Buffer> {
  const p = new Promise<Buffer>((resolve) => {
    const onMessage = (t: string, payload: Buffer) => {
      if (t !== topic) return
      client.off('message', onMessage)
      resolve(payload)
    }
    client.on('message', onMessage)
  })
  await client.subscribeAsync(topic, { qos: 1 })
  return p
}

/** Polls `fn` until it returns a truthy value or `timeoutMs` passes (then throws `what`). */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000,
  everyMs = 50,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v as NonNullable<T>
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}
