import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AudioError } from './errors.js'
import { resolveFfmpegPath } from './ffmpeg-path.js'
import { probeAudio } from './probe.js'
import { generateTone } from './tone.js'

const ffmpeg = resolveFfmpegPath()

/** Deterministic noise (a linear congruential generator), so the test is repeatable. */
function noise(bytes: number): Buffer {
  const out = Buffer.alloc(bytes)
  let x = 12345
  for (let i = 0; i < bytes; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    out[i] = x >>> 24
  }
  return out
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise
  } catch (err) {
    return err instanceof AudioError ? err.code : `not an AudioError: ${String(err)}`
  }
  return undefined
}

describe('probeAudio', () => {
  let dir: string
  let mp3: string
  let wav: string
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'chorus-probe-'))
    mp3 = path.join(dir, 'tone.mp3')
    wav = path.join(dir, 'tone.wav')
    await generateTone(ffmpeg, mp3, { seconds: 2, format: 'mp3', timeoutMs: 10_000 })
    await generateTone(ffmpeg, wav, { seconds: 1.5, format: 'wav', sampleRate: 48000, channels: 2 })
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('reports the decoded duration, codec, rate, channels and format of an mp3 tone', async () => {
    const info = await probeAudio(ffmpeg, mp3, { timeoutMs: 10_000 })
    expect(Math.abs(info.durationMs - 2000)).toBeLessThanOrEqual(50)
    expect(info).toMatchObject({ codec: 'mp3', format: 'mp3', sampleRate: 44100, channels: 1 })
  })

  it('reports a stereo 48 kHz wav tone', async () => {
    const info = await probeAudio(ffmpeg, wav, { timeoutMs: 10_000 })
    expect(Math.abs(info.durationMs - 1500)).toBeLessThanOrEqual(50)
    expect(info).toMatchObject({
      codec: 'pcm_s16le',
      format: 'wav',
      sampleRate: 48000,
      channels: 2,
    })
  })

  it('rejects a text file as AUDIO_FORMAT', async () => {
    const file = path.join(dir, 'notes.txt')
    await writeFile(file, 'This is a shopping list, not an announcement.\n')
    expect(await codeOf(probeAudio(ffmpeg, file))).toBe('AUDIO_FORMAT')
  })

  it('rejects random bytes as AUDIO_FORMAT', async () => {
    const file = path.join(dir, 'noise.mp3')
    await writeFile(file, noise(8192))
    expect(await codeOf(probeAudio(ffmpeg, file))).toBe('AUDIO_FORMAT')
  })

  it('rejects an empty file as AUDIO_EMPTY', async () => {
    const file = path.join(dir, 'empty.mp3')
    await writeFile(file, '')
    expect(await codeOf(probeAudio(ffmpeg, file))).toBe('AUDIO_EMPTY')
  })

  it('rejects a wav that is only a header as AUDIO_EMPTY', async () => {
    const file = path.join(dir, 'header-only.wav')
    const bytes = await readFile(wav)
    await writeFile(file, bytes.subarray(0, bytes.indexOf('data') + 8))
    expect(await codeOf(probeAudio(ffmpeg, file))).toBe('AUDIO_EMPTY')
  })

  it('rejects a wav whose header is overwritten as AUDIO_FORMAT', async () => {
    const bytes = Buffer.from(await readFile(wav))
    bytes.fill('X', 0, 40)
    const file = path.join(dir, 'bad-header.wav')
    await writeFile(file, bytes)
    expect(await codeOf(probeAudio(ffmpeg, file))).toBe('AUDIO_FORMAT')
  })

  it('rejects an mp3 with garbage in the middle as AUDIO_DECODE', async () => {
    const bytes = Buffer.from(await readFile(mp3))
    noise(4000).copy(bytes, Math.floor(bytes.length / 3))
    const file = path.join(dir, 'damaged.mp3')
    await writeFile(file, bytes)
    expect(await codeOf(probeAudio(ffmpeg, file))).toBe('AUDIO_DECODE')
  })

  // ffmpeg reports no error for an mp3 cut short (its frames are independent; the Xing header's
  // longer duration only earns a warning), so probe accepts it and reports what decodes.
  it('reports the shorter decoded duration of an mp3 cut in half', async () => {
    const bytes = await readFile(mp3)
    const file = path.join(dir, 'half.mp3')
    await writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 2)))
    const info = await probeAudio(ffmpeg, file)
    expect(info.durationMs).toBeGreaterThan(700)
    expect(info.durationMs).toBeLessThan(1300)
  })

  it('fails with AUDIO_PROBE when the file does not exist', async () => {
    expect(await codeOf(probeAudio(ffmpeg, path.join(dir, 'missing.mp3')))).toBe('AUDIO_PROBE')
  })
})
