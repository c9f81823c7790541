/**
 * @module audio/sinks/play
 * The one playback routine every sink shares: `ffmpeg -re -i file -af [volume,]astats <output>`.
 * `-re` paces reading at the media's own rate, so every sink, even `null`, takes real time;
 * `astats` measures the level of exactly what was played.
 */
import { AudioError } from '../errors.js'
import { isOutputFailure } from '../failure.js'
import {
  LOG_LEVEL_ARGS,
  parseAstatsOverall,
  parseProgressTimeMs,
  stderrTail,
} from '../parse-stderr.js'
import { abortError, runFfmpeg } from '../run-ffmpeg.js'
import type { PlayOptions, PlayResult, SinkDeps } from './types.js'

/** Where the played audio goes: ffmpeg output arguments and the name reported as `output`. */
export interface PlayTarget {
  /** Output options and destination, for example `['-f', 'alsa', 'default']`. */
  args: string[]
  /** Reported as {@link PlayResult.output}. */
  output?: string
}

/** Plays `file` in real time into `target`, measuring its level; see {@link PlayResult}. */
export async function playThrough(
  deps: SinkDeps,
  file: string,
  opts: PlayOptions,
  target: PlayTarget,
): Promise<PlayResult> {
  const now = deps.now ?? Date.now
  const filters = [...volumeFilter(opts.volume), 'astats']
  const args = [
    ...LOG_LEVEL_ARGS,
    '-y',
    '-re',
    ...seekArgs(opts.offsetMs),
    '-i',
    `file:${file}`,
    '-map',
    '0:a:0',
    '-af',
    filters.join(','),
    ...target.args,
  ]
  const startedAt = now()
  let run: Awaited<ReturnType<typeof runFfmpeg>>
  try {
    run = await runFfmpeg(deps.ffmpegPath, args, { signal: opts.signal })
  } catch (err) {
    if (opts.signal?.aborted) throw asAbortError(opts.signal.reason ?? err)
    throw err
  }
  const endedAt = now()
  if (run.code !== 0) {
    const tail = stderrTail(run.stderr)
    if (isOutputFailure(run.stderr)) {
      throw new AudioError('AUDIO_SINK', `cannot play "${file}" to ${target.output}:\n${tail}`)
    }
    throw new AudioError('AUDIO_DECODE', `cannot decode "${file}" (exit ${run.code}):\n${tail}`)
  }
  const result: PlayResult = {
    startedAt,
    endedAt,
    playedMs: parseProgressTimeMs(run.stderr) ?? endedAt - startedAt,
    ...parseAstatsOverall(run.stderr),
  }
  if (target.output !== undefined) result.output = target.output
  return result
}

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

/** The abort reason itself when it is already an `AbortError`, else one wrapping it. */
function asAbortError(reason: unknown): unknown {
  const name = typeof reason === 'object' && reason !== null && 'name' in reason && reason.name
  return name === 'AbortError' ? reason : abortError('playback aborted', reason)
}
