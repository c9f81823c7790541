import type { Logger } from 'pino'
import type { Config } from '../config.js'
import type { Clock, EventBus } from '../platform/index.js'
import { createAnnouncements } from './announcements.js'
import { createCalendar } from './calendar.js'
import { createColumns } from './columns.js'
import { createHolidays } from './holidays.js'
import { createPlanStatus } from './plan-status.js'
import { createProgramme } from './programme.js'
import type { ProgrammeRepos } from './programme-inputs.js'
import { createTemplates } from './templates.js'

/**
 * The propaganda office's services (issue 3), created together because they share their
 * dependencies: templates, date orders, the calendar, columns, announcements, plan status and
 * readiness. Each write commits and announces itself on the bus
 * (`programmeChanged`); plan publication listens and re-plans after, off the request path.
 */
export function createProgrammeServices(deps: {
  repos: ProgrammeRepos
  bus: EventBus
  clock: Clock
  log: Logger
  config: Pick<
    Config,
    'tz' | 'horizonDays' | 'quietHours' | 'announcementMaxDelaySec' | 'silentThresholdDb'
  >
}) {
  const { repos, bus, clock, log, config } = deps
  const base = { repos, bus, clock, log }
  const horizonDays = config.horizonDays
  const templates = createTemplates({
    ...base,
    quietHours: config.quietHours,
    horizonDays,
    tz: config.tz,
  })
  const programme = createProgramme({
    ...base,
    horizonDays,
    templates,
    quietHours: config.quietHours,
  })
  const calendar = createCalendar({ ...base, templates })
  const columns = createColumns({ ...base, tz: config.tz })
  const holidays = createHolidays({
    repo: repos.officialCalendar,
    bus,
    clock,
    log,
    tz: config.tz,
  })
  const announcements = createAnnouncements({
    ...base,
    tz: config.tz,
    maxDelaySec: config.announcementMaxDelaySec,
    silentThresholdDb: config.silentThresholdDb,
  })
  const planStatus = createPlanStatus({
    repos,
    clock,
    tz: config.tz,
    horizonDays: config.horizonDays,
  })
  return {
    templates,
    programme,
    calendar,
    holidays,
    columns,
    announcements,
    planStatus,
    /** Seeds the templates of a new install and starts listening to the bus. */
    start(): void {
      templates.seed()
      announcements.start()
    },
    stop(): void {
      announcements.stop()
    },
  }
}

/** The programme services. */
export type ProgrammeServices = ReturnType<typeof createProgrammeServices>
