import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AudioError } from './errors.js'
import { resolveFfmpegPath } from './ffmpeg-path.js'
import { measureLoudness } from './loudnorm.js'
import { probeAudio } from './probe.js'
import { generateSilence, generateTone } from './tone.js'
import { DELIVERY_FORMAT, normaliseAndTranscode } from './transcode.js'

const ffmpeg = resolveFfmpegPath()

describe('normaliseAndTranscode', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'chorus-transcode-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('brings a quiet stereo tone within 1 LU of -16 LUFS as mono 44.1 kHz mp3', async () => {
    const input = path.join(dir, 'quiet.wav')
    const output = path.join(dir, 'quiet.mp3')
    // Under 3 s, and a steady tone measures LRA 0: both once kept loudnorm out of linear mode.
    await generateTone(ffmpeg, input, {
      seconds: 2,
      format: 'wav',
      sampleRate: 48000,
      channels: 2,
      gainDb: -20,
    })
    const result = await normaliseAndTranscode(ffmpeg, input, output, { timeoutMs: 15_000 })
    expect(result.silent).toBe(false)
    expect(result.before.integratedLufs).toBeLessThan(-35)
    expect(Math.abs(result.after.integratedLufs - -16)).toBeLessThanOrEqual(1)
    expect(result.after.truePeakDb).toBeLessThanOrEqual(-1)
    expect(Math.abs(result.durationMs - 2000)).toBeLessThanOrEqual(50)

    const info = await probeAudio(ffmpeg, output)
    expect(info).toMatchObject({ codec: 'mp3', format: 'mp3', sampleRate: 44100, channels: 1 })
    const measured = await measureLoudness(ffmpeg, output)
    expect(Math.abs(measured.inputI - -16)).toBeLessThanOrEqual(1)
    expect(DELIVERY_FORMAT).toMatchObject({ sampleRate: 44100, channels: 1, extension: 'mp3' })
  })

  it('flags silent input as silent and transcodes it without amplifying', async () => {
    const input = path.join(dir, 'silence.wav')
    const output = path.join(dir, 'silence.mp3')
    await generateSilence(ffmpeg, input, { seconds: 2, format: 'wav' })
    const result = await normaliseAndTranscode(ffmpeg, input, output, { timeoutMs: 15_000 })
    expect(result.silent).toBe(true)
    expect(result.before.integratedLufs).toBe(-Infinity)
    expect(result.after.integratedLufs).toBeLessThanOrEqual(-70)
    expect(Math.abs(result.durationMs - 2000)).toBeLessThanOrEqual(50)
  })

  it('leaves nothing behind when the input is not audio', async () => {
    const sub = await mkdtemp(path.join(dir, 'fail-'))
    const input = path.join(sub, 'notes.txt')
    await writeFile(input, 'not audio at all\n')
    const err = await normaliseAndTranscode(ffmpeg, input, path.join(sub, 'out.mp3'), {
      timeoutMs: 15_000,
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AudioError)
    expect((err as AudioError).code).toBe('AUDIO_FORMAT')
    expect(await readdir(sub)).toEqual(['notes.txt'])
  })
})
