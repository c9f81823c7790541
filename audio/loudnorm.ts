/**
 * @module audio/loudnorm
 * Two-pass EBU R128 loudness normalisation with ffmpeg's `loudnorm` filter: pure argument
 * builders, a parser for the JSON block it prints, and a runner for the measuring pass.
 */
import { AudioError } from './errors.js'
import { inputFailure } from './failure.js'
import { type InputFormat, inputArgs, sniffInputFormat } from './input-format.js'
import { errorLines, LOG_LEVEL_ARGS, stderrTail } from './parse-stderr.js'
import { type RunFfmpegOptions, runFfmpeg } from './run-ffmpeg.js'

/** A loudness target: integrated loudness (LUFS), maximum true peak (dBTP), loudness range (LU). */
export interface LoudnessTarget {
  integratedLufs: number
  truePeakDb: number
  lra: number
}

/**
 * The house loudness target. -16 LUFS suits speech over outdoor horn speakers and is in line
 * with the common loudness target for speech and podcast delivery (louder than broadcast
 * television's -23, which is meant for quiet living rooms); -1.5 dBTP leaves true-peak headroom
 * for the overshoot that MP3 encoding adds; LRA 11 LU keeps music dynamics while taming
 * speech-level jumps.
 */
export const DEFAULT_LOUDNESS: Readonly<LoudnessTarget> = Object.freeze({
  integratedLufs: -16,
  truePeakDb: -1.5,
  lra: 11,
})

/** The first-pass measurement `loudnorm` prints (`input_*` values and the `target_offset`). */
export interface LoudnormMeasurement {
  /** Integrated loudness, LUFS (-Infinity for silence). */
  inputI: number
  /** True peak, dBTP (-Infinity for silence). */
  inputTp: number
  /** Loudness range, LU. */
  inputLra: number
  /** Gating threshold, LUFS. */
  inputThresh: number
  /** Gain offset `loudnorm` suggests for the second pass, LU. */
  targetOffset: number
}

/** Options for {@link measureLoudness}. */
export interface MeasureOptions extends Pick<RunFfmpegOptions, 'signal' | 'timeoutMs' | 'cwd'> {
  /** Filters run before `loudnorm`, for example a downmix, so the measurement matches delivery. */
  preFilters?: readonly string[]
}

/** The `loudnorm=I=…:TP=…:LRA=…` stem shared by both passes. */
function targetFilter(target: LoudnessTarget): string {
  return `loudnorm=I=${target.integratedLufs}:TP=${target.truePeakDb}:LRA=${target.lra}`
}

/**
 * ffmpeg arguments for the measuring pass: decode the first audio stream through `loudnorm`.
 * With `format`, the input is read with that demuxer only (`input-format.ts`).
 */
export function loudnormMeasureArgs(
  input: string,
  target: LoudnessTarget = DEFAULT_LOUDNESS,
  preFilters: readonly string[] = [],
  format?: InputFormat,
): string[] {
  const chain = [...preFilters, `${targetFilter(target)}:print_format=json`].join(',')
  const from = format === undefined ? ['-i', `file:${input}`] : inputArgs(input, format)
  return [...from, '-map', '0:a:0', '-af', chain, '-f', 'null', '-']
}

/**
 * The `loudnorm` filter for the second pass, fed the first pass's measurement and set to
 * `linear=true`, so the whole file gets one gain when that meets the target without passing the
 * true-peak ceiling (loudnorm falls back to its dynamic mode when it cannot).
 */
export function loudnormApplyFilter(target: LoudnessTarget, measured: LoudnormMeasurement): string {
  // Clamped to the ranges this filter accepts (`ffmpeg -h filter=loudnorm`), and kept off the
  // values loudnorm reads as "not measured" (LRA 0, threshold -70, I 0): any of those silently
  // turns linear mode off, and a steady tone or a flat recording does measure LRA 0.
  const opt = (value: number, min: number, max: number, unset: number): string => {
    const text = Math.min(max, Math.max(min, value)).toFixed(2)
    return Number(text) !== unset ? text : (unset + (unset < max ? 0.01 : -0.01)).toFixed(2)
  }
  return [
    targetFilter(target),
    `measured_I=${opt(measured.inputI, -99, 0, 0)}`,
    `measured_TP=${opt(measured.inputTp, -99, 99, 99)}`,
    `measured_LRA=${opt(measured.inputLra, 0, 99, 0)}`,
    `measured_thresh=${opt(measured.inputThresh, -99, 0, -70)}`,
    `offset=${opt(measured.targetOffset, -99, 99, Number.NaN)}`,
    'linear=true',
  ].join(':')
}

/** Parses the JSON block `loudnorm` prints with `print_format=json`; throws `AUDIO_PROBE`. */
export function parseLoudnormJson(stderr: string): LoudnormMeasurement {
  const at = stderr.lastIndexOf('"input_i"')
  const open = stderr.lastIndexOf('{', at)
  const close = stderr.indexOf('}', at)
  if (at < 0 || open < 0 || close < 0) {
    throw new AudioError('AUDIO_PROBE', 'loudnorm printed no measurement')
  }
  let raw: Record<string, unknown>
  try {
    raw = JSON.parse(stderr.slice(open, close + 1)) as Record<string, unknown>
  } catch (err) {
    throw new AudioError('AUDIO_PROBE', 'loudnorm printed a measurement that is not JSON', {
      cause: err,
    })
  }
  const num = (key: string): number => {
    const text = String(raw[key])
    const value = text === 'inf' ? Infinity : text === '-inf' ? -Infinity : Number(text)
    if (Number.isNaN(value)) {
      throw new AudioError('AUDIO_PROBE', `loudnorm measurement has no number for "${key}"`)
    }
    return value
  }
  return {
    inputI: num('input_i'),
    inputTp: num('input_tp'),
    inputLra: num('input_lra'),
    inputThresh: num('input_thresh'),
    targetOffset: num('target_offset'),
  }
}

/**
 * Runs the measuring pass over `file` (its demuxer chosen from its first bytes) and returns the measurement with the run's stderr (whose
 * last `time=` is the decoded length).
 */
export async function runLoudnessMeasurement(
  ffmpegPath: string,
  file: string,
  target: LoudnessTarget = DEFAULT_LOUDNESS,
  opts: MeasureOptions = {},
): Promise<{ measured: LoudnormMeasurement; stderr: string }> {
  const format = await sniffInputFormat(file)
  const args = [...LOG_LEVEL_ARGS, ...loudnormMeasureArgs(file, target, opts.preFilters, format)]
  const { code, stderr } = await runFfmpeg(ffmpegPath, args, opts)
  if (code !== 0) throw inputFailure(file, code, stderr)
  try {
    return { measured: parseLoudnormJson(stderr), stderr }
  } catch (err) {
    const errors = errorLines(stderr)
    if (errors.length > 0) throw inputFailure(file, code, stderr)
    throw new AudioError(
      'AUDIO_PROBE',
      `cannot measure loudness of "${file}":\n${stderrTail(stderr)}`,
      {
        cause: err,
      },
    )
  }
}

/** Measures the EBU R128 loudness of `file` (the first pass of two-pass `loudnorm`). */
export async function measureLoudness(
  ffmpegPath: string,
  file: string,
  target: LoudnessTarget = DEFAULT_LOUDNESS,
  opts: MeasureOptions = {},
): Promise<LoudnormMeasurement> {
  return (await runLoudnessMeasurement(ffmpegPath, file, target, opts)).measured
}
