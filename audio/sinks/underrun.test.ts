import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  chirp,
  LIVE_RATE,
  matchAround,
  playOnManualClock,
  wavSamples,
} from '../../testing/live-audio.js'
import { createManualClock } from '../../testing/manual-clock.js'
import { resolveFfmpegPath } from '../ffmpeg-path.js'
import { runFfmpeg } from '../run-ffmpeg.js'
import { createSink } from './index.js'
import type { WavStart } from './wav.js'

const ffmpeg = resolveFfmpegPath()
const MARKER = chirp(0.1, 400, 2400)
/** Markers at 0.25 s, 0.75 s, … of a 4 s stream. */
const markerFrames = Array.from({ length: 8 }, (_, j) => Math.round((0.25 + 0.5 * j) * LIVE_RATE))

describe('a live playback that ran dry mid-stream', () => {
  let dir: string
  let ogg: Buffer
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'chorus-underrun-'))
    const pcm = Buffer.alloc(4 * LIVE_RATE * 2)
    for (const at of markerFrames) {
      for (let i = 0; i < MARKER.length; i++) pcm.writeInt16LE(MARKER[i] as number, (at + i) * 2)
    }
    await writeFile(path.join(dir, 'marked.raw'), pcm)
    const run = await runFfmpeg(
      ffmpeg,
      ['-f', 's16le', '-ar', '48000', '-ac', '1', '-i', path.join(dir, 'marked.raw')].concat(
        ['-c:a', 'libopus', '-b:a', '32k', '-application', 'voip', '-frame_duration', '20'],
        ['-page_duration', '20000', '-f', 'ogg', '-y', path.join(dir, 'marked.ogg')],
      ),
      { timeoutMs: 10_000 },
    )
    expect(run.code).toBe(0)
    ogg = await readFile(path.join(dir, 'marked.ogg'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('drops what should have sounded while it was dry, so what follows sounds in step', async () => {
    // The first ~1.2 s of the stream, then nothing until 2.7 s after the start (a link that
    // stalls, on the pace clock): the card runs dry for about 1.5 s.
    const clock = createManualClock()
    const t0 = clock.now()
    const cut = Math.floor(ogg.length * 0.3)
    async function* input() {
      yield ogg.subarray(0, cut)
      await new Promise<void>((r) => clock.after(t0 + 2700 - clock.now(), r))
      yield ogg.subarray(cut)
    }
    const sink = createSink(`wav:${dir}`, { ffmpegPath: ffmpeg, now: clock.now, pace: clock })
    const prepared = await sink.prepare('live:y', {
      name: 'stalled',
      input: input(),
      catchUp: true,
    })
    const started = prepared.start(clock.now())
    await playOnManualClock(clock, started.done)
    const start = JSON.parse(
      await readFile(path.join(dir, 'stalled.start.json'), 'utf8'),
    ) as WavStart
    const stall = start.starved.find((x) => x.ms > 1000)
    expect(stall).toBeDefined()
    const recording = wavSamples(path.join(dir, 'stalled.wav'))
    // Each marker's place on the card's time line (frames after the first sample, underruns
    // included) less its place in the source: the same for every marker when in step.
    const offsets: { source: number; offsetMs: number }[] = []
    for (const source of markerFrames) {
      // Where it lies in the recording: the source before it that was left out (where the card
      // was dry) is not there; a marker inside what was left out is not looked for.
      let expected = source - start.skipped
      let dryMs = 0
      let left = false
      let droppedSoFar = 0
      for (const s of start.starved) {
        const sourceAt = s.frame + start.skipped + droppedSoFar
        if (source + MARKER.length <= sourceAt) break
        if (source < sourceAt + (s.dropped ?? 0)) left = true
        droppedSoFar += s.dropped ?? 0
        expected -= s.dropped ?? 0
        dryMs += s.ms
      }
      if (left) continue
      const m = matchAround(recording, MARKER, expected, Math.round(0.05 * LIVE_RATE))
      if (m.score < 0.6) continue
      const frame = m.frame
      offsets.push({
        source,
        offsetMs:
          ((frame - source) / LIVE_RATE) * 1000 + dryMs + (start.skipped / LIVE_RATE) * 1000,
      })
    }
    const stallFrame = (stall as { frame: number }).frame
    const before = offsets.filter((o) => o.source < stallFrame)
    const after = offsets.filter((o) => o.source > stallFrame + 1.5 * LIVE_RATE)
    expect(before.length).toBeGreaterThanOrEqual(1)
    expect(after.length).toBeGreaterThanOrEqual(2)
    const all = offsets.map((o) => o.offsetMs)
    // Back in step within a few ms (not 1.5 s late, as a card that resumes where it was).
    expect(Math.max(...all) - Math.min(...all)).toBeLessThan(3)
  })

  it('a source that is itself late plays late rather than not at all', async () => {
    // After the first ~1.2 s the source stalls 1.5 s, then the rest comes slower than it sounds
    // (1/40 of it every 100 ms, about 70 ms of sound each): nothing arrives ahead of its instant
    // to drop, so after its bounded try the node plays what comes, late.
    const clock = createManualClock()
    const cut = Math.floor(ogg.length * 0.3)
    const piece = Math.ceil((ogg.length - cut) / 40)
    async function* input() {
      yield ogg.subarray(0, cut)
      await new Promise<void>((r) => clock.after(1500, r))
      for (let at = cut; at < ogg.length; at += piece) {
        await new Promise<void>((r) => clock.after(100, r))
        yield ogg.subarray(at, at + piece)
      }
    }
    const sink = createSink(`wav:${dir}`, { ffmpegPath: ffmpeg, now: clock.now, pace: clock })
    const prepared = await sink.prepare('live:s', { name: 'slow', input: input(), catchUp: true })
    const started = prepared.start(clock.now())
    const result = await playOnManualClock(clock, started.done)
    // Most of it sounded (a node that only dropped would sound little past its first 1.2 s).
    expect(result.playedMs).toBeGreaterThan(2000)
  })
})
