/**
 * @module audio/sinks/types
 * The contract between the speaker agent's player and an audio output.
 *
 * Playing at an instant happens in two steps, so that ffmpeg's start-up is never on the
 * critical path (docs/reliability.md, "Clock steps on the node"; docs/benchmarks.md):
 *
 * 1. `prepare(file, opts)`, about 1–2 s ahead: starts the decoder (ffmpeg, decoding to raw PCM on
 *    a pipe), opens the output and holds the first buffer of PCM. Resolves with a {@link Prepared}.
 * 2. `prepared.start(at)`: at the instant `at` (ms, on the sink's clock {@link SinkDeps.now}; the
 *    agent passes its fleet clock) only releases the first sample, then feeds the output at
 *    real-time pace. `started.firstSampleAt` says when the first sample reached the output.
 *
 * `prepared.abort()` stops it in either step. `play(file, opts)` is `prepare` then `start(now)`,
 * for test tones. A simulated sink (the fleet simulator) implements the same three calls without
 * ffmpeg: it may resolve `firstSampleAt` with the instant it models instead of waiting.
 */
import type { PaceClock } from './pace.js'

/** What one playback did, timed with the sink's clock ({@link SinkDeps.now}). */
export interface PlayResult {
  /** When the first sample reached the output, ms (fractional) on the sink's clock. */
  startedAt: number
  /** When the last sample had been played (or the playback stopped), ms on the sink's clock. */
  endedAt: number
  /** Length of audio played, ms, from the count of samples released to the output. */
  playedMs: number
  /** RMS level of what was played, dBFS; -120 for digital silence; null if not measured. */
  rmsDb: number | null
  /** Peak level of what was played, dBFS; -120 for digital silence; null if not measured. */
  peakDb: number | null
  /** Where the audio went, when the sink has a name for it (the WAV file, the ALSA device). */
  output?: string
}

/** Options for {@link Sink.play} and {@link Sink.prepare}. */
export interface PlayOptions {
  /** Name of this playback; the `wav` sink writes `<dir>/<name>.wav`. */
  name: string
  /** 0..100, a linear amplitude factor in percent; 100 (the default) leaves samples unchanged. */
  volume?: number
  /** Stops the playback, like {@link Prepared.abort}; promises then reject with an `AbortError`. */
  signal?: AbortSignal
  /** Starts this many ms into the file (a segment resumed in progress); 0 or absent: the start. */
  offsetMs?: number
  /**
   * A live stream to decode instead of the file (the `file` argument then only names it): Ogg
   * bytes as they arrive, piped into ffmpeg, which starts decoding at the first page without
   * probing ahead. Its end ends the playback.
   */
  input?: AsyncIterable<Buffer>
  /**
   * Keep in step (a live stream): a start later than its instant drops the frames it is late by,
   * so every later frame sounds at `at + k / rate` as placed, instead of the whole stream late.
   */
  catchUp?: boolean
  /**
   * A clocked output ran dry (an underrun begins): it has sounded its first `frame` frames and
   * holds nothing more, the next PCM not yet decoded. Called at that moment on the pace clock,
   * once per underrun. With `catchUp`, what should sound while it stays dry is dropped when the
   * feed resumes, so the rest sounds in step (as placed) again.
   */
  onDry?: (frame: number) => void
}

/** A playback started by {@link Prepared.start}. */
export interface Started {
  /**
   * Resolves, once it sounds, with the instant (ms, sink clock) the first sample reached the
   * output: for `wav` and `null` (a device clocked by the system clock, fed 300 ms ahead) the
   * instant `at`, or the moment it was handed over if that was later; for `alsa`, the moment it
   * was released plus the device's delay.
   * Rejects like `done` when the playback fails or is aborted before that.
   */
  firstSampleAt: Promise<number>
  /** Resolves when the last sample has been played; rejects with `AbortError` when aborted. */
  done: Promise<PlayResult>
}

/** A playback made ready ahead of its instant: decoder running, output open, first PCM held. */
export interface Prepared {
  /** Length of the audio that will be played, ms, when the sink knows it; else null. */
  readonly durationMs: number | null
  /**
   * Releases the first sample at `at` (ms on the sink's clock); an instant already past releases
   * at once. Call it once; a second call throws.
   */
  start(at: number): Started
  /** Stops the decoder and closes the output, started or not; idempotent. */
  abort(reason?: unknown): void
}

/** An audio output that plays a file in real time. */
export interface Sink {
  /** The spec string the sink was created from, such as `alsa:default`. */
  readonly spec: string
  /**
   * Gets `file` ready to start at an instant (see the module comment). Rejects with
   * `AUDIO_DECODE` when the file cannot be decoded, `AUDIO_SINK` when the output cannot be opened.
   */
  prepare(file: string, opts: PlayOptions): Promise<Prepared>
  /** Plays `file` now at real-time pace and resolves when it has finished. */
  play(file: string, opts: PlayOptions): Promise<PlayResult>
}

/** What a sink needs: the ffmpeg binary and, optionally, its clocks. */
export interface SinkDeps {
  /** Path of the ffmpeg binary. */
  ffmpegPath: string
  /**
   * The clock `start(at)` instants and every reported time are on (the agent passes its fleet
   * clock: the controller's time as the node estimates it); `Date.now` when omitted.
   */
  now?: () => number
  /**
   * The monotonic clock the output is paced on, and its timers; the machine's (`performance.now`,
   * `setTimeout`) when omitted. Tests inject a manual clock; an injected clock is never spun on.
   */
  pace?: PaceClock
}
