/**
 * @module live/session
 * One live session inside the hub: its encoder, the fan-out of its Ogg pages to every listening
 * node (the same bytes to all), its recording on disk, and its stall and limit timers.
 */
import { createWriteStream } from 'node:fs'
import { PassThrough, type Readable } from 'node:stream'
import type { Logger } from 'pino'
import type { Clock } from '../platform/time.js'
import { type Encoder, type EncoderSource, PCM_RATE, startEncoder } from './encoder.js'
import { granuleMs, type OggPage, OPUS_RATE } from './ogg.js'

/** A listener that falls this far behind (bytes queued) is dropped: it cannot keep up live. */
export const MAX_LISTENER_BACKLOG = 256 * 1024

/** How often the stall timer looks at the source. */
export const STALL_CHECK_MS = 250

/** Pages kept for nodes that join after the start (media ms). */
export const BACKLOG_MS = 3000

/** How long an ended session waits for ffmpeg to flush before killing it. */
const FLUSH_GRACE_MS = 3000

/** A node's view of the stream: where it joins (media ms of its first audio page) and the bytes. */
export interface Listening {
  /** Media time (ms from the session's start) of the first audio page the stream carries. */
  mediaMs: number
  stream: Readable
}

/** What the hub keeps of a running session. */
export interface SessionRuntime {
  write(pcm: Buffer): void
  /**
   * Adds a listener: the header pages, the kept pages from media time `fromMs` on (as far back
   * as BACKLOG_MS), then every page as it is encoded.
   */
  listen(fromMs: number): Listening
  /** Ends the input; resolves when every listener and the recording are closed. */
  finish(): Promise<{ recordingBytes: number }>
  /** When the source last gave something (pcm written, or a page encoded), clock ms. */
  lastActivity(): number
  /** Media time reached, ms. */
  mediaMs(): number
  /** Media time 0 is `at` (clock ms), as `openedAt` (set once the session's start is known). */
  markOpened(at: number): void
}

/** Starts a session's encoder, recording and fan-out. `onFailed` is called if ffmpeg exits early. */
export function startSession(opts: {
  id: string
  kind: 'voice' | 'relay'
  source: EncoderSource
  ffmpegPath: string
  recordingPath: string
  clock: Clock
  log: Logger
  onFailed: (error: string) => void
  /**
   * When the session opened (clock ms): media time 0. A PCM source whose first write comes later
   * is preceded by that much silence, so what it says sounds `lead` after it was said, as every
   * node's `playAt + media time` expects, not late by its own start-up.
   */
  openedAt?: number
}): SessionRuntime {
  const { clock, log } = opts
  let openedAt = opts.openedAt
  const headers: Buffer[] = []
  /** Recent audio pages with the media time (granule) each starts at. */
  const recent: { start: number; page: OggPage }[] = []
  const listeners = new Set<PassThrough>()
  const recording = createWriteStream(opts.recordingPath, { mode: 0o600 })
  let recordingBytes = 0
  recording.on('error', (err) => log.error({ err }, 'live recording failed'))
  let activity = clock.now()
  let written = false
  let granule = 0
  let finishing = false
  let finished: Promise<{ recordingBytes: number }> | null = null

  function onPage(page: OggPage): void {
    if (!('pcm' in opts.source)) activity = clock.now()
    if (page.header) headers.push(page.bytes)
    else {
      recent.push({ start: granule, page })
      if (page.granule > granule) granule = page.granule
      const keepFrom = granule - (BACKLOG_MS / 1000) * OPUS_RATE
      while (recent.length > 0 && (recent[0] as { start: number }).start < keepFrom) recent.shift()
    }
    recording.write(page.bytes)
    recordingBytes += page.bytes.length
    for (const l of listeners) {
      if (l.writableLength > MAX_LISTENER_BACKLOG) {
        log.warn({ sessionId: opts.id }, 'live listener too slow: dropped')
        listeners.delete(l)
        l.destroy()
        continue
      }
      l.write(page.bytes)
    }
  }

  const encoder: Encoder = startEncoder({
    ffmpegPath: opts.ffmpegPath,
    source: opts.source,
    kind: opts.kind,
    onPage,
  })
  void encoder.exited.then((end) => {
    if (!finishing) {
      log.warn({ sessionId: opts.id, code: end.code, stderr: end.stderr }, 'live encoder ended')
      opts.onFailed(end.stderr || `encoder exited with ${end.code}`)
    }
  })

  async function finish(): Promise<{ recordingBytes: number }> {
    finishing = true
    encoder.finish()
    const cancel = clock.after(FLUSH_GRACE_MS, () => encoder.kill())
    await encoder.exited
    cancel()
    for (const l of listeners) l.end()
    listeners.clear()
    await new Promise<void>((resolve) => recording.end(resolve))
    return { recordingBytes }
  }

  return {
    write(pcm) {
      if (finishing) return
      activity = clock.now()
      if (!written && openedAt !== undefined) {
        const frames = Math.floor(((activity - openedAt) / 1000) * PCM_RATE)
        if (frames > 0) encoder.write(Buffer.alloc(frames * 2))
      }
      written = true
      encoder.write(pcm)
    },
    listen(fromMs) {
      const stream = new PassThrough()
      for (const h of headers) stream.write(h)
      const from = (fromMs / 1000) * OPUS_RATE
      const kept = recent.filter((r) => r.page.granule > from)
      for (const r of kept) stream.write(r.page.bytes)
      const joinAt = kept[0]?.start ?? granule
      if (finishing) stream.end()
      else {
        listeners.add(stream)
        stream.on('close', () => listeners.delete(stream))
      }
      return { mediaMs: granuleMs(joinAt), stream }
    },
    finish() {
      finished ??= finish()
      return finished
    },
    lastActivity: () => activity,
    markOpened(at) {
      openedAt = at
    },
    mediaMs: () => granuleMs(granule),
  }
}
