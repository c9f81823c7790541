import type { Logger } from 'pino'
import type { AccountsModule } from './accounts/index.js'
import type { Config } from './config.js'
import type { FleetModule } from './fleet/index.js'
import type { IngestModule } from './ingest/index.js'
import type { LiveModule } from './live/index.js'
import type { Clock, EventBus, Metrics, Signer } from './platform/index.js'
import type { ProgrammeModule } from './programme/index.js'
import type { ProvisioningModule } from './provisioning/index.js'
import type { ReportsModule } from './reports/index.js'

/** Health of the parts the controller depends on. */
export interface HealthReport {
  status: 'ok' | 'degraded'
  uptimeSec: number
  version: string
  tz: string
  broker: { mode: 'embedded' | 'external'; connected: boolean; clients: number | null }
  database: { ok: boolean; error?: string }
  mqtt: { received: number; rejected: number; failed: number; limited: number }
  ingest: { stored: number; duplicates: number; pending: number }
}

/** Everything HTTP routes may reach, through `fastify.deps` (STYLE rule 11). */
export interface AppDeps {
  config: Config
  log: Logger
  clock: Clock
  bus: EventBus
  /**
   * Every module's services (its `services`), under one name each: a service a module adds is
   * reachable here without another edit.
   */
  services: ProvisioningModule['services'] &
    ProgrammeModule['services'] &
    ReportsModule['services'] &
    FleetModule['services'] &
    IngestModule['services'] &
    AccountsModule['services'] &
    LiveModule['services'] & { metrics: Metrics }
  health(): HealthReport
  /** The controller's plan and command signing key. */
  signer: Signer
  webRoot: string
}
