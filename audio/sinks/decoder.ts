/**
 * @module audio/sinks/decoder
 * The decoding half of a playback: ffmpeg decodes the file (seeked, volume applied, level
 * measured by `astats`) as fast as it can into a WAV stream on a pipe, and the pipe's
 * back-pressure holds it there until the output wants more. The WAV header tells the PCM format.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process'
import type { Readable, Writable } from 'node:stream'
import { AudioError } from '../errors.js'
import { LOG_LEVEL_ARGS, stderrTail } from '../parse-stderr.js'
import { createStderrCollector } from '../run-ffmpeg.js'
import { seekArgs, volumeFilter } from './play.js'
import type { PlayOptions } from './types.js'

/** The PCM a decoder produces: signed 16-bit little-endian, interleaved. */
export interface PcmFormat {
  sampleRate: number
  channels: number
}

/** How ffmpeg ended: exit code (null: killed) and its stderr (head and tail). */
export interface DecoderExit {
  code: number | null
  stderr: string
}

/** A running decoder whose header has been read. */
export interface Decoder {
  readonly format: PcmFormat
  /** Bytes per frame (one sample of every channel). */
  readonly frameBytes: number
  /** The next PCM chunk (whole frames), or null at the end of the stream. */
  next(): Promise<Buffer | null>
  /** Kills ffmpeg; idempotent. */
  kill(): void
  /** Settles when ffmpeg has exited; never rejects. */
  readonly exited: Promise<DecoderExit>
}

/** Largest WAV header accepted before the `data` chunk (fmt plus metadata chunks). */
const MAX_HEADER_BYTES = 64 * 1024

/**
 * Starts ffmpeg on `file` and resolves once the WAV header is read. Rejects with `AUDIO_DECODE`
 * (and ffmpeg's last lines) when ffmpeg ends before any PCM format is known, `AUDIO_FFMPEG_MISSING` when it cannot start.
 */
export async function startDecoder(
  ffmpegPath: string,
  file: string,
  opts: Pick<PlayOptions, 'volume' | 'offsetMs' | 'input'>,
): Promise<Decoder> {
  const filters = [...volumeFilter(opts.volume), 'astats']
  const input = opts.input
  const args = [
    '-hide_banner',
    ...(input ? [] : ['-nostdin']),
    ...LOG_LEVEL_ARGS,
    ...(input
      ? // A live stream: decode from the first page, never wait to analyse what follows. Not
        // `-fflags nobuffer`: it throws away the packet read to probe, the stream's first 20 ms,
        // so every later sample would sound 20 ms early (docs/benchmarks.md, session 6).
        ['-probesize', '32', '-analyzeduration', '0', '-f', 'ogg']
      : seekArgs(opts.offsetMs)),
    '-i',
    input ? 'pipe:0' : `file:${file}`,
    '-map',
    '0:a:0',
    '-af',
    filters.join(','),
    '-map_metadata',
    '-1',
    '-c:a',
    'pcm_s16le',
    '-f',
    'wav',
    'pipe:1',
  ]
  const child = spawn(ffmpegPath, args, {
    stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    windowsHide: true,
  }) as ChildProcessByStdio<Writable | null, Readable, Readable>
  if (input && child.stdin) feed(input, child.stdin)
  const stderr = createStderrCollector()
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
  let spawnError: unknown
  const exited = new Promise<DecoderExit>((resolve) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      spawnError =
        err.code === 'ENOENT' || err.code === 'EACCES'
          ? new AudioError('AUDIO_FFMPEG_MISSING', `cannot start ffmpeg at "${ffmpegPath}"`, {
              cause: err,
            })
          : err
      resolve({ code: null, stderr: stderr.text() })
    })
    child.once('close', (code) => resolve({ code, stderr: stderr.text() }))
  })
  const chunks = child.stdout[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }

  let pending: Buffer = Buffer.alloc(0)
  let header: { format: PcmFormat; dataAt: number } | null = null
  try {
    while (header === null) {
      const r = await chunks.next()
      if (r.done) break
      pending = Buffer.concat([pending, r.value])
      header = parseWavHeader(pending)
      if (header === null && pending.length > MAX_HEADER_BYTES) {
        throw new AudioError('AUDIO_DECODE', `ffmpeg wrote no WAV header for "${file}"`)
      }
    }
  } catch (err) {
    kill()
    throw err
  }
  if (header === null) {
    const end = await exited
    if (spawnError !== undefined) throw spawnError
    throw new AudioError(
      'AUDIO_DECODE',
      `cannot decode "${file}" (exit ${end.code}):\n${stderrTail(end.stderr)}`,
    )
  }
  const format = header.format
  const frameBytes = 2 * format.channels
  let carry: Buffer = pending.subarray(header.dataAt)

  return {
    format,
    frameBytes,
    async next() {
      for (;;) {
        const whole = carry.length - (carry.length % frameBytes)
        if (whole > 0) {
          const out = carry.subarray(0, whole)
          carry = carry.subarray(whole)
          return out
        }
        const r = await chunks.next()
        if (r.done) return null
        carry = carry.length === 0 ? r.value : Buffer.concat([carry, r.value])
      }
    },
    kill,
    exited,
  }
}

/** The PCM format and where the samples start, once `buf` holds the whole header; else null. */
export function parseWavHeader(buf: Buffer): { format: PcmFormat; dataAt: number } | null {
  if (buf.length < 12) return null
  if (buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') {
    throw new AudioError('AUDIO_DECODE', 'the decoder did not write a WAV stream')
  }
  let at = 12
  let format: PcmFormat | null = null
  while (at + 8 <= buf.length) {
    const id = buf.toString('latin1', at, at + 4)
    const size = buf.readUInt32LE(at + 4)
    if (id === 'data') {
      if (format === null) throw new AudioError('AUDIO_DECODE', 'WAV data before its format')
      return { format, dataAt: at + 8 }
    }
    if (at + 8 + size > buf.length) return null
    if (id === 'fmt ') {
      const bits = buf.readUInt16LE(at + 8 + 14)
      if (bits !== 16) throw new AudioError('AUDIO_DECODE', `decoder wrote ${bits}-bit PCM`)
      format = { channels: buf.readUInt16LE(at + 8 + 2), sampleRate: buf.readUInt32LE(at + 8 + 4) }
    }
    at += 8 + size + (size % 2)
  }
  return null
}

/** Pipes a live stream into ffmpeg's stdin; its end (or failure) closes stdin. */
function feed(input: AsyncIterable<Buffer>, stdin: Writable): void {
  stdin.on('error', () => undefined) // ffmpeg killed: EPIPE
  void (async () => {
    try {
      for await (const chunk of input) {
        if (stdin.destroyed) return
        if (!stdin.write(chunk)) await new Promise((r) => stdin.once('drain', r))
      }
    } catch {
      // the stream broke: what was received is decoded, then the playback ends
    }
    if (!stdin.destroyed) stdin.end()
  })()
}
