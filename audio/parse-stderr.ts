/**
 * @module audio/parse-stderr
 * Pure parsers for what ffmpeg prints on stderr. ffmpeg has no machine-readable output for these
 * facts (and this build ships no ffprobe), so the text is the interface; each parser is tolerant
 * and returns `undefined`/`null` rather than throwing.
 */

/**
 * Arguments that prefix every log line with its level (`[error]`, `[warning]`, `[info]`), so that
 * decode errors can be told from information. Supported since ffmpeg 4.0.
 */
export const LOG_LEVEL_ARGS: readonly string[] = ['-loglevel', 'level+info']

/** Level-measurement floor: digital silence is reported as this many dB instead of -inf. */
export const SILENCE_DB = -120

/** The first input's container and first audio stream, as printed under `Input #0`. */
export interface InputInfo {
  /** Demuxer name(s), for example `mp3`, `wav` or `mov,mp4,m4a,3gp,3g2,mj2`. */
  format: string
  /** Container duration in milliseconds (`Duration:`), when ffmpeg knew it. */
  durationMs?: number
  /** The first audio stream, when there is one. */
  audio?: { codec: string; sampleRate: number; channels: number }
}

/** Channel counts of the layout names ffmpeg prints (libavutil `channel_layout_map`). */
const LAYOUT_CHANNELS: Readonly<Record<string, number>> = {
  mono: 1,
  stereo: 2,
  downmix: 2,
  '2.1': 3,
  '3.0': 3,
  '3.0(back)': 3,
  '4.0': 4,
  quad: 4,
  'quad(side)': 4,
  '3.1': 4,
  '5.0': 5,
  '5.0(side)': 5,
  '4.1': 5,
  '5.1': 6,
  '5.1(side)': 6,
  '6.0': 6,
  '6.0(front)': 6,
  hexagonal: 6,
  '6.1': 7,
  '6.1(back)': 7,
  '6.1(front)': 7,
  '7.0': 7,
  '7.0(front)': 7,
  '7.1': 8,
  '7.1(wide)': 8,
  '7.1(wide-side)': 8,
  octagonal: 8,
  hexadecagonal: 16,
}

/** Parses the `Input #0` section (up to `Stream mapping:` or `Output #0`). */
export function parseInputInfo(stderr: string): InputInfo | undefined {
  const start = stderr.search(/Input #0, /)
  if (start < 0) return undefined
  const rest = stderr.slice(start)
  const end = rest.search(/Stream mapping:|Output #0/)
  const section = end < 0 ? rest : rest.slice(0, end)
  const format = /Input #0, (.+?), from '/.exec(section)?.[1]
  if (format === undefined) return undefined
  const info: InputInfo = { format }
  const duration = /Duration: (\d+:\d{2}:\d{2}(?:\.\d+)?)/.exec(section)?.[1]
  if (duration !== undefined) info.durationMs = clockToMs(duration)
  const stream = /Stream #0:\d+[^:\n]*: Audio: ([^\s,]+)[^\n]*?, (\d+) Hz, ([^,\n]+)/.exec(section)
  if (stream?.[1] !== undefined && stream[2] !== undefined && stream[3] !== undefined) {
    info.audio = {
      codec: stream[1],
      sampleRate: Number(stream[2]),
      channels: layoutChannels(stream[3].trim()),
    }
  }
  return info
}

/** Channel count of a layout such as `stereo`, `5.1(side)` or `3 channels`; 0 if unknown. */
export function layoutChannels(layout: string): number {
  const counted = /^(\d+) channels/.exec(layout)?.[1]
  if (counted !== undefined) return Number(counted)
  return LAYOUT_CHANNELS[layout] ?? 0
}

/** Milliseconds of media processed, from the last `time=` progress report; undefined if none. */
export function parseProgressTimeMs(stderr: string): number | undefined {
  let last: string | undefined
  for (const match of stderr.matchAll(/time=\s*(-?\d+:\d{2}:\d{2}(?:\.\d+)?)/g)) last = match[1]
  return last === undefined ? undefined : clockToMs(last)
}

/** `HH:MM:SS.cc` to milliseconds (a leading `-` is honoured). */
export function clockToMs(clock: string): number {
  const negative = clock.startsWith('-')
  const [h = '0', m = '0', s = '0'] = clock.replace(/^-/, '').split(':')
  const ms = Math.round((Number(h) * 3600 + Number(m) * 60 + Number(s)) * 1000)
  return negative ? -ms : ms
}

/**
 * RMS and peak level in dBFS from the `Overall` section the `astats` filter prints when it
 * closes. This 2018 build has no `measure_perchannel`/`measure_overall` options, so the section
 * is found by its heading. Silence (`-inf`, or this build's `-6153 dB` peak) is clamped to
 * {@link SILENCE_DB}; a value that cannot be found is null.
 */
export function parseAstatsOverall(stderr: string): {
  rmsDb: number | null
  peakDb: number | null
} {
  const at = stderr.lastIndexOf('] Overall')
  const section = at < 0 ? '' : stderr.slice(at)
  return {
    rmsDb: dbValue(/RMS level dB: (\S+)/.exec(section)?.[1]),
    peakDb: dbValue(/Peak level dB: (\S+)/.exec(section)?.[1]),
  }
}

function dbValue(text: string | undefined): number | null {
  if (text === undefined) return null
  const value = text === '-inf' ? Number.NEGATIVE_INFINITY : Number(text)
  if (Number.isNaN(value)) return null
  return Math.max(SILENCE_DB, value)
}

/** Lines logged at error level or worse (needs {@link LOG_LEVEL_ARGS}). */
export function errorLines(stderr: string): string[] {
  return stderr
    .split(/[\r\n]+/)
    .filter((line) => /^(?:\[[^\]]* @ [^\]]*\] )?\[(?:error|fatal|panic)\] /.test(line))
}

/** The last `count` non-empty lines of stderr, for error messages. */
export function stderrTail(stderr: string, count = 12): string {
  return stderr
    .split(/[\r\n]+/)
    .filter((line) => line.trim() !== '')
    .slice(-count)
    .join('\n')
}
