/**
 * @module audio/sinks/wav
 * The `wav:<dir>` sink: records exactly what would have been played, at real-time pace, to
 * `<dir>/<name>.wav` (PCM s16le at the source's sample rate and channel count), and next to it
 * `<dir>/<name>.start.json`: `{ firstSampleAt, sampleRate, channels }`, the instant (epoch ms on
 * the machine's system clock, `Date.now`) the first sample sounds. The sink models a sound card
 * clocked by the system clock with a running stream: the first buffer, handed over 300 ms ahead,
 * sounds at the instant it was placed at, or when it was handed over if that was later. Sample `k`
 * sounds at `firstSampleAt + k / sampleRate` (plus the underruns before it, `starved`: a feed
 * that came late; a live playback leaves out as much of the source there, `dropped`): that places a recording on the true time line, whatever clock the agent
 * schedules by. Tests and the demo listen through it.
 */
import { type FileHandle, mkdir, open, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { AudioError } from '../errors.js'
import type { PcmFormat } from './decoder.js'
import { type OpenOutput, type PcmOutput, playNow, prepareThrough } from './preroll.js'
import type { PlayOptions, Sink, SinkDeps } from './types.js'

/** Where and when a recording's first sample sounded (`<name>.start.json`). */
export interface WavStart {
  /** Epoch ms (system clock, fractional) when the first sample sounds. */
  firstSampleAt: number
  /**
   * Frames of the source dropped before the first (a live start that came late catching up):
   * the recording's frame k is the source's frame `skipped + k`.
   */
  skipped: number
  /** Epoch ms (system clock) when the first buffer was handed over; before firstSampleAt if in time. */
  handedAt: number
  sampleRate: number
  channels: number
  /**
   * Underruns of the modelled card: after `frame` frames of the recording it sounded nothing for
   * `ms` (the feed came late), so later frames sound that much later than `firstSampleAt + k /
   * sampleRate`; `dropped` frames of the source were left out there (a live playback keeping in
   * step: about `ms` of them, so the source's frames after it sound where they were placed).
   */
  starved: { frame: number; ms: number; dropped: number }[]
}

/** Creates a sink that writes each playback to `<dir>/<name>.wav`. */
export function createWavSink(dir: string, deps: SinkDeps): Sink {
  const opener = (opts: PlayOptions): OpenOutput => {
    const { name } = opts
    if (name === '' || name === '.' || name === '..' || path.basename(name) !== name) {
      throw new AudioError('AUDIO_SINK', `playback name "${name}" must be a plain file name`)
    }
    return (format) => openWav(dir, name, format)
  }
  return {
    spec: `wav:${dir}`,
    prepare: async (file, opts) => prepareThrough(deps, file, opts, opener(opts)),
    play: async (file, opts) => playNow(deps, file, opts, opener(opts)),
  }
}

const HEADER_BYTES = 44

async function openWav(dir: string, name: string, format: PcmFormat): Promise<PcmOutput> {
  const output = path.join(dir, `${name}.wav`)
  let fh: FileHandle
  try {
    await mkdir(dir, { recursive: true })
    fh = await open(output, 'w')
    await fh.write(wavHeader(format, 0), 0, HEADER_BYTES, 0)
  } catch (err) {
    throw new AudioError('AUDIO_SINK', `cannot write "${output}"`, { cause: err })
  }
  const frameBytes = 2 * format.channels
  let at = HEADER_BYTES
  let closed = false
  let start: WavStart | null = null
  async function finish(frames: number): Promise<void> {
    if (closed) return
    closed = true
    const bytes = Math.min(frames * frameBytes, at - HEADER_BYTES)
    try {
      await fh.truncate(HEADER_BYTES + bytes)
      await fh.write(wavHeader(format, bytes), 0, HEADER_BYTES, 0)
      if (start) await writeFile(path.join(dir, `${name}.start.json`), JSON.stringify(start))
    } finally {
      await fh.close()
    }
  }
  return {
    async write(pcm) {
      try {
        await fh.write(pcm, 0, pcm.length, at)
      } catch (err) {
        throw new AudioError('AUDIO_SINK', `cannot write "${output}"`, { cause: err })
      }
      at += pcm.length
    },
    released(firstSampleAt, handedAt, skipped) {
      start = { firstSampleAt, skipped, handedAt, ...format, starved: [] }
    },
    starved(frame, ms, dropped) {
      start?.starved.push({ frame, ms: Math.round(ms * 10) / 10, dropped })
    },
    async close(frames) {
      try {
        await finish(frames)
      } catch (err) {
        throw new AudioError('AUDIO_SINK', `cannot finish "${output}"`, { cause: err })
      }
    },
    discard: (frames) => finish(frames).catch(() => undefined),
    delayMs: 0,
    handoverMs: 300,
    leadMs: 100,
    output,
  }
}

/** A 44-byte PCM s16le WAV header for `dataBytes` of samples. */
export function wavHeader(format: PcmFormat, dataBytes: number): Buffer {
  const h = Buffer.alloc(HEADER_BYTES)
  h.write('RIFF', 0, 'latin1')
  h.writeUInt32LE(36 + dataBytes, 4)
  h.write('WAVEfmt ', 8, 'latin1')
  h.writeUInt32LE(16, 16)
  h.writeUInt16LE(1, 20)
  h.writeUInt16LE(format.channels, 22)
  h.writeUInt32LE(format.sampleRate, 24)
  h.writeUInt32LE(format.sampleRate * 2 * format.channels, 28)
  h.writeUInt16LE(2 * format.channels, 32)
  h.writeUInt16LE(16, 34)
  h.write('data', 36, 'latin1')
  h.writeUInt32LE(dataBytes, 40)
  return h
}
