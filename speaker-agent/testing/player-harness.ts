import { onTestFinished } from 'vitest'
import type { PlayOptions, PlayResult, Sink } from '../../audio/index.js'
import type { AgentEvent, PlanItem, PlanMessage } from '../../protocol/index.js'
import { type Clock, isoAt } from '../clock.js'
import { createPlayer } from '../player.js'
import { createManualClock, type ManualClock } from './manual-clock.js'
import { silentLogger } from './tmp-dir.js'

/** The sha256 every test item names. */
export const SHA = 'a'.repeat(64)

/** A plan item starting `inMs` after the clock's now, 10 s long, priority 10 unless overridden. */
export function item(
  clock: Clock,
  id: string,
  inMs: number,
  extra: Partial<PlanItem> = {},
): PlanItem {
  return {
    itemId: id,
    startAt: isoAt(clock.now() + inMs),
    audioId: `audio-${id}`,
    sha256: SHA,
    sizeBytes: 100,
    durationMs: 10_000,
    url: `/audio/${id}.mp3`,
    title: id,
    priority: 10,
    ...extra,
  }
}

/** A plan message holding `items`. */
export function plan(items: PlanItem[], version = 'v1'): PlanMessage {
  return {
    v: 1,
    nodeId: 'n1',
    version,
    generatedAt: '2026-11-27T00:00:00.000Z',
    tz: 'Asia/Shanghai',
    dates: ['2026-11-27'],
    items,
  }
}

/** A sink that "plays" for the duration the test gives each file, on the manual clock. */
export function clockSink(
  clock: ManualClock,
  durations: Map<string, number>,
  calls: { file: string; opts: PlayOptions }[] = [],
): Sink {
  return {
    spec: 'test',
    play(file: string, opts: PlayOptions): Promise<PlayResult> {
      calls.push({ file, opts })
      return new Promise((resolve, reject) => {
        const startedAt = clock.now()
        const ms = (durations.get(file) ?? 1000) - (opts.offsetMs ?? 0)
        const cancel = clock.setTimer(startedAt + ms, () =>
          resolve({ startedAt, endedAt: clock.now(), playedMs: ms, rmsDb: -20.5, peakDb: -3 }),
        )
        opts.signal?.addEventListener('abort', () => {
          cancel()
          reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))
        })
      })
    },
  }
}

/** A player on a manual clock with a clock-paced sink; events and sink calls are recorded. */
export function setupPlayer(opts: { failEnsure?: Error; played?: Map<string, number> } = {}) {
  const clock = createManualClock()
  const events: AgentEvent[] = []
  const durations = new Map<string, number>()
  const calls: { file: string; opts: PlayOptions }[] = []
  const player = createPlayer({
    clock,
    sink: clockSink(clock, durations, calls),
    cache: {
      ensure: async (i) => {
        if (opts.failEnsure) throw opts.failEnsure
        durations.set(`/cache/${i.itemId}`, i.durationMs)
        return `/cache/${i.itemId}`
      },
    },
    report: (e) => events.push(e),
    log: silentLogger(),
    lateToleranceMs: 5000,
    getVolume: () => 80,
    ...(opts.played
      ? {
          played: {
            has: (id) => opts.played?.has(id) ?? false,
            add: (id, at) => void opts.played?.set(id, at),
          },
        }
      : {}),
  })
  onTestFinished(() => player.stop())
  const summary = () =>
    events.map((e) =>
      e.type === 'play.failed'
        ? `${e.itemId} failed ${e.reason}`
        : `${'itemId' in e ? e.itemId : ''} ${e.type}`,
    )
  return { clock, events, calls, player, summary }
}
