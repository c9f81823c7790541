/**
 * @module audio/transcode
 * Normalises loudness (two-pass EBU R128) and transcodes to the one delivery format every node
 * plays.
 */
import { rename, rm } from 'node:fs/promises'
import { AudioError } from './errors.js'
import { inputFailure } from './failure.js'
import { inputArgs, sniffInputFormat } from './input-format.js'
import {
  DEFAULT_LOUDNESS,
  type LoudnessTarget,
  loudnormApplyFilter,
  runLoudnessMeasurement,
} from './loudnorm.js'
import { LOG_LEVEL_ARGS, parseProgressTimeMs } from './parse-stderr.js'
import { runFfmpeg } from './run-ffmpeg.js'

/**
 * The delivery format. MP3 decodes on every node, including hardware IP-speaker decoders that
 * know nothing newer; mono because a horn is one channel; 96 kbps CBR is transparent for speech
 * and music on horns and small enough for slow village links (about 0.7 MB a minute).
 */
export const DELIVERY_FORMAT = Object.freeze({
  codec: 'libmp3lame',
  container: 'mp3',
  sampleRate: 44100,
  channels: 1,
  bitrateKbps: 96,
  extension: 'mp3',
  mime: 'audio/mpeg',
} as const)

/**
 * Integrated loudness at or below this (LUFS) counts as silence: EBU R128's absolute gate is
 * -70 LUFS, so there is nothing to normalise, only noise to amplify.
 */
export const SILENCE_LUFS = -70

/** Options for {@link normaliseAndTranscode}. */
export interface TranscodeOptions {
  /** Loudness target; {@link DEFAULT_LOUDNESS} when omitted. */
  target?: LoudnessTarget
  /** Fails with `AUDIO_TIMEOUT` when the whole job (three ffmpeg runs) takes longer. */
  timeoutMs?: number
  /** Aborts the job. */
  signal?: AbortSignal
  /** Working directory of every ffmpeg run (see `RunFfmpegOptions.cwd`). */
  cwd?: string
}

/** Integrated loudness (LUFS) and true peak (dBTP) of one side of a transcode. */
export interface LoudnessReading {
  integratedLufs: number
  truePeakDb: number
}

/** What {@link normaliseAndTranscode} did. */
export interface TranscodeResult {
  /** Loudness of the input, measured after the downmix to mono. */
  before: LoudnessReading
  /** Loudness of the written output. */
  after: LoudnessReading
  /** Decoded length of the output in milliseconds. */
  durationMs: number
  /** True when the input was silence (loudness ≤ {@link SILENCE_LUFS}); it was not normalised. */
  silent: boolean
}

/** Downmix in the filter graph, so that loudness is measured and set on what a horn plays. */
const MONO = `aformat=channel_layouts=mono`

/**
 * Measures `input`, normalises it to the target with `loudnorm` (measured values, `linear=true`)
 * and writes {@link DELIVERY_FORMAT} to `output`. The file is written to `output + '.part'` and
 * renamed, so a failed run leaves nothing at `output`. Silent input is only transcoded. The
 * input's demuxer is chosen from its first bytes, never by ffmpeg (`input-format.ts`).
 */
export async function normaliseAndTranscode(
  ffmpegPath: string,
  input: string,
  output: string,
  opts: TranscodeOptions = {},
): Promise<TranscodeResult> {
  const target = opts.target ?? DEFAULT_LOUDNESS
  const deadline = opts.timeoutMs === undefined ? undefined : Date.now() + opts.timeoutMs
  const runOpts = (): { signal?: AbortSignal; timeoutMs?: number; cwd?: string } => ({
    signal: opts.signal,
    timeoutMs: remainingMs(deadline, opts.timeoutMs),
    ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
  })
  const format = await sniffInputFormat(input)

  const first = await runLoudnessMeasurement(ffmpegPath, input, target, {
    ...runOpts(),
    preFilters: [MONO],
  })
  const before = reading(first.measured)
  const silent = !(before.integratedLufs > SILENCE_LUFS)
  const filters = silent ? [MONO] : [MONO, loudnormApplyFilter(target, first.measured)]

  const part = `${output}.part`
  try {
    const { code, stderr } = await runFfmpeg(
      ffmpegPath,
      [
        ...LOG_LEVEL_ARGS,
        '-y',
        ...inputArgs(input, format),
        '-map',
        '0:a:0',
        '-map_metadata',
        '-1',
        '-af',
        filters.join(','),
        '-ar',
        String(DELIVERY_FORMAT.sampleRate),
        '-ac',
        String(DELIVERY_FORMAT.channels),
        '-c:a',
        DELIVERY_FORMAT.codec,
        '-b:a',
        `${DELIVERY_FORMAT.bitrateKbps}k`,
        '-f',
        DELIVERY_FORMAT.container,
        `file:${part}`,
      ],
      runOpts(),
    )
    if (code !== 0) throw inputFailure(input, code, stderr)
    const last = await runLoudnessMeasurement(ffmpegPath, part, target, runOpts())
    const durationMs = parseProgressTimeMs(last.stderr)
    if (durationMs === undefined) {
      throw new AudioError('AUDIO_PROBE', `cannot find the duration of the transcoded "${input}"`)
    }
    await rename(part, output)
    return { before, after: reading(last.measured), durationMs, silent }
  } catch (err) {
    await rm(part, { force: true })
    throw err
  }
}

function reading(measured: { inputI: number; inputTp: number }): LoudnessReading {
  return { integratedLufs: measured.inputI, truePeakDb: measured.inputTp }
}

/** Time left before `deadline`; throws `AUDIO_TIMEOUT` when none is left. */
function remainingMs(
  deadline: number | undefined,
  totalMs: number | undefined,
): number | undefined {
  if (deadline === undefined) return undefined
  const left = deadline - Date.now()
  if (left <= 0)
    throw new AudioError('AUDIO_TIMEOUT', `transcode did not finish within ${totalMs} ms`)
  return left
}
