/**
 * @module audio/sinks/types
 * The contract between the speaker agent's player and an audio output.
 */

/** What one playback did, timed with the sink's clock. */
export interface PlayResult {
  /** Clock time just before ffmpeg was started, ms. */
  startedAt: number
  /** Clock time after ffmpeg finished, ms. */
  endedAt: number
  /** Length of audio played, ms (from ffmpeg's progress; the wall-clock span if unknown). */
  playedMs: number
  /** RMS level of what was played, dBFS; -120 for digital silence; null if not measured. */
  rmsDb: number | null
  /** Peak level of what was played, dBFS; -120 for digital silence; null if not measured. */
  peakDb: number | null
  /** Where the audio went, when the sink has a name for it (the WAV file, the ALSA device). */
  output?: string
}

/** Options for {@link Sink.play}. */
export interface PlayOptions {
  /** Name of this playback; the `wav` sink writes `<dir>/<name>.wav`. */
  name: string
  /** 0..100, a linear amplitude factor in percent; 100 (the default) leaves samples unchanged. */
  volume?: number
  /** Stops the playback; `play` then rejects with an error named `AbortError`. */
  signal?: AbortSignal
  /** Starts this many ms into the file (a segment resumed in progress); 0 or absent: the start. */
  offsetMs?: number
}

/** An audio output that plays a file in real time. */
export interface Sink {
  /** The spec string the sink was created from, such as `alsa:default`. */
  readonly spec: string
  /** Plays `file` at real-time pace and resolves when it has finished. */
  play(file: string, opts: PlayOptions): Promise<PlayResult>
}

/** What a sink needs: the ffmpeg binary and, optionally, a clock. */
export interface SinkDeps {
  /** Path of the ffmpeg binary. */
  ffmpegPath: string
  /** Clock for `startedAt`/`endedAt`; `Date.now` when omitted. */
  now?: () => number
}
