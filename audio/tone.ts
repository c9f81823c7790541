/**
 * @module audio/tone
 * Generated test signals (ffmpeg `lavfi` sources): used by tests, the demo and the speaker
 * agent's test tone.
 */
import { AudioError } from './errors.js'
import { stderrTail } from './parse-stderr.js'
import { type RunFfmpegOptions, runFfmpeg } from './run-ffmpeg.js'

/** Options shared by {@link generateTone} and {@link generateSilence}. */
export interface SignalOptions extends Pick<RunFfmpegOptions, 'signal' | 'timeoutMs'> {
  /** Length in seconds. */
  seconds: number
  /** `mp3` (libmp3lame, 128 kbps) or `wav` (PCM s16le); default `mp3`. */
  format?: 'mp3' | 'wav'
  /** Sample rate in Hz; default 44100. */
  sampleRate?: number
  /** Channel count; default 1. */
  channels?: number
}

/** Options for {@link generateTone}. */
export interface ToneOptions extends SignalOptions {
  /** Frequency in Hz; default 440. */
  frequencyHz?: number
  /** Gain in dB applied to the sine, whose own peak is 1/8 full scale (-18 dBFS); default 0. */
  gainDb?: number
}

/** Writes a sine tone to `output` (lavfi `sine`). */
export async function generateTone(
  ffmpegPath: string,
  output: string,
  opts: ToneOptions,
): Promise<void> {
  const { frequencyHz = 440, gainDb = 0, sampleRate = 44100 } = opts
  const source = `sine=frequency=${frequencyHz}:sample_rate=${sampleRate}:duration=${opts.seconds}`
  await writeSignal(ffmpegPath, output, source, opts, gainDb === 0 ? [] : [`volume=${gainDb}dB`])
}

/** Writes digital silence to `output` (lavfi `anullsrc`). */
export async function generateSilence(
  ffmpegPath: string,
  output: string,
  opts: SignalOptions,
): Promise<void> {
  const source = `anullsrc=sample_rate=${opts.sampleRate ?? 44100}:channel_layout=mono`
  await writeSignal(ffmpegPath, output, source, opts, [`atrim=duration=${opts.seconds}`])
}

async function writeSignal(
  ffmpegPath: string,
  output: string,
  source: string,
  opts: SignalOptions,
  filters: string[],
): Promise<void> {
  const { format = 'mp3', channels = 1 } = opts
  if (!(opts.seconds > 0)) throw new RangeError(`seconds must be positive, got ${opts.seconds}`)
  if (channels !== 1 && channels !== 2) throw new RangeError('channels must be 1 or 2')
  const codec = format === 'mp3' ? ['-c:a', 'libmp3lame', '-b:a', '128k'] : ['-c:a', 'pcm_s16le']
  const chain = [...filters, `aformat=channel_layouts=${channels === 1 ? 'mono' : 'stereo'}`]
  const args = ['-y', '-f', 'lavfi', '-i', source, '-af', chain.join(','), ...codec]
  const { code, stderr } = await runFfmpeg(ffmpegPath, [...args, '-f', format, `file:${output}`], {
    signal: opts.signal,
    timeoutMs: opts.timeoutMs,
  })
  if (code !== 0) {
    throw new AudioError(
      'AUDIO_DECODE',
      `ffmpeg could not write "${output}":\n${stderrTail(stderr)}`,
    )
  }
}
