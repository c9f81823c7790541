import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AudioError } from '../errors.js'
import { resolveFfmpegPath } from '../ffmpeg-path.js'
import { probeAudio } from '../probe.js'
import { runFfmpeg } from '../run-ffmpeg.js'
import { generateSilence, generateTone } from '../tone.js'
import { createSink } from './index.js'

const ffmpeg = resolveFfmpegPath()

/** SHA-256 of the decoded PCM (s16le, native rate and channels) of `file`. */
async function pcmSha256(file: string): Promise<string> {
  const run = await runFfmpeg(ffmpeg, ['-i', file, '-map', '0:a:0', '-f', 's16le', '-'], {
    stdout: 'pipe',
    timeoutMs: 10_000,
  })
  expect(run.code).toBe(0)
  return createHash('sha256').update(run.stdout!).digest('hex')
}

describe('createSink', () => {
  let dir: string
  let tone: string
  let silence: string
  let stereo: string
  let long: string
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'chorus-sinks-'))
    tone = path.join(dir, 'tone.mp3')
    silence = path.join(dir, 'silence.wav')
    await generateTone(ffmpeg, tone, { seconds: 1.5, format: 'mp3', timeoutMs: 10_000 })
    stereo = path.join(dir, 'stereo.wav')
    long = path.join(dir, 'long.mp3')
    await generateSilence(ffmpeg, silence, { seconds: 1, format: 'wav', timeoutMs: 10_000 })
    await generateTone(ffmpeg, stereo, {
      seconds: 1,
      format: 'wav',
      sampleRate: 48000,
      channels: 2,
    })
    await generateTone(ffmpeg, long, { seconds: 3, format: 'mp3', timeoutMs: 10_000 })
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('wav sink records bit-identical PCM of the source, in real time', async () => {
    const out = path.join(dir, 'recorded', 'deeper')
    const sink = createSink(`wav:${out}`, { ffmpegPath: ffmpeg })
    expect(sink.spec).toBe(`wav:${out}`)
    await Promise.all(
      [tone, stereo].map(async (file) => {
        const name = path.basename(file).replace('.', '-')
        const source = await probeAudio(ffmpeg, file)
        const result = await sink.play(file, { name })
        const written = path.join(out, `${name}.wav`)
        expect(result.output).toBe(written)
        expect(result.endedAt - result.startedAt).toBeGreaterThanOrEqual(0.9 * source.durationMs)
        expect(Math.abs(result.playedMs - source.durationMs)).toBeLessThanOrEqual(50)

        const recorded = await probeAudio(ffmpeg, written)
        expect(recorded).toMatchObject({
          codec: 'pcm_s16le',
          format: 'wav',
          sampleRate: source.sampleRate,
          channels: source.channels,
        })
        expect(Math.abs(recorded.durationMs - source.durationMs)).toBeLessThanOrEqual(50)
        expect(await pcmSha256(written)).toBe(await pcmSha256(file))
      }),
    )
  })

  it('plays volume 50 at half amplitude, about 6 dB lower than volume 100', async () => {
    const sink = createSink(`wav:${dir}`, { ffmpegPath: ffmpeg })
    const [full, half] = await Promise.all([
      createSink('null', { ffmpegPath: ffmpeg }).play(tone, { name: 'ref' }),
      sink.play(tone, { name: 'half', volume: 50 }),
    ])
    expect(half.peakDb! - full.peakDb!).toBeCloseTo(-6.02, 1)
  })

  it('null sink reports the RMS and peak level of a tone, timed on the clock it is given', async () => {
    const sink = createSink('null', { ffmpegPath: ffmpeg, now: () => 1000 })
    const result = await sink.play(tone, { name: 'tone' })
    expect(result.startedAt).toBe(1000)
    expect(result.endedAt).toBe(1000 + result.playedMs)
    expect(Math.abs(result.playedMs - 1500)).toBeLessThanOrEqual(50)
    // lavfi sine peaks at 1/8 full scale: -18 dBFS peak, -21 dBFS RMS.
    expect(result.peakDb!).toBeGreaterThan(-19)
    expect(result.peakDb!).toBeLessThan(-17)
    expect(result.rmsDb!).toBeGreaterThan(-22)
    expect(result.rmsDb!).toBeLessThan(-20)
    expect(result.output).toBeUndefined()
  })

  it('null sink reports -120 dB for digital silence', async () => {
    const result = await createSink('null', { ffmpegPath: ffmpeg }).play(silence, { name: 's' })
    expect(result.rmsDb).toBe(-120)
    expect(result.peakDb).toBe(-120)
  })

  it('stops early on abort, rejects with AbortError and keeps the partial wav', async () => {
    const sink = createSink(`wav:${dir}`, { ffmpegPath: ffmpeg })
    const controller = new AbortController()
    const started = Date.now()
    setTimeout(() => controller.abort(), 300)
    const err = await sink
      .play(long, { name: 'aborted', signal: controller.signal })
      .catch((e: unknown) => e)
    expect((err as Error).name).toBe('AbortError')
    expect(Date.now() - started).toBeLessThan(2000)
    // The sink finishes the WAV header of what it played.
    const partial = await probeAudio(ffmpeg, path.join(dir, 'aborted.wav'))
    expect(partial.durationMs).toBeGreaterThan(0)
    expect(partial.durationMs).toBeLessThan(2000)
  })

  it('wraps a custom abort reason in an AbortError that keeps it as the cause', async () => {
    const controller = new AbortController()
    const reason = new Error('operator pressed stop')
    setTimeout(() => controller.abort(reason), 100)
    const err = await createSink('null', { ffmpegPath: ffmpeg })
      .play(tone, { name: 'x', signal: controller.signal })
      .catch((e: unknown) => e)
    expect((err as Error).name).toBe('AbortError')
    expect((err as Error).cause).toBe(reason)
  })

  it('rejects a file that does not decode with AUDIO_DECODE and the ffmpeg output', async () => {
    const err = await createSink('null', { ffmpegPath: ffmpeg })
      .play(path.join(dir, 'missing.mp3'), { name: 'x' })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AudioError)
    expect((err as AudioError).code).toBe('AUDIO_DECODE')
    expect((err as AudioError).message).toContain('No such file or directory')
  })

  it('alsa sink rejects with AUDIO_SINK when the device cannot be opened', async () => {
    const sink = createSink('alsa:chorus_no_such_device', { ffmpegPath: ffmpeg })
    expect(sink.spec).toBe('alsa:chorus_no_such_device')
    const err = await sink.play(tone, { name: 'x' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AudioError)
    expect((err as AudioError).code).toBe('AUDIO_SINK')
  })

  it('prepares ahead and releases the first sample at the instant, on the clock it is given', async () => {
    // The sink's clock is 2 s ahead of the machine's: instants are on the sink's clock, and the
    // recording's start.json is on the machine's clock (Date.now).
    const sink = createSink(`wav:${dir}`, { ffmpegPath: ffmpeg, now: () => Date.now() + 2000 })
    const prepared = await sink.prepare(tone, { name: 'at-instant' })
    const at = Date.now() + 2000 + 400
    const started = prepared.start(at)
    const first = await started.firstSampleAt
    expect(first).toBeGreaterThanOrEqual(at)
    expect(first - at).toBeLessThan(250)
    const result = await started.done
    expect(result.startedAt).toBe(first)
    const start = JSON.parse(await readFile(path.join(dir, 'at-instant.start.json'), 'utf8'))
    expect(start).toMatchObject({ sampleRate: 44100, channels: 1 })
    expect(Math.abs(start.firstSampleAt - (first - 2000))).toBeLessThan(50)
    expect(() => prepared.start(at)).toThrow(/already started/)
  })

  it('an aborted preparation never plays and frees its decoder', async () => {
    const sink = createSink(`wav:${dir}`, { ffmpegPath: ffmpeg })
    const prepared = await sink.prepare(long, { name: 'never' })
    prepared.abort()
    prepared.abort()
    const started = prepared.start(Date.now())
    await expect(started.done).rejects.toMatchObject({ name: 'AbortError' })
    await expect(started.firstSampleAt).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('a started playback aborted through its signal stops and keeps what was heard', async () => {
    const sink = createSink(`wav:${dir}`, { ffmpegPath: ffmpeg })
    const controller = new AbortController()
    const prepared = await sink.prepare(long, { name: 'cut', signal: controller.signal })
    const started = prepared.start(Date.now())
    await started.firstSampleAt
    setTimeout(() => controller.abort(), 300)
    await expect(started.done).rejects.toMatchObject({ name: 'AbortError' })
    const partial = await probeAudio(ffmpeg, path.join(dir, 'cut.wav'))
    expect(partial.durationMs).toBeGreaterThan(0)
    expect(partial.durationMs).toBeLessThan(2500)
  })

  it('rejects a playback name that would escape the wav directory', async () => {
    const sink = createSink(`wav:${dir}`, { ffmpegPath: ffmpeg })
    await expect(sink.play(tone, { name: '../escape' })).rejects.toMatchObject({
      code: 'AUDIO_SINK',
    })
  })

  it('starts offsetMs into the file when resuming, playing only the rest', async () => {
    const sink = createSink(`wav:${dir}`, { ffmpegPath: ffmpeg })
    const result = await sink.play(long, { name: 'resumed', offsetMs: 2000 })
    expect(result.playedMs).toBeGreaterThan(850)
    expect(result.playedMs).toBeLessThan(1150)
    const recorded = await probeAudio(ffmpeg, path.join(dir, 'resumed.wav'))
    expect(Math.abs(recorded.durationMs - 1000)).toBeLessThanOrEqual(150)
    await expect(sink.play(long, { name: 'bad', offsetMs: -1 })).rejects.toThrow(/offset/)
  })

  it('rejects a volume outside 0..100', async () => {
    const sink = createSink('null', { ffmpegPath: ffmpeg })
    await expect(sink.play(tone, { name: 'x', volume: 150 })).rejects.toMatchObject({
      code: 'AUDIO_SINK',
    })
  })

  it('throws AUDIO_SINK listing the valid forms for an unknown spec', () => {
    for (const spec of ['speaker', 'wav:', 'pulse:default', '']) {
      let caught: unknown
      try {
        createSink(spec, { ffmpegPath: ffmpeg })
      } catch (err) {
        caught = err
      }
      expect(caught).toBeInstanceOf(AudioError)
      expect((caught as AudioError).code).toBe('AUDIO_SINK')
      expect((caught as AudioError).message).toContain('"wav:<dir>"')
      expect((caught as AudioError).message).toContain('"alsa:<device>"')
    }
  })
})
