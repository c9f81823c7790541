import { copyFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { generateTone, resolveFfmpegPath } from '../../audio/index.js'
import { makeTempDir } from '../testing/tmp-dir.js'
import { createSimAudio, createSimSink, type FirstSample } from './sim-output.js'

const ffmpegPath = resolveFfmpegPath()
/** Cached audio is named by its sha256. */
const NAME = `${'a'.repeat(64)}.wav`

async function tone(seconds: number) {
  const { dir, cleanup } = await makeTempDir()
  onTestFinished(cleanup)
  const file = join(dir, NAME)
  await generateTone(ffmpegPath, file, { seconds, frequencyHz: 440, format: 'wav' })
  return { dir, file }
}

describe('simulated output', () => {
  it('decodes a content once for every node, and measures its level', async () => {
    const { dir, file } = await tone(0.5)
    // Another node's cache holds the same content under the same name.
    const copy = join(dir, 'copy')
    await mkdir(copy)
    await copyFile(file, join(copy, NAME))
    const audio = createSimAudio(ffmpegPath)
    const [one, two] = await Promise.all([audio.pcm(file), audio.pcm(join(copy, NAME))])
    expect(one).toBe(two)
    expect(audio.stats()).toMatchObject({ files: 1, decodes: 1 })
    expect(one.durationMs).toBeCloseTo(500, -1)
    expect(one.peakDb).toBeLessThan(0)
    expect(one.peakDb).toBeGreaterThan(-30)
  })

  it('releases the first sample when the node clock reads the instant, stamped on the true clock', async () => {
    const { file } = await tone(0.3)
    const audio = createSimAudio(ffmpegPath)
    const stamps: FirstSample[] = []
    // This node's clock runs 1500 ms ahead of the true one.
    const nodeNow = () => Date.now() + 1500
    const sink = createSimSink({ audio, now: nodeNow, onFirstSample: (s) => stamps.push(s) })
    const prepared = await sink.prepare(file, { name: 'seg', volume: 50 })
    const at = nodeNow() + 200
    const started = prepared.start(at)
    expect(await started.firstSampleAt).toBeCloseTo(at, 0)
    const result = await started.done
    expect(stamps).toHaveLength(1)
    // On the true clock the node's instant is 1500 ms earlier.
    expect(Math.abs((stamps[0]?.trueAt ?? 0) - (at - 1500))).toBeLessThan(20)
    expect(result.playedMs).toBeCloseTo(300, -1)
    expect(result.endedAt - result.startedAt).toBeCloseTo(300, -1)
    // Half the volume is 6 dB down.
    expect(result.peakDb! - (await audio.pcm(file)).peakDb).toBeCloseTo(-6.02, 1)
    expect(() => prepared.start(at)).toThrow(/already started/)
  })

  it('starts late when the audio is handed over after the instant, and stops on abort', async () => {
    const { file } = await tone(5)
    const audio = createSimAudio(ffmpegPath)
    const stamps: FirstSample[] = []
    const sink = createSimSink({ audio, now: Date.now, onFirstSample: (s) => stamps.push(s) })
    const controller = new AbortController()
    const prepared = await sink.prepare(file, { name: 'late', signal: controller.signal })
    const handedOver = Date.now()
    const started = prepared.start(handedOver - 1000)
    const first = await started.firstSampleAt
    expect(first).toBeGreaterThanOrEqual(handedOver)
    expect(stamps[0]!.trueAt).toBeGreaterThanOrEqual(handedOver)
    controller.abort()
    await expect(started.done).rejects.toMatchObject({ name: 'AbortError' })
  })
})
