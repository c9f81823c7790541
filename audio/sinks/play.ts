/**
 * @module audio/sinks/play
 * Argument helpers shared by the decoder: the volume filter and the input seek.
 */
import { AudioError } from '../errors.js'

/**
 * The `volume` filter for a 0..100 setting, as a linear amplitude factor; none at 100, so the
 * samples pass unchanged. Throws `AUDIO_SINK` outside 0..100.
 */
export function volumeFilter(volume = 100): string[] {
  if (!(volume >= 0 && volume <= 100)) {
    throw new AudioError('AUDIO_SINK', `volume must be between 0 and 100, got ${volume}`)
  }
  return volume === 100 ? [] : [`volume=${(volume / 100).toFixed(4)}`]
}

/** Input seek (`-ss` before `-i`, so ffmpeg skips without decoding the part before it). */
export function seekArgs(offsetMs = 0): string[] {
  if (!(offsetMs >= 0) || !Number.isFinite(offsetMs)) {
    throw new AudioError(
      'AUDIO_SINK',
      `offset must be a non-negative number of ms, got ${offsetMs}`,
    )
  }
  return offsetMs === 0 ? [] : ['-ss', (offsetMs / 1000).toFixed(3)]
}
