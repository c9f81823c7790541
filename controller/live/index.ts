import type { Logger } from 'pino'
import { reachesPlanNode } from '../../schedules/index.js'
import { type Audit, SYSTEM_ACTOR } from '../accounts/index.js'
import type { Config } from '../config.js'
import type { Clock, EventBus, Signer } from '../platform/index.js'
import { loadPlanInputs, type Publish } from '../programme/index.js'
import type { SharedRepositories } from '../repositories.js'
import { createLiveHub } from './hub.js'
import { createRelaySchedule } from './relay-schedule.js'

// The live module's public face: what other modules may import from it.
export type { LiveHub, LiveSessionInfo } from './hub.js'

/**
 * Live audio (issue 13): the hub that turns each live session (an officer's voice from the Talk
 * page, or a relayed stream) into one Opus stream fanned out to the zones' nodes in step, records
 * it and audits it; and the relay items (转播) of the running orders, opened and ended on the
 * controller's clock.
 */
export function createLiveModule(deps: {
  repos: Pick<
    SharedRepositories,
    | 'live'
    | 'nodes'
    | 'zones'
    | 'users'
    | 'announcements'
    | 'calendar'
    | 'officialCalendar'
    | 'columns'
    | 'days'
    | 'templates'
    | 'audio'
  >
  bus: EventBus
  clock: Clock
  log: Logger
  config: Pick<Config, 'tz'>
  signer: Signer
  publish: Publish
  audit: Audit
  zoneLineage: (zoneId: string) => string[]
  ffmpegPath: string
  dataDir: string
  /** The controller's address as nodes reach it (known once it listens). */
  controllerUrl: () => string
}) {
  const { repos, clock, log, bus } = deps
  const live = createLiveHub({
    clock,
    log,
    bus,
    sign: (m) => deps.signer.sign(m),
    publish: deps.publish,
    repo: repos.live,
    targets: (zoneIds, reach) => {
      const item = { ...reach, audience: reach?.audience ?? 'all', zones: zoneIds }
      return repos.nodes
        .list()
        .filter(
          (n) =>
            !n.retiredAt && reachesPlanNode(item, new Set(deps.zoneLineage(n.zoneId)), n.isTest),
        )
        .map((n) => n.id)
    },
    resolveZone: (z) => repos.zones.resolve(z)?.id ?? null,
    audit: (info, extra) =>
      deps.audit.record({
        by: info.by.startsWith('schedule:')
          ? SYSTEM_ACTOR
          : {
              actor: repos.users.get(info.by)?.username ?? info.by,
              actorKind: 'session',
              ip: null,
            },
        action: 'live.ended',
        target: info.id,
        details: {
          kind: info.kind,
          zones: info.zones,
          endReason: info.endReason,
          durationMs: extra.durationMs,
          nodes: extra.nodes,
          sounding: info.sounding.length,
          openedAt: new Date(info.openedAt).toISOString(),
        },
      }),
    ffmpegPath: deps.ffmpegPath,
    dataDir: deps.dataDir,
    streamUrl: (id) => `${deps.controllerUrl()}/api/live/${id}/stream`,
    tz: deps.config.tz,
  })
  const relays = createRelaySchedule({
    clock,
    log,
    bus,
    hub: live,
    tz: deps.config.tz,
    inputsOn: (date) => loadPlanInputs(repos, date, date),
  })
  return {
    name: 'live',
    services: { live },
    async start(): Promise<void> {
      await live.start()
      relays.start()
    },
    async stop(): Promise<void> {
      try {
        relays.stop()
      } finally {
        await live.stop()
      }
    },
  }
}

/** The live module. */
export type LiveModule = ReturnType<typeof createLiveModule>
