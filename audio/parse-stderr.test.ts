import { describe, expect, it } from 'vitest'
import {
  clockToMs,
  errorLines,
  layoutChannels,
  parseAstatsOverall,
  parseInputInfo,
  parseProgressTimeMs,
} from './parse-stderr.js'

const MP4 = `[info] Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'file:/x/a.m4a':
[info]   Duration: 00:01:02.50, start: 0.000000, bitrate: 130 kb/s
[info]     Stream #0:0(und): Video: mjpeg, yuvj420p, 600x600, 90k tbr (attached pic)
[info]     Stream #0:1(und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, 5.1(side), fltp
[info] Stream mapping:
[info] Output #0, null, to 'pipe:':
[info]     Stream #0:0: Audio: pcm_s16le, 44100 Hz, mono, s16, 705 kb/s
[info] size=N/A time=00:00:30.00 bitrate=N/A\r[info] size=N/A time=00:01:02.49 bitrate=N/A
`

describe('parse-stderr', () => {
  it('reads the container, its duration and the first audio stream of Input #0 only', () => {
    expect(parseInputInfo(MP4)).toEqual({
      format: 'mov,mp4,m4a,3gp,3g2,mj2',
      durationMs: 62_500,
      audio: { codec: 'aac', sampleRate: 48000, channels: 6 },
    })
    expect(parseInputInfo('[error] a.mp3: No such file or directory')).toBeUndefined()
  })

  it('takes the last progress time as the decoded length', () => {
    expect(parseProgressTimeMs(MP4)).toBe(62_490)
    expect(parseProgressTimeMs('nothing here')).toBeUndefined()
    expect(clockToMs('01:00:00.01')).toBe(3_600_010)
  })

  it('knows layout names and counted layouts', () => {
    expect(layoutChannels('mono')).toBe(1)
    expect(layoutChannels('7.1(wide)')).toBe(8)
    expect(layoutChannels('3 channels')).toBe(3)
    expect(layoutChannels('mystery')).toBe(0)
  })

  it('reads the astats Overall section and clamps silence to -120 dB', () => {
    const stats = (peak: string, rms: string): string =>
      `[Parsed_astats_0 @ 0x1] [info] Channel: 1\n[Parsed_astats_0 @ 0x1] Peak level dB: -1\n` +
      '[Parsed_astats_0 @ 0x1] [info] Overall\n' +
      `[Parsed_astats_0 @ 0x1] [info] Peak level dB: ${peak}\n` +
      `[Parsed_astats_0 @ 0x1] [info] RMS level dB: ${rms}\n`
    expect(parseAstatsOverall(stats('-18.06', '-21.07'))).toEqual({ peakDb: -18.06, rmsDb: -21.07 })
    expect(parseAstatsOverall(stats('-6153.05', '-inf'))).toEqual({ peakDb: -120, rmsDb: -120 })
    expect(parseAstatsOverall('no stats')).toEqual({ peakDb: null, rmsDb: null })
  })

  it('picks out error-level lines, with or without a component prefix', () => {
    const text =
      '[info] fine\n[mp3float @ 0x2] [error] Header missing\r' +
      '[warning] meh\n[error] Conversion failed!'
    expect(errorLines(text)).toEqual([
      '[mp3float @ 0x2] [error] Header missing',
      '[error] Conversion failed!',
    ])
  })
})
