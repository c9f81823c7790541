import type { Logger } from 'pino'
import type { Config } from './config.js'
import type { Repositories } from './db/repositories/index.js'
import type { EventBus } from './events.js'
import type { Accounts } from './services/accounts.js'
import type { Alerts } from './services/alerts.js'
import type { Announcements } from './services/announcements.js'
import type { ApiTokens } from './services/api-tokens.js'
import type { AudioLibrary } from './services/audio-library.js'
import type { Audit } from './services/audit.js'
import type { Calendar } from './services/calendar.js'
import type { Columns } from './services/columns.js'
import type { Commands } from './services/commands.js'
import type { EventIngest } from './services/event-ingest.js'
import type { FleetMonitor } from './services/fleet-monitor.js'
import type { Incidents } from './services/incidents.js'
import type { Metrics } from './services/metrics.js'
import type { NodeHealth } from './services/node-health.js'
import type { NodeViews } from './services/node-views.js'
import type { PlanPublisher } from './services/plan-publisher.js'
import type { PlanStatus } from './services/plan-status.js'
import type { Programme } from './services/programme.js'
import type { Provisioning } from './services/provisioning.js'
import type { Reports } from './services/reports.js'
import type { Sessions } from './services/sessions.js'
import type { Signer } from './services/signer.js'
import type { Templates } from './services/templates.js'
import type { Clock } from './time.js'

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
  repos: Repositories
  services: {
    provisioning: Provisioning
    audio: AudioLibrary
    programme: Programme
    templates: Templates
    calendar: Calendar
    columns: Columns
    announcements: Announcements
    planStatus: PlanStatus
    reports: Reports
    plans: PlanPublisher
    fleet: FleetMonitor
    ingest: EventIngest
    health: NodeHealth
    nodes: NodeViews
    incidents: Incidents
    alerts: Alerts
    commands: Commands
    metrics: Metrics
    accounts: Accounts
    sessions: Sessions
    tokens: ApiTokens
    audit: Audit
  }
  health(): HealthReport
  /** The controller's plan and command signing key. */
  signer: Signer
  webRoot: string
}
