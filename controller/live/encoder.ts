/**
 * @module live/encoder
 * The one encoder of a live session: ffmpeg turns the source (PCM written by the caller, or a URL
 * it reads itself) into Ogg Opus, flushed page by page (20 ms pages), so every listener gets the
 * same bytes (docs/protocol.md "Live audio").
 */
import { spawn } from 'node:child_process'
import { createOggReader, type OggPage } from './ogg.js'

/** What feeds the encoder. */
export type EncoderSource = { pcm: true } | { url: string }

/** Sample format of a PCM source: signed 16-bit little-endian, 48 kHz, mono. */
export const PCM_RATE = 48_000

/** A running encoder. */
export interface Encoder {
  /** Writes PCM (PCM sources only); false when the encoder is gone. */
  write(pcm: Buffer): boolean
  /** Ends the input: ffmpeg flushes what it holds and exits. */
  finish(): void
  /** Kills ffmpeg at once. */
  kill(): void
  /** Settles when ffmpeg has exited: its exit code (null: killed) and stderr's tail. */
  readonly exited: Promise<{ code: number | null; stderr: string }>
}

/** The ffmpeg protocols a relayed URL (and what it refers to) may use. */
export const RELAY_PROTOCOLS = 'http,https,tcp,tls,crypto,rtp,srtp,udp,rtsp,hls'

/** ffmpeg arguments for a session; exported for the documentation test. */
export function encoderArgs(source: EncoderSource, kind: 'voice' | 'relay'): string[] {
  const input =
    'pcm' in source
      ? // Raw PCM needs no probing: without these ffmpeg holds the first second to analyse it.
        // Not `-fflags nobuffer` here: it throws away the PCM read to probe (the first ~20 ms),
        // so media time 0 would be 20 ms into what was said and it would sound that much early.
        [
          '-probesize',
          '32',
          '-analyzeduration',
          '0',
          '-f',
          's16le',
          '-ar',
          String(PCM_RATE),
        ].concat(['-ac', '1', '-i', 'pipe:0'])
      : // A URL is read at its own pace (-re), so a file served whole plays in real time too.
        // Only network protocols: a stream (an HLS playlist, say) naming file: or another local
        // protocol is refused, so a relay never reads the controller's own files.
        // A small probe (32 KB, 0.5 s) starts a live stream in ~0.8 s instead of ~1.5 s: what
        // ffmpeg buffers to probe, -re keeps as delay for the whole relay (nobuffer drops it:
        // a relay has no instant of its own to keep).
        [
          ...['-fflags', 'nobuffer', '-probesize', '32768', '-analyzeduration', '500000', '-re'],
          ...['-rw_timeout', '5000000', '-protocol_whitelist', RELAY_PROTOCOLS, '-i', source.url],
        ]
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    ...input,
    '-map',
    '0:a:0',
    '-ac',
    '1',
    '-ar',
    String(PCM_RATE),
    '-c:a',
    'libopus',
    '-b:a',
    kind === 'voice' ? '32k' : '64k',
    '-application',
    kind === 'voice' ? 'voip' : 'audio',
    '-frame_duration',
    '20',
    '-page_duration',
    '20000',
    '-flush_packets',
    '1',
    '-map_metadata',
    '-1',
    '-f',
    'ogg',
    'pipe:1',
  ]
}

/** Starts ffmpeg; `onPage` gets each Ogg page as soon as it is written. */
export function startEncoder(opts: {
  ffmpegPath: string
  source: EncoderSource
  kind: 'voice' | 'relay'
  onPage: (page: OggPage) => void
}): Encoder {
  const child = spawn(opts.ffmpegPath, encoderArgs(opts.source, opts.kind), {
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  })
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString('utf8')).slice(-8192)
  })
  const reader = createOggReader()
  child.stdout.on('data', (chunk: Buffer) => {
    try {
      for (const page of reader.push(chunk)) opts.onPage(page)
    } catch (err) {
      // Never a crash of the controller: the session ends through `exited` (as `error`).
      stderr += `\n${String(err)}`
      child.kill('SIGKILL')
    }
  })
  // A PCM writer that outlives ffmpeg gets EPIPE: the session ends through `exited`.
  child.stdin.on('error', () => undefined)
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    child.once('error', (err) => resolve({ code: null, stderr: String(err) }))
    child.once('close', (code) =>
      resolve({ code, stderr: stderr.trim().split('\n').slice(-12).join('\n') }),
    )
  })
  let open = 'pcm' in opts.source
  return {
    write(pcm) {
      if (!open || child.stdin.destroyed) return false
      child.stdin.write(pcm)
      return true
    },
    finish() {
      open = false
      if ('pcm' in opts.source) child.stdin.end()
      else if (child.exitCode === null) child.kill('SIGINT')
    },
    kill() {
      open = false
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    },
    exited,
  }
}
