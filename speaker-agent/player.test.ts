import { join } from 'node:path'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { createSink, generateTone, resolveFfmpegPath } from '../audio/index.js'
import type { AgentEvent } from '../protocol/index.js'
import { createSystemClock } from './clock.js'
import { AGENT_CHECKSUM, AgentError } from './errors.js'
import { createPlayer } from './player.js'
import { item, plan, SHA, setupPlayer } from './testing/player-harness.js'
import { makeTempDir, silentLogger } from './testing/tmp-dir.js'

const setup = setupPlayer

describe('player', () => {
  it('plays an item at its instant and reports start and finish', async () => {
    const t = setup()
    t.player.setPlan(plan([item(t.clock, 'news', 10_000)]))
    await t.clock.advance(9_999)
    expect(t.events).toEqual([])
    await t.clock.advance(1)
    expect(t.player.playing()).toBe('news')
    expect(t.events[0]).toMatchObject({ type: 'play.started', itemId: 'news', deviationMs: 0 })
    await t.clock.advance(10_000)
    expect(t.events[1]).toMatchObject({
      type: 'play.finished',
      itemId: 'news',
      sha256: SHA,
      volume: 80,
      playedMs: 10_000,
      rmsDb: -20.5,
      peakDb: -3,
    })
    expect(t.player.playing()).toBeNull()
  })

  it('reports an item missed by more than the tolerance as late, once, and skips old history', async () => {
    const t = setup()
    const items = [
      item(t.clock, 'missed', -8_000, { durationMs: 60_000 }),
      item(t.clock, 'history', -3_600_000),
      item(t.clock, 'just-now', -2_000),
    ]
    t.player.setPlan(plan(items))
    await t.clock.advance(0)
    expect(t.summary()).toEqual(['missed failed late', 'just-now play.started'])
    expect(t.events[1]).toMatchObject({ deviationMs: 2000 })
    t.player.setPlan({ ...plan(items), version: 'v2' })
    await t.clock.advance(0)
    expect(t.summary()).toHaveLength(2)
  })

  it('lets a higher-priority item preempt the running one, reported play.interrupted', async () => {
    const t = setup()
    t.player.setPlan(
      plan([
        item(t.clock, 'culture', 1_000, { durationMs: 60_000, priority: 10 }),
        item(t.clock, 'urgent', 10_000, { durationMs: 5_000, priority: 90 }),
      ]),
    )
    await t.clock.advance(10_000)
    await vi.waitFor(() => expect(t.player.playing()).toBe('urgent'))
    await t.clock.advance(5_000)
    expect(t.summary()).toEqual([
      'culture play.started',
      'culture play.interrupted',
      'urgent play.started',
      'urgent play.finished',
    ])
    expect(t.events[1]).toMatchObject({ reason: 'preempted', byItemId: 'urgent', playedMs: 9000 })
    expect(t.events[2]).toMatchObject({ deviationMs: 0 })
  })

  it('makes a lower-priority item wait and reports it late when it cannot start in time', async () => {
    const t = setup()
    t.player.setPlan(
      plan([
        item(t.clock, 'long', 0, { durationMs: 20_000, priority: 50 }),
        item(t.clock, 'short', 1_000, { durationMs: 1_000, priority: 10 }),
        item(t.clock, 'after', 2_000, { durationMs: 1_000, priority: 10 }),
      ]),
    )
    await t.clock.advance(6_000)
    expect(t.summary()).toEqual(['long play.started'])
    await t.clock.advance(1)
    expect(t.summary()).toEqual(['long play.started', 'short failed late'])
    await t.clock.advance(14_000)
    expect(t.summary()).toEqual([
      'long play.started',
      'short failed late',
      'after failed late',
      'long play.finished',
    ])
  })

  it('starts a waiting item when the one before it ends within the tolerance', async () => {
    const t = setup()
    t.player.setPlan(
      plan([
        item(t.clock, 'first', 0, { durationMs: 3_000 }),
        item(t.clock, 'second', 1_000, { durationMs: 1_000 }),
      ]),
    )
    await t.clock.advance(3_000)
    expect(t.summary()).toEqual([
      'first play.started',
      'first play.finished',
      'second play.started',
    ])
    expect(t.events[2]).toMatchObject({ deviationMs: 2_000 })
  })

  it('reports a checksum failure and plays nothing', async () => {
    const t = setup({ failEnsure: new AgentError(AGENT_CHECKSUM, 'sha256 mismatch') })
    t.player.setPlan(plan([item(t.clock, 'bad', 1_000)]))
    await t.clock.advance(1_000)
    expect(t.events).toEqual([
      expect.objectContaining({
        type: 'play.failed',
        reason: 'checksum',
        error: 'sha256 mismatch',
      }),
    ])
  })

  it('clears every timer and interrupts playback when stopped', async () => {
    const t = setup()
    t.player.setPlan(plan([item(t.clock, 'a', 0), item(t.clock, 'b', 60_000)]))
    await t.clock.advance(0)
    expect(t.player.playing()).toBe('a')
    await t.player.stop()
    expect(t.summary()).toEqual(['a play.started', 'a play.interrupted'])
    expect(t.events[1]).toMatchObject({ reason: 'shutdown' })
    expect(t.clock.pending()).toBe(0)
  })
})

describe('player with the real null sink', () => {
  it('starts a prefetched item on time through ffmpeg', async () => {
    const { dir, cleanup } = await makeTempDir()
    onTestFinished(cleanup)
    const ffmpegPath = resolveFfmpegPath()
    const tone = join(dir, 'tone.wav')
    await generateTone(ffmpegPath, tone, { seconds: 0.5, frequencyHz: 1000, format: 'wav' })
    const clock = createSystemClock()
    const events: AgentEvent[] = []
    const player = createPlayer({
      clock,
      sink: createSink('null', { ffmpegPath, now: clock.now }),
      cache: { ensure: async () => tone },
      report: (e) => events.push(e),
      log: silentLogger(),
      lateToleranceMs: 5000,
      getVolume: () => 100,
    })
    onTestFinished(() => player.stop())
    player.setPlan(plan([item(clock, 'tone', 300, { durationMs: 500 })]))
    await vi.waitFor(() => expect(events.map((e) => e.type)).toContain('play.finished'), {
      timeout: 10_000,
    })
    const started = events.find((e) => e.type === 'play.started')
    const finished = events.find((e) => e.type === 'play.finished')
    expect(started && 'deviationMs' in started && started.deviationMs).toBeLessThan(100)
    expect(finished).toMatchObject({ type: 'play.finished', volume: 100 })
    expect(finished && 'rmsDb' in finished && finished.rmsDb).toBeLessThan(0)
  })
})
