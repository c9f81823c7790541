import { join } from 'node:path'
import type { CommandKind, CommandMessage } from '../../protocol/index.js'
import { type Clock, isoAt } from '../clock.js'
import type { HandlerContext } from '../context.js'
import { errorMessage } from '../errors.js'
import { type CommandAckEvent, stampEvent } from '../events.js'
import { toneFile } from '../tones.js'

/** How many handled command ids are remembered to answer redeliveries without re-running. */
export const REMEMBERED_COMMANDS = 1000

/** Extra fields of an acknowledgement. */
export interface AckExtra {
  error?: string
  result?: Record<string, unknown>
}

/** Builds the `cmd.ack` event answering `cmd` (the one place acks are made; STYLE rule 5). */
export function ackFor(
  clock: Clock,
  cmd: CommandMessage,
  status: CommandAckEvent['status'],
  extra: AckExtra = {},
): CommandAckEvent {
  return stampEvent(clock, { type: 'cmd.ack', cmdId: cmd.id, status, ...extra })
}

/**
 * Handles a `cmd` message: runs it once and acks it; a redelivered id is acked again from memory
 * and not run twice; an expired command is acked `expired` without running.
 */
export async function handleCmd(cmd: CommandMessage, ctx: HandlerContext): Promise<void> {
  if (cmd.kind === 'live.start' || cmd.kind === 'live.stop') return handleLive(cmd, ctx)
  const seen = ctx.commands.get(cmd.id)
  if (seen === 'running') return
  if (seen) {
    ctx.report(seen)
    return
  }
  remember(ctx.commands, cmd.id, 'running')
  const kind = cmd.kind as CommandKind
  let ack: CommandAckEvent
  try {
    ack = await run(cmd, kind, ctx)
  } catch (err) {
    ack = ackFor(ctx.clock, cmd, 'error', { error: errorMessage(err) })
  }
  remember(ctx.commands, cmd.id, ack)
  ctx.report(ack)
  ctx.log.info({ cmdId: cmd.id, kind, status: ack.status }, 'command handled')
  if (kind === 'restart' && ack.status === 'ok') ctx.onRestartRequested()
}

async function run(
  cmd: CommandMessage,
  kind: CommandKind,
  ctx: HandlerContext,
): Promise<CommandAckEvent> {
  const { clock } = ctx
  const receivedAt = isoAt(clock.now())
  if (Date.parse(cmd.expiresAt) < clock.now()) return ackFor(clock, cmd, 'expired')
  switch (kind) {
    case 'ping':
      return ackFor(clock, cmd, 'ok', { result: { receivedAt } })
    case 'testTone': {
      const seconds = cmd.params?.seconds ?? 3
      const file = await toneFile(
        {
          dir: join(ctx.dataDir, 'tones'),
          ffmpegPath: ctx.ffmpegPath,
          now: () => ctx.clock.now(),
          signal: ctx.signal,
        },
        seconds,
      )
      const r = await ctx.player.playAdhoc(file, 'test-tone')
      const result = { seconds, volume: ctx.state.volume, playedMs: Math.round(r.playedMs) }
      return ackFor(clock, cmd, 'ok', { result: { ...result, rmsDb: r.rmsDb, peakDb: r.peakDb } })
    }
    case 'setVolume': {
      const volume = cmd.params?.volume
      if (volume === undefined) {
        return ackFor(clock, cmd, 'error', { error: 'params.volume is required' })
      }
      ctx.state.volume = volume
      await ctx.stateStore.save({ volume })
      return ackFor(clock, cmd, 'ok', { result: { volume } })
    }
    case 'stop':
      return ackFor(clock, cmd, 'ok', { result: { stopped: ctx.player.stopPlayback() } })
    case 'resync':
      ctx.state.forceReplan = true
      await ctx.publishBirth('rebirth', null)
      return ackFor(clock, cmd, 'ok')
    case 'restart':
      return ackFor(clock, cmd, 'ok')
    default: {
      const unknown: never = kind
      return ackFor(clock, cmd, 'error', { error: `unknown command ${String(unknown)}` })
    }
  }
}

/**
 * `live.start` / `live.stop` (issue 13): handed to the live sessions, not acknowledged (the
 * controller follows a session by the play events of its item, `live:<sessionId>`).
 */
function handleLive(cmd: CommandMessage, ctx: HandlerContext): void {
  if (cmd.kind === 'live.start' && cmd.liveStart) {
    if (Date.parse(cmd.expiresAt) < ctx.clock.now()) return
    ctx.live.start(cmd.liveStart)
  } else if (cmd.kind === 'live.stop' && cmd.liveStop) ctx.live.stop(cmd.liveStop)
  else ctx.log.warn({ cmdId: cmd.id, kind: cmd.kind }, 'live command without its parameters')
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key)
  map.set(key, value)
  if (map.size > REMEMBERED_COMMANDS) {
    const oldest = map.keys().next().value
    if (oldest !== undefined) map.delete(oldest)
  }
}
