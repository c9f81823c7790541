/**
 * @module audio/sinks/output
 * What a sink's playback routine (`preroll.ts`) writes PCM to: a file, nothing, or a device.
 */
import type { PcmFormat } from './decoder.js'

/** Where the PCM goes: a file, nothing, or a device. */
export interface PcmOutput {
  /** Writes PCM; resolves when the output accepted it (back-pressure). */
  write(pcm: Buffer): Promise<void>
  /**
   * Marks when the first sample sounds and when it was handed over (system clock, epoch ms), for
   * outputs that log it.
   */
  released?(firstSampleAt: number, handedAt: number, skippedFrames: number): void
  /**
   * A clocked output ran dry: it had sounded its first `frame` frames and sounded nothing for
   * `ms` before the next buffer came (a sound card's underrun). What follows sounds that much
   * later than placed, unless `dropped` frames of the source (those that should have sounded
   * meanwhile: a playback that keeps in step) were left out; for outputs that log it (the `wav`
   * sink models the card).
   */
  starved?(frame: number, ms: number, dropped: number): void
  /** Finishes the output; `played` frames were released. Rejects with `AUDIO_SINK` on failure. */
  close(played: number): Promise<void>
  /** Frees the output at once after an abort or a failure; never throws. */
  discard(played: number): Promise<void>
  /** ms from releasing a sample to hearing it (a device's buffer); 0 for files. */
  readonly delayMs: number
  /**
   * A clocked output (a device whose own clock plays sample k at a fixed time once fed ahead, as
   * a sound card with a running stream does; `wav` and `null` model one on the system clock):
   * the first buffer is handed over this long before the instant and sounds at the instant, or
   * when it was handed over if that was later. Absent: the first sample is released at the
   * instant and sounds then.
   */
  readonly handoverMs?: number
  /** How far ahead of real time PCM is fed, ms. */
  readonly leadMs: number
  /** Reported as {@link PlayResult.output}. */
  readonly output?: string
}

/** Opens an output for PCM of `format`; rejects with `AUDIO_SINK` when it cannot. */
export type OpenOutput = (format: PcmFormat) => Promise<PcmOutput>
