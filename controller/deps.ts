import type { Logger } from 'pino'
import type { Accounts } from './accounts/accounts.js'
import type { ApiTokens } from './accounts/api-tokens.js'
import type { Audit } from './accounts/audit.js'
import type { Sessions } from './accounts/sessions.js'
import type { Config } from './config.js'
import type { Alerts } from './fleet/alerts.js'
import type { Commands } from './fleet/commands.js'
import type { FleetMonitor } from './fleet/fleet-monitor.js'
import type { Incidents } from './fleet/incidents.js'
import type { NodeHealth } from './fleet/node-health.js'
import type { NodeViews } from './fleet/node-views.js'
import type { EventIngest } from './ingest/event-ingest.js'
import type { LiveHub } from './live/hub.js'
import type { EventBus } from './platform/events.js'
import type { Metrics } from './platform/metrics.js'
import type { Signer } from './platform/signer.js'
import type { Clock } from './platform/time.js'
import type { Announcements } from './programme/announcements.js'
import type { AudioLibrary } from './programme/audio-library.js'
import type { Calendar } from './programme/calendar.js'
import type { Columns } from './programme/columns.js'
import type { Holidays } from './programme/holidays.js'
import type { PlanPublisher } from './programme/plan-publisher.js'
import type { PlanStatus } from './programme/plan-status.js'
import type { Programme } from './programme/programme.js'
import type { Templates } from './programme/templates.js'
import type { Provisioning } from './provisioning/provisioning.js'
import type { Speakers } from './provisioning/speakers.js'
import type { Zones } from './provisioning/zones.js'
import type { Reports } from './reports/reports.js'
import type { Repositories } from './repositories.js'

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
    zones: Zones
    speakers: Speakers
    audio: AudioLibrary
    programme: Programme
    templates: Templates
    calendar: Calendar
    holidays: Holidays
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
    live: LiveHub
  }
  health(): HealthReport
  /** The controller's plan and command signing key. */
  signer: Signer
  webRoot: string
}
