import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { playOnManualClock } from '../../testing/live-audio.js'
import { createManualClock } from '../../testing/manual-clock.js'
import { resolveFfmpegPath } from '../ffmpeg-path.js'
import { runFfmpeg } from '../run-ffmpeg.js'
import { createSink } from './index.js'
import type { WavStart } from './wav.js'

const ffmpeg = resolveFfmpegPath()

describe('a clocked output started or fed late', () => {
  let dir: string
  let ogg: Buffer
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'chorus-starved-'))
    const file = path.join(dir, 'tone.ogg')
    const run = await runFfmpeg(
      ffmpeg,
      ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=2'].concat([
        '-ac',
        '1',
        '-c:a',
        'libopus',
        '-b:a',
        '32k',
        '-f',
        'ogg',
        '-y',
        file,
      ]),
      { timeoutMs: 10_000 },
    )
    expect(run.code).toBe(0)
    ogg = await readFile(file)
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('the wav sink logs when its modelled card ran dry and for how long', async () => {
    // Paced on a manual clock: a live stream whose second half comes 1.5 s (on that clock) after
    // the card ran dry on the first half (about 1 s of sound), as over a link that stalls.
    const clock = createManualClock()
    let dried: (frame: number) => void = () => undefined
    const ranDry = new Promise<number>((r) => {
      dried = r
    })
    const half = Math.floor(ogg.length / 2)
    async function* input() {
      yield ogg.subarray(0, half)
      await ranDry
      await new Promise<void>((r) => clock.after(1500, r))
      yield ogg.subarray(half)
    }
    const sink = createSink(`wav:${dir}`, { ffmpegPath: ffmpeg, now: clock.now, pace: clock })
    const prepared = await sink.prepare('live:x', {
      name: 'late-feed',
      input: input(),
      onDry: (frame) => dried(frame),
    })
    const started = prepared.start(clock.now())
    await playOnManualClock(clock, started.done)
    const dryAt = await ranDry
    const start = JSON.parse(
      await readFile(path.join(dir, 'late-feed.start.json'), 'utf8'),
    ) as WavStart
    // It ran dry inside the first half's sound and stayed dry for the stall, 1.5 s; without
    // catchUp nothing of the source is left out (what follows sounds 1.5 s late).
    expect(dryAt).toBeGreaterThan(0)
    expect(dryAt).toBeLessThan(1.2 * 48_000)
    const stall = start.starved.find((x) => x.frame === dryAt)
    expect(stall?.ms).toBeGreaterThanOrEqual(1500)
    expect(start.starved.every((x) => x.dropped === 0)).toBe(true)
  })

  it('a late start that keeps in step drops what it is late by; without catchUp it plays it all', async () => {
    const sink = createSink(`wav:${dir}`, { ffmpegPath: ffmpeg })
    const decoded = async (name: string, catchUp: boolean) => {
      const prepared = await sink.prepare(path.join(dir, 'tone.ogg'), { name, catchUp })
      // Its instant passed 600 ms ago (a join that took longer than its margin).
      const at = Date.now() - 600
      const started = prepared.start(at)
      const first = await started.firstSampleAt
      const result = await started.done
      const start = JSON.parse(
        await readFile(path.join(dir, `${name}.start.json`), 'utf8'),
      ) as WavStart
      return { first, at, result, start }
    }
    const late = await decoded('late-kept-in-step', true)
    // At least the 600 ms it was late by are gone, so frame k of what is left sounds in step.
    expect(late.start.skipped).toBeGreaterThanOrEqual(0.6 * 48_000)
    expect(late.result.playedMs).toBeLessThanOrEqual(2000 - 600)
    const inStepAt = late.at + (late.start.skipped / 48_000) * 1000
    // The first frame left sounds when it was due, give or take the skip's last moments.
    expect(late.first).toBeGreaterThanOrEqual(inStepAt)
    const whole = await decoded('late-whole', false)
    expect(whole.start.skipped).toBe(0)
    expect(whole.result.playedMs).toBeGreaterThan(1900)
  })
})
