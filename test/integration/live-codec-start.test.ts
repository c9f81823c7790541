/**
 * Issue 13, session 6: the live codec chain (the controller's encoder, the agent's decoder) keeps
 * the stream's first sample. Both ran ffmpeg with `-fflags nobuffer`, which throws away the packet
 * read to probe the input: the first ~20 ms at each end, so media time k sounded ~40 ms before
 * `playAt + k`. Real ffmpeg on both sides, the `wav` sink as the node's card.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSink, resolveFfmpegPath, type WavStart } from '../../audio/index.js'
import { startEncoder } from '../../controller/live/encoder.js'
import { chirp, LIVE_RATE, matchAround, wavSamples } from '../../testing/live-audio.js'

const ffmpeg = resolveFfmpegPath()
const MARKER = chirp(0.1, 400, 2400)
/** A marker on the very first sample, and one 0.5 s in. */
const AT = [0, 0.5 * LIVE_RATE]

describe('the live codec chain keeps the start of the stream', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'chorus-codec-start-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it("the first sample said is the stream's first sample sounded, at the instant", async () => {
    const pages: Buffer[] = []
    const encoder = startEncoder({
      ffmpegPath: ffmpeg,
      source: { pcm: true },
      kind: 'voice',
      onPage: (p) => pages.push(p.bytes),
    })
    const pcm = Buffer.alloc(LIVE_RATE * 2)
    for (const at of AT) {
      for (let i = 0; i < MARKER.length; i++) pcm.writeInt16LE(MARKER[i] as number, (at + i) * 2)
    }
    // Written as a microphone's 20 ms chunks.
    for (let at = 0; at < pcm.length; at += 1920) encoder.write(pcm.subarray(at, at + 1920))
    encoder.finish()
    expect((await encoder.exited).code).toBe(0)

    const sink = createSink(`wav:${dir}`, { ffmpegPath: ffmpeg })
    async function* input() {
      yield Buffer.concat(pages)
    }
    const prepared = await sink.prepare('live:z', { name: 'codec', input: input(), catchUp: true })
    const instant = Date.now() + 1500
    const started = prepared.start(instant)
    await started.done
    const start = JSON.parse(await readFile(path.join(dir, 'codec.start.json'), 'utf8')) as WavStart
    // Frame 0 of the recording sounds at the instant, and it is frame 0 of the stream.
    expect(start.skipped).toBe(0)
    expect(Math.abs(start.firstSampleAt - instant)).toBeLessThan(1)
    const recording = wavSamples(path.join(dir, 'codec.wav'))
    for (const at of AT) {
      const m = matchAround(recording, MARKER, at, Math.round(0.06 * LIVE_RATE))
      expect(m.score).toBeGreaterThan(0.8)
      // Where it was said, give or take the codec's phase (under 2 ms), not 40 ms early.
      expect(Math.abs(m.frame - at) / (LIVE_RATE / 1000)).toBeLessThan(2)
    }
  })
})
