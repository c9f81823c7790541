import type { Db } from '../database.js'
import { createAlertsRepository } from './alerts-repository.js'
import { createAnnouncementsRepository } from './announcements-repository.js'
import { createAudioRepository } from './audio-repository.js'
import { createAuditRepository } from './audit-repository.js'
import { createCalendarRepository } from './calendar-repository.js'
import { createColumnsRepository } from './columns-repository.js'
import { createCommandsRepository } from './commands-repository.js'
import { createDaysRepository } from './days-repository.js'
import { createEnrollmentsRepository } from './enrollments-repository.js'
import { createEventsRepository } from './events-repository.js'
import { createNodeKeysRepository } from './node-keys-repository.js'
import { createNodesRepository } from './nodes-repository.js'
import { createPlansRepository } from './plans-repository.js'
import { createProgrammeRepository } from './programme-repository.js'
import { createReportsRepository } from './reports-repository.js'
import { createRunsRepository } from './runs-repository.js'
import { createSessionsRepository } from './sessions-repository.js'
import { createTelemetryRepository } from './telemetry-repository.js'
import { createTemplatesRepository } from './templates-repository.js'
import { createTokensRepository } from './tokens-repository.js'
import { createUsersRepository } from './users-repository.js'
import { createZonesRepository } from './zones-repository.js'

/** Creates every repository over one database handle. */
export function createRepositories(db: Db) {
  return {
    zones: createZonesRepository(db),
    nodes: createNodesRepository(db),
    nodeKeys: createNodeKeysRepository(db),
    audio: createAudioRepository(db),
    days: createDaysRepository(db),
    plans: createPlansRepository(db),
    events: createEventsRepository(db),
    telemetry: createTelemetryRepository(db),
    commands: createCommandsRepository(db),
    alerts: createAlertsRepository(db),
    enrollments: createEnrollmentsRepository(db),
    columns: createColumnsRepository(db),
    templates: createTemplatesRepository(db),
    calendar: createCalendarRepository(db),
    announcements: createAnnouncementsRepository(db),
    programme: createProgrammeRepository(db),
    reports: createReportsRepository(db),
    users: createUsersRepository(db),
    sessions: createSessionsRepository(db),
    tokens: createTokensRepository(db),
    audit: createAuditRepository(db),
    runs: createRunsRepository(db),
  }
}

/** All repositories. */
export type Repositories = ReturnType<typeof createRepositories>
