/**
 * @module audio/probe
 * Probes an audio file by decoding all of it (`ffmpeg -i file -map 0:a:0 -f null -`): reading
 * only the header would accept a file that is truncated or corrupt further in.
 */
import { stat } from 'node:fs/promises'
import { AudioError } from './errors.js'
import { inputFailure } from './failure.js'
import { inputArgs, sniffInputFormat } from './input-format.js'
import {
  errorLines,
  LOG_LEVEL_ARGS,
  parseInputInfo,
  parseProgressTimeMs,
  stderrTail,
} from './parse-stderr.js'
import { runFfmpeg } from './run-ffmpeg.js'

/** What {@link probeAudio} learns about a file. */
export interface ProbeResult {
  /** Decoded length of the first audio stream in milliseconds (10 ms resolution). */
  durationMs: number
  /** ffmpeg codec name of the first audio stream, for example `mp3` or `pcm_s16le`. */
  codec: string
  /** Sample rate in Hz. */
  sampleRate: number
  /** Channel count (0 when ffmpeg printed a layout this module does not know). */
  channels: number
  /** ffmpeg demuxer name, for example `mp3`, `wav` or `ogg`. */
  format: string
}

/** Options for {@link probeAudio}. */
export interface ProbeOptions {
  /** Aborts the decode. */
  signal?: AbortSignal
  /** Fails with `AUDIO_TIMEOUT` after this many milliseconds. */
  timeoutMs?: number
  /** Working directory of ffmpeg (see `RunFfmpegOptions.cwd`). */
  cwd?: string
}

/**
 * Decodes the first audio stream of `file` and reports its format and decoded duration. The
 * demuxer is chosen from the file's first bytes (`input-format.ts`), never by ffmpeg. Throws
 * `AUDIO_FORMAT` (none of the accepted formats), `AUDIO_EMPTY` (zero bytes or nothing decoded),
 * `AUDIO_NOT_AUDIO` (not a media file, or no
 * audio stream), `AUDIO_DECODE` (decode errors or a failed run) or `AUDIO_PROBE` (unreadable
 * file, or output this module cannot parse).
 *
 * A file cut short decodes as a shorter file without any error for MP3 (frames are
 * independent), and with only a warning for WAV, so such files are accepted with the duration
 * that actually decodes.
 */
export async function probeAudio(
  ffmpegPath: string,
  file: string,
  opts: ProbeOptions = {},
): Promise<ProbeResult> {
  let size: number
  try {
    size = (await stat(file)).size
  } catch (err) {
    throw new AudioError('AUDIO_PROBE', `cannot read "${file}"`, { cause: err })
  }
  if (size === 0) throw new AudioError('AUDIO_EMPTY', `"${file}" is empty (0 bytes)`)

  const format = await sniffInputFormat(file)
  const args = [...LOG_LEVEL_ARGS, ...inputArgs(file, format), '-map', '0:a:0', '-f', 'null', '-']
  const { code, stderr } = await runFfmpeg(ffmpegPath, args, opts)
  const input = parseInputInfo(stderr)
  if (input?.audio === undefined || code !== 0 || errorLines(stderr).length > 0) {
    throw inputFailure(file, code, stderr)
  }
  // The decoded length wins over the container's claim, which may be an estimate or a lie.
  const durationMs = parseProgressTimeMs(stderr) ?? input.durationMs
  if (durationMs === undefined) {
    throw new AudioError(
      'AUDIO_PROBE',
      `cannot find the duration of "${file}":\n${stderrTail(stderr)}`,
    )
  }
  if (durationMs <= 0) throw new AudioError('AUDIO_EMPTY', `"${file}" contains no audio samples`)
  return { durationMs, format: input.format, ...input.audio }
}
