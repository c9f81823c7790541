/**
 * @module audio
 * ffmpeg wrappers: probe, loudness-normalise, transcode, content hash, and playback to a sink.
 * This file is the folder's public surface; other folders import only from here.
 */
export { AudioError, type AudioErrorCode, isAudioError } from './errors.js'
export { type FfmpegEnv, type ResolveFfmpegOptions, resolveFfmpegPath } from './ffmpeg-path.js'
export { sha256File } from './hash.js'
export {
  ACCEPTED_FORMATS_TEXT,
  formatFromMagic,
  type InputFormat,
  inputArgs,
  sniffInputFormat,
} from './input-format.js'
export {
  DEFAULT_LOUDNESS,
  type LoudnessTarget,
  type LoudnormMeasurement,
  loudnormApplyFilter,
  loudnormMeasureArgs,
  type MeasureOptions,
  measureLoudness,
  parseLoudnormJson,
} from './loudnorm.js'
export { type ProbeOptions, type ProbeResult, probeAudio } from './probe.js'
export { type RunFfmpegOptions, type RunFfmpegResult, runFfmpeg } from './run-ffmpeg.js'
export {
  createAlsaSink,
  createNullSink,
  createSink,
  createWavSink,
  type PlayOptions,
  type PlayResult,
  type Prepared,
  SINK_SPEC_FORMS,
  type Sink,
  type SinkDeps,
  type Started,
  type WavStart,
} from './sinks/index.js'
export {
  generateSilence,
  generateTone,
  type SignalOptions,
  type ToneOptions,
} from './tone.js'
export {
  DELIVERY_FORMAT,
  type LoudnessReading,
  normaliseAndTranscode,
  SILENCE_LUFS,
  type TranscodeOptions,
  type TranscodeResult,
} from './transcode.js'
