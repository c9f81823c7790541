import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { createManualClock, settle } from '../testing/manual-clock.js'
import { isoAt } from './clock.js'
import { stampEvent } from './events.js'
import { createNowPlaying, HEARTBEAT_MS } from './now-playing.js'
import { makeTempDir, silentLogger } from './testing/tmp-dir.js'

describe('now-playing marker', () => {
  it('turns an item cut by a dead process into play.interrupted (crash) up to the last heartbeat', async () => {
    const { dir, cleanup } = await makeTempDir()
    onTestFinished(cleanup)
    const t0 = Date.parse('2026-12-06T08:00:00Z')
    const clock = createManualClock(t0)
    const deps = { dataDir: dir, clock, log: silentLogger(), durationOf: () => 60_000 }
    const first = createNowPlaying(deps)
    const started = stampEvent(clock, {
      type: 'play.started',
      itemId: '2026-12-06/a',
      audioId: 'a1',
      scheduledAt: isoAt(t0),
      deviationMs: 0,
    })
    first.observe(started, Promise.resolve())
    for (let i = 0; i < 7; i++) {
      await clock.advance(HEARTBEAT_MS)
      await settle()
    }
    // The process dies here: nothing removes the marker. The next start finds it.
    await first.stop()
    expect(existsSync(join(dir, 'now-playing.json'))).toBe(true)
    const second = createNowPlaying(deps)
    const event = await second.recover()
    expect(event).toMatchObject({
      type: 'play.interrupted',
      itemId: '2026-12-06/a',
      reason: 'crash',
      startedAt: isoAt(t0),
      playedMs: 7 * HEARTBEAT_MS,
    })
    await second.clear()
    expect(await second.recover()).toBeNull()
  })

  it('is removed once the final event of the item is stored', async () => {
    const { dir, cleanup } = await makeTempDir()
    onTestFinished(cleanup)
    const clock = createManualClock()
    const np = createNowPlaying({
      dataDir: dir,
      clock,
      log: silentLogger(),
      durationOf: () => 1000,
    })
    const base = { itemId: 'd/x', audioId: 'a', scheduledAt: isoAt(clock.now()) }
    np.observe(
      stampEvent(clock, { type: 'play.started', ...base, deviationMs: 0 }),
      Promise.resolve(),
    )
    let storeFinish = (): void => undefined
    const stored = new Promise<void>((resolve) => {
      storeFinish = resolve
    })
    np.observe(
      stampEvent(clock, {
        type: 'play.failed',
        ...base,
        reason: 'sink' as never,
      }),
      stored,
    )
    // Not yet stored: a crash now must still leave the marker.
    await vi.waitFor(() => expect(existsSync(join(dir, 'now-playing.json'))).toBe(true))
    await settle()
    expect(existsSync(join(dir, 'now-playing.json'))).toBe(true)
    storeFinish()
    await settle()
    await np.stop()
    expect(existsSync(join(dir, 'now-playing.json'))).toBe(false)
  })
})
