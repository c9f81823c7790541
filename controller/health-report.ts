import type { EmbeddedBroker } from '../broker/index.js'
import type { Config } from './config.js'
import type { HealthReport } from './deps.js'
import type { Clock } from './platform/index.js'

/** The controller's health as /api/health reports it: degraded without the database or MQTT. */
export function healthReport(s: {
  config: Pick<Config, 'brokerUrl' | 'tz'>
  startedAt: number
  clock: Clock
  version: string
  database: { ok: boolean; error?: string }
  connected: boolean
  broker: EmbeddedBroker | null
  mqtt: HealthReport['mqtt']
  ingest: HealthReport['ingest']
}): HealthReport {
  return {
    status: s.database.ok && s.connected ? 'ok' : 'degraded',
    uptimeSec: Math.round((s.clock.now() - s.startedAt) / 1000),
    version: s.version,
    tz: s.config.tz,
    broker: {
      mode: s.config.brokerUrl !== '' ? 'external' : 'embedded',
      connected: s.connected,
      clients: s.broker ? s.broker.connectedClients() : null,
    },
    database: s.database,
    mqtt: s.mqtt,
    ingest: s.ingest,
  }
}
