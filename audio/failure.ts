/**
 * @module audio/failure
 * Turns a failed ffmpeg run into the right {@link AudioError}, from what it printed on stderr.
 */
import { AudioError } from './errors.js'
import { errorLines, parseInputInfo, stderrTail } from './parse-stderr.js'

/**
 * The error for a run whose input could not be used: `AUDIO_PROBE` when the file cannot be
 * opened, `AUDIO_NOT_AUDIO` when it is not media or has no audio stream, else `AUDIO_DECODE`.
 * Every message carries the relevant ffmpeg lines.
 */
export function inputFailure(file: string, code: number | null, stderr: string): AudioError {
  const input = parseInputInfo(stderr)
  const errors = errorLines(stderr)
  const detail = errors.length > 0 ? errors.slice(-12).join('\n') : stderrTail(stderr)
  if (input === undefined) {
    if (/No such file or directory|Permission denied/.test(detail)) {
      return new AudioError('AUDIO_PROBE', `cannot open "${file}":\n${detail}`)
    }
    return new AudioError(
      'AUDIO_NOT_AUDIO',
      `"${file}" is not a media file ffmpeg can read:\n${detail}`,
    )
  }
  if (input.audio === undefined) {
    return new AudioError(
      'AUDIO_NOT_AUDIO',
      `"${file}" has no audio stream (ffmpeg reads it as "${input.format}")`,
    )
  }
  return new AudioError('AUDIO_DECODE', `"${file}" failed to decode (exit ${code}):\n${detail}`)
}

/**
 * True when ffmpeg got as far as its input but failed on the output side: the ALSA device would
 * not open, or the output file could not be written.
 */
export function isOutputFailure(stderr: string): boolean {
  return parseInputInfo(stderr) !== undefined && OUTPUT_FAILURE.test(stderr)
}

/** What ffmpeg prints when the output, not the input, is the problem. */
const OUTPUT_FAILURE =
  /\[alsa @|Could not write header|Error opening output|Error initializing output|No space left/
