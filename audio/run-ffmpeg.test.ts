import { describe, expect, it } from 'vitest'
import { AudioError } from './errors.js'
import { resolveFfmpegPath } from './ffmpeg-path.js'
import { runFfmpeg } from './run-ffmpeg.js'

const ffmpeg = resolveFfmpegPath()
const ENDLESS = ['-re', '-f', 'lavfi', '-i', 'sine', '-f', 'null', '-']

describe('runFfmpeg', () => {
  it('resolves with the exit code and stderr, without throwing on a non-zero exit', async () => {
    const result = await runFfmpeg(ffmpeg, ['-i', '/definitely/not/here.mp3'], {
      timeoutMs: 10_000,
    })
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain('No such file or directory')
    expect(result.stderr).not.toContain('Copyright')
  })

  it('collects stdout when asked to pipe it', async () => {
    const args = ['-f', 'lavfi', '-i', 'sine=d=0.5', '-f', 's16le', '-']
    const result = await runFfmpeg(ffmpeg, args, { stdout: 'pipe', timeoutMs: 10_000 })
    expect(result.code).toBe(0)
    expect(result.stdout?.length).toBe(44100 * 2 * 0.5)
  })

  it('kills ffmpeg and rejects with AUDIO_TIMEOUT when the timeout passes', async () => {
    const started = Date.now()
    const err = await runFfmpeg(ffmpeg, ENDLESS, { timeoutMs: 300 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AudioError)
    expect((err as AudioError).code).toBe('AUDIO_TIMEOUT')
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('kills ffmpeg and rejects with the abort reason when the signal fires', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(new Error('stop now')), 200)
    const err = await runFfmpeg(ffmpeg, ENDLESS, { signal: controller.signal, timeoutMs: 10_000 })
      .then(() => undefined)
      .catch((e: unknown) => e)
    expect((err as Error).message).toBe('stop now')
  })

  it('rejects without spawning when the signal has already fired', async () => {
    await expect(runFfmpeg(ffmpeg, ENDLESS, { signal: AbortSignal.abort() })).rejects.toMatchObject(
      {
        name: 'AbortError',
      },
    )
  })

  it('rejects with AUDIO_FFMPEG_MISSING when the binary cannot be started', async () => {
    await expect(runFfmpeg('/no/such/ffmpeg', ['-version'])).rejects.toMatchObject({
      code: 'AUDIO_FFMPEG_MISSING',
    })
  })
})
