import { onTestFinished } from 'vitest'
import type { PlayOptions, PlayResult, Prepared, Sink } from '../../audio/index.js'
import type { AgentEvent, PlanItem, PlanMessage } from '../../protocol/index.js'
import { createManualClock } from '../../testing/manual-clock.js'
import { type Clock, isoAt } from '../clock.js'
import { createPlayer } from '../player.js'
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

/**
 * A sink that "plays" for the duration the test gives each file, on the manual clock: `prepare`
 * is ready at once, `start(at)` releases the first sample exactly at `at` (or now, if past).
 */
export function clockSink(
  clock: Clock,
  durations: Map<string, number>,
  calls: { file: string; opts: PlayOptions }[] = [],
): Sink {
  const aborted = () => Object.assign(new Error('aborted'), { name: 'AbortError' })
  async function prepare(file: string, opts: PlayOptions): Promise<Prepared> {
    calls.push({ file, opts })
    const ms = (durations.get(file) ?? 1000) - (opts.offsetMs ?? 0)
    const stops: Array<() => void> = []
    let abortedYet = false
    const abort = () => {
      abortedYet = true
      for (const stop of stops.splice(0)) stop()
    }
    opts.signal?.addEventListener('abort', abort, { once: true })
    return {
      durationMs: ms,
      start(at) {
        let first!: (at: number) => void
        const firstSampleAt = new Promise<number>((resolve) => {
          first = resolve
        })
        const done = new Promise<PlayResult>((resolve, reject) => {
          if (abortedYet) return reject(aborted())
          const startedAt = Math.max(at, clock.now())
          let cancel = clock.setTimer(startedAt, () => {
            first(startedAt)
            cancel = clock.setTimer(startedAt + ms, () =>
              resolve({ startedAt, endedAt: clock.now(), playedMs: ms, rmsDb: -20.5, peakDb: -3 }),
            )
          })
          stops.push(() => {
            cancel()
            reject(aborted())
          })
        })
        done.catch(() => undefined)
        return { firstSampleAt, done }
      },
      abort,
    }
  }
  return {
    spec: 'test',
    prepare,
    async play(file: string, opts: PlayOptions): Promise<PlayResult> {
      return (await prepare(file, opts)).start(clock.now()).done
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
