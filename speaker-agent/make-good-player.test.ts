import { describe, expect, it, onTestFinished } from 'vitest'
import type { AgentEvent, PlanItem } from '../protocol/index.js'
import { createManualClock } from '../testing/manual-clock.js'
import { createMakeGood } from './make-good-player.js'
import { createPlayer } from './player.js'
import { clockSink, item, plan } from './testing/player-harness.js'
import { silentLogger } from './testing/tmp-dir.js'

const MIN = 60_000

/** A player wrapped in the make-good layer, on a manual clock; the audio can be made missing. */
function setup() {
  const clock = createManualClock()
  const events: AgentEvent[] = []
  const durations = new Map<string, number>()
  const state = { audio: true, connected: true }
  const log = () => {
    const m = new Map<string, number>()
    return { has: (id: string) => m.has(id), add: (id: string, at: number) => void m.set(id, at) }
  }
  const makeGood = createMakeGood({
    clock,
    report: (e) => events.push(e),
    log: silentLogger(),
    lateToleranceMs: 5000,
    played: log(),
    missed: log(),
    connected: () => state.connected,
  })
  const player = makeGood.wrap(
    createPlayer({
      clock,
      sink: clockSink(clock, durations),
      cache: {
        ensure: async (i: PlanItem) => {
          if (!state.audio) throw Object.assign(new Error('offline'), { code: 'AGENT_DOWNLOAD' })
          durations.set(`/cache/${i.itemId}`, i.durationMs)
          return `/cache/${i.itemId}`
        },
      },
      report: makeGood.report,
      log: silentLogger(),
      lateToleranceMs: 5000,
      getVolume: () => 80,
    }),
  )
  onTestFinished(() => player.stop())
  const summary = () =>
    events.map((e) => {
      const mg = 'makeGood' in e && e.makeGood ? ' make-good' : ''
      const why = 'reason' in e ? ` ${e.reason}` : ''
      return `${'itemId' in e ? e.itemId : ''} ${e.type}${why}${mg}`
    })
  return { clock, events, state, player, makeGood, summary }
}

describe('make-good on a running agent', () => {
  it('reports a segment missed offline without its audio, and makes it good after reconnecting', async () => {
    const { clock, state, player, makeGood, summary, events } = setup()
    const until = new Date(clock.now() + 2 * 3_600_000).toISOString()
    const news = item(clock, 'news', MIN, { makeGoodUntil: until })
    const next = item(clock, 'next', 30 * MIN)
    state.audio = false
    state.connected = false
    player.setPlan(plan([news, next]))
    await clock.advance(MIN + 10_000 + 5001) // past the news slot
    expect(summary()).toEqual(['news play.failed download', 'news play.missed offline'])
    await clock.advance(5000) // the first make-good has no audio either
    expect(summary().slice(2)).toEqual(['news play.failed download make-good'])

    state.audio = true
    state.connected = true
    makeGood.reconsider()
    await clock.advance(5000)
    await clock.advance(15_000)
    expect(summary().slice(3)).toEqual([
      'news play.started make-good',
      'news play.finished make-good',
    ])
    const finished = events.at(-1)
    expect(finished).toMatchObject({ scheduledAt: news.startAt, makeGood: true })
    // It took the first gap, well before the next item, which still plays at its instant.
    expect(Date.parse((finished as { makeGoodAt: string }).makeGoodAt)).toBeLessThan(
      Date.parse(next.startAt),
    )
    await clock.advance(30 * MIN)
    expect(summary().slice(5)).toEqual(['next play.started', 'next play.finished'])
  })

  it('reports a segment cut by an announcement for good as interrupted, and makes it good', async () => {
    const { clock, player, summary } = setup()
    const until = new Date(clock.now() + 2 * 3_600_000).toISOString()
    const news = item(clock, 'news', MIN, { makeGoodUntil: until })
    const ann = item(clock, 'ann', MIN + 1000, {
      kind: 'announcement',
      priority: 80,
      durationMs: 20_000,
    })
    player.setPlan(plan([news, ann]))
    await clock.advance(2 * MIN)
    // The miss is told when the news slot is over (the announcement still sounding); the
    // make-good waits for the announcement to end.
    expect(summary()).toEqual([
      'news play.started',
      'news play.interrupted preempted',
      'ann play.started',
      'news play.missed interrupted',
      'ann play.finished',
      'news play.started make-good',
      'news play.finished make-good',
    ])
  })

  it('leaves a missed segment without makeGoodUntil reported but not replayed', async () => {
    const { clock, state, player, summary } = setup()
    state.audio = false
    player.setPlan(plan([item(clock, 'weather', MIN)]))
    await clock.advance(MIN + 20_000)
    state.audio = true
    await clock.advance(60 * MIN)
    expect(summary()).toEqual(['weather play.failed download', 'weather play.missed no-audio'])
  })
})
