/**
 * Marker clicks for the live drift bench (`live-procs.ts`, issue 13): a live session's signal is
 * silence with a short chirp at known media instants (every `everyMs`, aligned on the writer's
 * 20 ms chunks); each node's `wav` recording is searched for the marker near where it must lie,
 * read by windows so a 30-minute recording is never loaded whole.
 */
import { closeSync, openSync, readSync } from 'node:fs'
import { bestMatch, chirp, LIVE_RATE } from '../../testing/live-audio.js'

/** The marker: a 100 ms chirp, 400 to 2400 Hz. */
export const MARKER = chirp(0.1, 400, 2400)
/** Writer chunk: 20 ms, as a microphone's. */
export const CHUNK_FRAMES = LIVE_RATE / 50

/** Sample `i` of the marked signal (markers every `everyFrames`, the first at 0). */
export function markedSample(i: number, everyFrames: number): number {
  return (MARKER[i % everyFrames] as number | undefined) ?? 0
}

/** The 20 ms chunk of the marked signal starting at frame `at`, s16le. */
export function markedChunk(at: number, everyFrames: number): Buffer {
  const buf = Buffer.alloc(CHUNK_FRAMES * 2)
  for (let i = 0; i < CHUNK_FRAMES; i++) buf.writeInt16LE(markedSample(at + i, everyFrames), i * 2)
  return buf
}

/**
 * Writes the marked signal to `session` at real-time pace for `seconds`, paced on the monotonic
 * clock from `t0` (the writer's ideal clock: frame k is due at t0 + k / rate). Returns the wall
 * instant of frame 0 and how late the writes ran (ms behind their due instant).
 */
export async function writeMarked(
  session: { write(pcm: Buffer): void },
  seconds: number,
  everyMs: number,
  opts: { onTick?: (elapsedMs: number) => void } = {},
): Promise<{ wallT0: number; lateMs: number[] }> {
  const everyFrames = Math.round((everyMs / 1000) * LIVE_RATE)
  if (everyFrames % CHUNK_FRAMES !== 0) throw new Error('markers must fall on 20 ms chunks')
  const total = Math.round(seconds * LIVE_RATE)
  const t0 = performance.now()
  const wallT0 = Date.now() + (t0 - performance.now())
  const lateMs: number[] = []
  for (let at = 0; at < total; at += CHUNK_FRAMES) {
    const due = t0 + (at / LIVE_RATE) * 1000
    const wait = due - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    if (at % everyFrames === 0) lateMs.push(performance.now() - due)
    session.write(markedChunk(at, everyFrames))
    if (at % (LIVE_RATE * 10) === 0) opts.onTick?.((at / LIVE_RATE) * 1000)
  }
  return { wallT0, lateMs }
}

/** Samples `[from, from + count)` of a 16-bit mono WAV file (header skipped); fewer past its end. */
export function wavWindow(file: string, from: number, count: number): Int16Array {
  const start = Math.max(0, from)
  const buf = Buffer.alloc((count - (start - from)) * 2)
  const fd = openSync(file, 'r')
  try {
    const n = readSync(fd, buf, 0, buf.length, 44 + start * 2)
    const copy = new Int16Array(Math.floor(n / 2))
    for (let i = 0; i < copy.length; i++) copy[i] = buf.readInt16LE(i * 2)
    return copy
  } finally {
    closeSync(fd)
  }
}

/**
 * Where the marker at media frame `mediaFrame` lies in a recording that began at media frame
 * `fromFrame`: its frame in the file (fractional, to the decimated search's 1/12 ms) and the
 * correlation; null when the recording does not reach it.
 */
export function findMarker(
  file: string,
  mediaFrame: number,
  fromFrame: number,
  searchMs = 100,
): { frame: number; score: number } | null {
  const expected = Math.round(mediaFrame - fromFrame)
  const pad = Math.round((searchMs / 1000) * LIVE_RATE)
  const from = expected - pad
  if (from + MARKER.length + 2 * pad <= 0) return null // before the recording began
  const hay = wavWindow(file, from, MARKER.length + 2 * pad)
  if (hay.length < MARKER.length) return null
  const shift = Math.max(0, from) - from
  const m = bestMatch(hay, MARKER, searchMs * 2)
  return { frame: from + shift + (m.lagMs / 1000) * LIVE_RATE, score: m.score }
}
