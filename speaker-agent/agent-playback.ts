/**
 * @module agent-playback
 * The agent's playback: the player, make-good around it (segments missed while offline), the
 * logs of what was played or reported missed, and the hash check armed before each item.
 */
import { join } from 'node:path'
import type { Logger } from 'pino'
import type { Sink } from '../audio/index.js'
import type { AudioCache } from './audio-cache.js'
import type { Clock } from './clock.js'
import type { ReportEvent } from './events.js'
import type { WriteFile } from './file-writer.js'
import { createMakeGood } from './make-good-player.js'
import { createPlayedLog } from './played-log.js'
import { createPlayer, type Player } from './player.js'
import { createPreVerifier } from './pre-verify.js'

export function createPlayback(deps: {
  dataDir: string
  /** How the played logs are written (agent-types.ts `AgentOptions.writeFile`). */
  writeFile?: WriteFile
  clock: Clock
  log: Logger
  report: ReportEvent
  cache: AudioCache
  sink: Pick<Sink, 'play' | 'prepare'>
  lateToleranceMs: number
  getVolume: () => number
  connected: () => boolean
}) {
  const { clock, log, cache, lateToleranceMs } = deps
  // Announcements and segments played to their end; segments whose miss was reported.
  const played = createPlayedLog(
    join(deps.dataDir, 'announcements-played.json'),
    log,
    deps.writeFile,
  )
  const missed = createPlayedLog(join(deps.dataDir, 'segments-missed.json'), log, deps.writeFile)
  const makeGood = createMakeGood({
    clock,
    report: deps.report,
    log,
    lateToleranceMs,
    played,
    missed,
    connected: deps.connected,
  })
  const player = makeGood.wrap(
    createPlayer({
      played,
      clock,
      sink: deps.sink,
      cache,
      report: makeGood.report,
      log: log.child({ module: 'player' }),
      lateToleranceMs,
      getVolume: deps.getVolume,
    }),
  )
  const preVerify = createPreVerifier({ clock, cache, log: log.child({ module: 'pre-verify' }) })
  // Each plan also arms the hash of each item's file a few seconds before it plays.
  const armed: Player = {
    ...player,
    setPlan(plan) {
      player.setPlan(plan)
      preVerify.setPlan(plan)
    },
  }
  return { played, missed, makeGood, preVerify, player: armed }
}
