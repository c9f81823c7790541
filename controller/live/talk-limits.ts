/**
 * @module live/talk-limits
 * What the talk socket accepts from an authenticated browser: audio frames of PCM s16le 48 kHz
 * mono at most at the audio rate (with a burst allowance for a network hiccup), so that a peer
 * that is not a microphone costs no more than one. Pure: the caller passes the instants.
 */
import { TALK_BYTES_PER_SEC, TALK_MAX_MESSAGE_BYTES } from '../../contract/index.js'

/** Audio a browser may send ahead of real time (after a stall of its network, say). */
export const TALK_BURST_MS = 2000

/** A token bucket of audio bytes: `TALK_BYTES_PER_SEC` a second, `TALK_BURST_MS` deep. */
export interface AudioRateLimit {
  /** Takes one frame arriving at `now`: null when accepted, else why it is refused. */
  take(bytes: number, now: number): string | null
}

/** A fresh limit whose bucket starts full at `now` (rate and burst may be overridden by tests). */
export function createAudioRateLimit(
  now: number,
  opts: { bytesPerSec?: number; burstMs?: number } = {},
): AudioRateLimit {
  const rate = opts.bytesPerSec ?? TALK_BYTES_PER_SEC
  const depth = (rate * (opts.burstMs ?? TALK_BURST_MS)) / 1000
  let tokens = depth
  let at = now
  return {
    take(bytes, t) {
      if (bytes > TALK_MAX_MESSAGE_BYTES) return `a frame is at most ${TALK_MAX_MESSAGE_BYTES} B`
      if (bytes % 2 !== 0) return 'PCM s16le frames have an even number of bytes'
      tokens = Math.min(depth, tokens + ((Math.max(t, at) - at) * rate) / 1000)
      at = Math.max(t, at)
      if (bytes > tokens) return 'audio arrives faster than 48 kHz mono s16le'
      tokens -= bytes
      return null
    },
  }
}
