import { createAuditRepository } from './accounts/repositories/audit-repository.js'
import { createSessionsRepository } from './accounts/repositories/sessions-repository.js'
import { createTokensRepository } from './accounts/repositories/tokens-repository.js'
import { createUsersRepository } from './accounts/repositories/users-repository.js'
import { createAlertsRepository } from './fleet/repositories/alerts-repository.js'
import { createCommandsRepository } from './fleet/repositories/commands-repository.js'
import { createTelemetryRepository } from './fleet/repositories/telemetry-repository.js'
import { createEventsRepository } from './ingest/repositories/events-repository.js'
import { createLiveRepository } from './live/repositories/live-repository.js'
import type { Db } from './platform/database.js'
import { createRunsRepository } from './platform/repositories/runs-repository.js'
import { createAnnouncementsRepository } from './programme/repositories/announcements-repository.js'
import { createAudioRepository } from './programme/repositories/audio-repository.js'
import { createCalendarRepository } from './programme/repositories/calendar-repository.js'
import { createColumnsRepository } from './programme/repositories/columns-repository.js'
import { createDaysRepository } from './programme/repositories/days-repository.js'
import { createOfficialCalendarRepository } from './programme/repositories/official-calendar-repository.js'
import { createPlansRepository } from './programme/repositories/plans-repository.js'
import { createProgrammeRepository } from './programme/repositories/programme-repository.js'
import { createTemplatesRepository } from './programme/repositories/templates-repository.js'
import { createEnrollmentsRepository } from './provisioning/repositories/enrollments-repository.js'
import { createNodeKeysRepository } from './provisioning/repositories/node-keys-repository.js'
import { createNodeSearchRepository } from './provisioning/repositories/node-search.js'
import { createNodesRepository } from './provisioning/repositories/nodes-repository.js'
import { createZonesRepository } from './provisioning/repositories/zones-repository.js'
import { createReportsRepository } from './reports/repositories/reports-repository.js'

/** Creates every repository over one database handle. */
export function createRepositories(db: Db) {
  return {
    zones: createZonesRepository(db),
    nodes: createNodesRepository(db),
    nodeSearch: createNodeSearchRepository(db),
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
    officialCalendar: createOfficialCalendarRepository(db),
    announcements: createAnnouncementsRepository(db),
    programme: createProgrammeRepository(db),
    reports: createReportsRepository(db),
    users: createUsersRepository(db),
    sessions: createSessionsRepository(db),
    tokens: createTokensRepository(db),
    audit: createAuditRepository(db),
    runs: createRunsRepository(db),
    live: createLiveRepository(db),
  }
}

/** All repositories. */
export type Repositories = ReturnType<typeof createRepositories>

/** The nodes table as every module but provisioning (its only writer) sees it. */
export type NodesReader = Pick<
  Repositories['nodes'],
  'get' | 'list' | 'secretHash' | 'findBySerial' | 'isOnline'
>

/** The zones table as every module but provisioning (its only writer) sees it. */
export type ZonesReader = Pick<
  Repositories['zones'],
  'get' | 'list' | 'findByName' | 'findByCode' | 'resolve' | 'usage' | 'nodeCounts'
>

/**
 * The repositories a module other than provisioning may be given: the nodes and zones tables
 * read-only (what a node reports is written through provisioning's node registry).
 */
export type SharedRepositories = Omit<Repositories, 'nodes' | 'zones'> & {
  nodes: NodesReader
  zones: ZonesReader
}

/** The same repositories with the nodes and zones tables narrowed to reading, at run time too. */
export function sharedRepositories(repos: Repositories): SharedRepositories {
  const { nodes, zones } = repos
  return {
    ...repos,
    nodes: {
      get: nodes.get,
      list: nodes.list,
      secretHash: nodes.secretHash,
      findBySerial: nodes.findBySerial,
      isOnline: nodes.isOnline,
    },
    zones: {
      get: zones.get,
      list: zones.list,
      findByName: zones.findByName,
      findByCode: zones.findByCode,
      resolve: zones.resolve,
      usage: zones.usage,
      nodeCounts: zones.nodeCounts,
    },
  }
}
