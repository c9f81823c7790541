import { statfs } from 'node:fs/promises'
import type { Logger } from 'pino'
import type { TelemetryMessage } from '../protocol/index.js'
import type { Clock } from './clock.js'
import type { PublishFn } from './outbox.js'

/** Dependencies of createTelemetry. */
export interface TelemetryDeps {
  clock: Clock
  log: Logger
  intervalSec: number
  /** The node's `telemetry` topic. */
  topic: string
  publish: PublishFn
  connected(): boolean
  collect(): Promise<TelemetryMessage>
}

/** Periodic health report, QoS 0; skipped while disconnected (telemetry is not worth queueing). */
export interface Telemetry {
  start(): void
  stop(): void
  /** Collects and publishes one report now. */
  publishNow(): Promise<void>
}

/** Creates the telemetry timer; it re-arms on the Clock after each report. */
export function createTelemetry(deps: TelemetryDeps): Telemetry {
  const { clock, log, intervalSec, topic, publish } = deps
  let cancel: (() => void) | undefined

  async function publishNow(): Promise<void> {
    const message = await deps.collect()
    await publish(topic, JSON.stringify(message), { qos: 0 })
  }

  function arm(): void {
    cancel = clock.setTimer(clock.now() + intervalSec * 1000, () => {
      arm()
      if (!deps.connected()) return
      void publishNow().catch((err: unknown) => log.warn({ err }, 'telemetry not sent'))
    })
  }

  return {
    start() {
      if (!cancel) arm()
    },
    stop() {
      cancel?.()
      cancel = undefined
    },
    publishNow,
  }
}

/** Free bytes for unprivileged users on the file system holding `dir`, or null if unknown. */
export async function freeDiskBytes(dir: string): Promise<number | null> {
  try {
    const s = await statfs(dir)
    return Number(s.bavail) * Number(s.bsize)
  } catch {
    return null
  }
}
