/**
 * @module audio/errors
 * The catalogue of `audio/` failure codes. Codes are stable strings and are never reused
 * (STYLE.md rule 17); the original error, when there is one, goes in `cause`.
 */

/** Every failure code `audio/` can raise. */
export type AudioErrorCode =
  | 'AUDIO_PROBE'
  | 'AUDIO_DECODE'
  | 'AUDIO_NOT_AUDIO'
  /** Not one of the accepted formats (MP3, WAV, M4A, Ogg, FLAC), by its first bytes. */
  | 'AUDIO_FORMAT'
  | 'AUDIO_EMPTY'
  | 'AUDIO_TOO_LONG'
  | 'AUDIO_FFMPEG_MISSING'
  | 'AUDIO_TIMEOUT'
  | 'AUDIO_SINK'

/** An error raised by `audio/`, carrying a stable `code` from {@link AudioErrorCode}. */
export class AudioError extends Error {
  /** Stable machine-readable failure code. */
  readonly code: AudioErrorCode

  /** Creates an error with a code, a human-readable message and an optional cause. */
  constructor(code: AudioErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'AudioError'
    this.code = code
  }
}

/** True when `err` is an {@link AudioError}, optionally with the given code. */
export function isAudioError(err: unknown, code?: AudioErrorCode): err is AudioError {
  return err instanceof AudioError && (code === undefined || err.code === code)
}
