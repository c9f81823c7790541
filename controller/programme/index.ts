import type { Logger } from 'pino'
import type { Config } from '../config.js'
import type { Clock, EventBus, Signer } from '../platform/index.js'
import type { Provisioning } from '../provisioning/index.js'
import { createAudioLibrary } from './audio-library.js'
import { createDayBoundary } from './day-boundary.js'
import { createFileAccess } from './file-access.js'
import { createPlanChanges } from './plan-changes.js'
import { createPlanPublisher, type Publish } from './plan-publisher.js'
import { FULL_SCOPE } from './plan-scope.js'
import type { ProgrammeRepos } from './programme-inputs.js'
import { createProgrammeLedger } from './programme-ledger.js'
import { createProgrammeServices } from './programme-services.js'

// The programme module's public face: what other modules may import from it.
export type { Publish } from './plan-publisher.js'
export { loadPlanInputs, type PlanInputRepos } from './programme-inputs.js'

/**
 * The programme: the audio library, date orders, templates, calendar and holidays, columns,
 * announcements, plan status and readiness, and plan publication that turns them into signed
 * plans per node. A write commits and announces itself on the bus; plan changes re-plan after,
 * coalesced. `start()` seeds templates and listens to the bus (before MQTT opens); `online`
 * publishes every node's plan and starts the day boundary once the MQTT connection is up.
 */
export function createProgrammeModule(deps: {
  repos: ProgrammeRepos
  bus: EventBus
  clock: Clock
  log: Logger
  config: Pick<
    Config,
    | 'tz'
    | 'horizonDays'
    | 'quietHours'
    | 'maxAudioMinutes'
    | 'announcementMaxDelaySec'
    | 'silentThresholdDb'
    | 'planCoalesceMs'
    | 'planMaxWaitMs'
  >
  dataDir: string
  ffmpegPath: string
  signer: Pick<Signer, 'sign'>
  provisioning: Provisioning
  publish: Publish
  isConnected: () => boolean
  /** What else rolls over at midnight (the fleet's telemetry retention). */
  onNewDay: () => void
}) {
  const { repos, bus, clock, log, config } = deps
  const plans = createPlanPublisher({
    sign: (m, known, digest) => deps.signer.sign(m, known, digest),
    repos,
    provisioning: deps.provisioning,
    clock,
    log,
    tz: config.tz,
    horizonDays: config.horizonDays,
    quietHours: config.quietHours,
    publish: deps.publish,
    isConnected: deps.isConnected,
    ledger: createProgrammeLedger({ repos, bus, clock }),
  })
  // Programme writes commit and answer; this re-plans after them, coalesced (issue 12).
  const changes = createPlanChanges({
    bus,
    log,
    replan: plans.refresh,
    debounceMs: config.planCoalesceMs,
    maxWaitMs: config.planMaxWaitMs,
    now: () => clock.now(),
  })
  const audio = createAudioLibrary({
    repos,
    bus,
    clock,
    log,
    ffmpegPath: deps.ffmpegPath,
    dataDir: deps.dataDir,
    maxAudioMinutes: config.maxAudioMinutes,
    tz: config.tz,
    horizonDays: config.horizonDays,
  })
  const office = createProgrammeServices({
    repos,
    bus,
    clock,
    log,
    config,
  })
  const dayBoundary = createDayBoundary({
    tz: config.tz,
    clock,
    log,
    onNewDay: async () => {
      deps.onNewDay()
      const horizonMs = (config.horizonDays + 1) * 2 * 86_400_000
      repos.programme.pruneDigests(new Date(clock.now() - horizonMs).toISOString())
      // Through plan publication's queue: one re-plan at a time, never two interleaved.
      changes.request('day boundary', FULL_SCOPE)
      return changes.idle()
    },
  })
  return {
    name: 'programme',
    services: {
      plans,
      audio,
      programme: office.programme,
      templates: office.templates,
      calendar: office.calendar,
      holidays: office.holidays,
      columns: office.columns,
      announcements: office.announcements,
      planStatus: office.planStatus,
      files: createFileAccess({ repos, clock }),
    },
    /** Plan publication's queue (tests and benchmarks await `idle()`). */
    changes,
    /** Zone membership changed: every node is re-planned, through the same queue. */
    zoneMoved(): void {
      changes.request('zone moved', FULL_SCOPE)
    },
    start(): void {
      office.start()
    },
    stop(): void {
      office.stop()
    },
    /** Started once MQTT is up: listening for changes, every node's plan, then the midnight roll. */
    online: {
      name: 'programme plans',
      async start(): Promise<void> {
        changes.start()
        await plans.refreshAll('start')
        dayBoundary.start()
      },
      async stop(): Promise<void> {
        await dayBoundary.stop()
        // A re-plan under way finishes while the database and the broker are still there; what
        // is still pending is re-planned by the next start.
        await changes.stop()
      },
    },
  }
}

/** The programme module. */
export type ProgrammeModule = ReturnType<typeof createProgrammeModule>
