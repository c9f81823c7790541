import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AudioError } from './errors.js'
import { resolveFfmpegPath } from './ffmpeg-path.js'
import { formatFromMagic, inputArgs } from './input-format.js'
import { probeAudio } from './probe.js'
import { runFfmpeg } from './run-ffmpeg.js'
import { normaliseAndTranscode } from './transcode.js'

const ffmpeg = resolveFfmpegPath()

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise
  } catch (err) {
    return err instanceof AudioError ? err.code : `not an AudioError: ${String(err)}`
  }
  return undefined
}

describe('formatFromMagic', () => {
  it('knows each accepted format by its first bytes, and nothing else', () => {
    const b = (s: string) => Buffer.from(s, 'latin1')
    expect(formatFromMagic(b('ID3\x04\x00'))).toBe('mp3')
    expect(formatFromMagic(Buffer.from([0xff, 0xfb, 0x90, 0x44]))).toBe('mp3')
    expect(formatFromMagic(b('RIFF\x00\x00\x00\x00WAVE'))).toBe('wav')
    expect(formatFromMagic(b('\x00\x00\x00\x20ftypM4A '))).toBe('mov')
    expect(formatFromMagic(b('OggS\x00\x02'))).toBe('ogg')
    expect(formatFromMagic(b('fLaC\x00\x00'))).toBe('flac')
    for (const s of ['#EXTM3U\n', 'ffconcat version 1.0', '[playlist]', 'RIFF\0\0\0\0AVI ', '']) {
      expect(formatFromMagic(b(s)), s).toBeUndefined()
    }
    // ADTS AAC (layer bits 00) is not MPEG audio layer I–III.
    expect(formatFromMagic(Buffer.from([0xff, 0xf1, 0x50, 0x80]))).toBeUndefined()
  })

  it('builds input options that allow only the file protocol and the chosen demuxer', () => {
    expect(inputArgs('/x/in', 'wav')).toEqual([
      '-protocol_whitelist',
      'file',
      '-f',
      'wav',
      '-i',
      'file:/x/in',
    ])
    expect(inputArgs('/x/in', 'mov')).toContain('-enable_drefs')
  })
})

describe('every accepted format decodes with its chosen demuxer; playlists never do', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'chorus-informat-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  const encoders: [string, string[]][] = [
    ['tone.wav', ['-f', 'wav']],
    ['tone.mp3', ['-c:a', 'libmp3lame', '-f', 'mp3']],
    ['tone.m4a', ['-c:a', 'aac', '-f', 'ipod']],
    ['tone.ogg', ['-c:a', 'libopus', '-f', 'ogg']],
    ['tone.flac', ['-c:a', 'flac', '-f', 'flac']],
  ]
  for (const [name, args] of encoders) {
    it(`probes ${name}`, async () => {
      const file = path.join(dir, name)
      const src = ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1:sample_rate=48000']
      const { code, stderr } = await runFfmpeg(ffmpeg, [...src, ...args, '-y', file], {
        timeoutMs: 30_000,
      })
      expect(code, stderr).toBe(0)
      const probe = await probeAudio(ffmpeg, file, { timeoutMs: 30_000, cwd: dir })
      expect(probe.durationMs).toBeGreaterThan(900)
    })
  }

  it('refuses an HLS playlist and a concat list, whatever their name, before ffmpeg opens them', async () => {
    const target = path.join(dir, 'tone.wav')
    const hls = path.join(dir, 'list.mp3')
    await writeFile(hls, `#EXTM3U\n#EXTINF:1.0,\n${target}\n#EXT-X-ENDLIST\n`)
    const concat = path.join(dir, 'list.m4a')
    await writeFile(concat, `ffconcat version 1.0\nfile '${target}'\n`)
    for (const file of [hls, concat]) {
      expect(await codeOf(probeAudio(ffmpeg, file))).toBe('AUDIO_FORMAT')
      const out = path.join(dir, 'out.mp3')
      expect(await codeOf(normaliseAndTranscode(ffmpeg, file, out))).toBe('AUDIO_FORMAT')
    }
  })
})
