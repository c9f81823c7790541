/**
 * Live audio in tests (issue 13): a generated chirp written to a live session in real time, and
 * the cross-correlation that finds it in what a node's `wav` sink recorded.
 */
import { readFileSync } from 'node:fs'

/** What a live session takes PCM through (controller/live/hub.ts LiveSession). */
interface LiveSession {
  write(pcm: Buffer): void
}

export const LIVE_RATE = 48_000

/** A linear chirp from `f0` to `f1` Hz over `seconds`, s16le mono 48 kHz, amplitude 0.5. */
export function chirp(seconds: number, f0 = 300, f1 = 2400): Int16Array {
  const n = Math.round(seconds * LIVE_RATE)
  const out = new Int16Array(n)
  const k = (f1 - f0) / seconds
  for (let i = 0; i < n; i++) {
    const t = i / LIVE_RATE
    out[i] = Math.round(16_000 * Math.sin(2 * Math.PI * (f0 * t + (k * t * t) / 2)))
  }
  return out
}

/**
 * Writes `pcm` to the session at real-time pace in 20 ms chunks (as a microphone would), then
 * `silenceMs` of silence; resolves with the instants (Date.now) each chunk was written.
 */
export async function writeRealTime(
  session: Pick<LiveSession, 'write'>,
  pcm: Int16Array,
  opts: { silenceMs?: number; stopAfterMs?: number } = {},
): Promise<{ firstWriteAt: number }> {
  const chunk = LIVE_RATE / 50
  const total = pcm.length + Math.round(((opts.silenceMs ?? 0) / 1000) * LIVE_RATE)
  const limit = opts.stopAfterMs === undefined ? total : (opts.stopAfterMs / 1000) * LIVE_RATE
  const t0 = performance.now()
  const firstWriteAt = Date.now()
  for (let at = 0; at < Math.min(total, limit); at += chunk) {
    const due = t0 + (at / LIVE_RATE) * 1000
    const wait = due - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    const buf = Buffer.alloc(chunk * 2)
    for (let i = 0; i < chunk && at + i < pcm.length; i++)
      buf.writeInt16LE(pcm[at + i] as number, i * 2)
    session.write(buf)
  }
  return { firstWriteAt }
}

/** The samples of a 16-bit mono WAV file (header skipped), as written by the `wav` sink. */
export function wavSamples(file: string): Int16Array {
  const b = readFileSync(file)
  const data = b.subarray(44)
  return new Int16Array(data.buffer, data.byteOffset, Math.floor(data.length / 2))
}

/**
 * Where `needle` best matches inside `hay`, decimated by 4 for speed: the lag (ms; where the
 * needle's first sample lies in `hay`, negative when `hay` begins inside the needle) and the
 * normalised correlation over the overlap (1 = identical).
 */
export function bestMatch(hay: Int16Array, needle: Int16Array, maxLagMs: number) {
  const d = 4
  const h = decimate(hay, d)
  const n = decimate(needle, d)
  const maxLag = Math.round((maxLagMs / 1000) * (LIVE_RATE / d))
  let best = { lagMs: 0, score: -1 }
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let dot = 0
    let hh = 0
    let nn = 0
    const from = Math.max(0, -lag)
    const to = Math.min(n.length, h.length - lag)
    for (let i = from; i < to; i++) {
      const x = h[lag + i] as number
      const y = n[i] as number
      dot += x * y
      hh += x * x
      nn += y * y
    }
    const score = hh > 0 && nn > 0 ? dot / Math.sqrt(hh * nn) : 0
    if (score > best.score) best = { lagMs: (lag * d * 1000) / LIVE_RATE, score }
  }
  return best
}

function decimate(x: Int16Array, d: number): Float64Array {
  const out = new Float64Array(Math.floor(x.length / d))
  for (let i = 0; i < out.length; i++) {
    let s = 0
    for (let j = 0; j < d; j++) s += x[i * d + j] as number
    out[i] = s / d
  }
  return out
}

/**
 * Where `needle` lies within `pad` frames of `expected` in `hay`: the best normalised correlation
 * over whole overlaps only (every 2nd frame and sample), so an edge cannot score by a sliver.
 */
export function matchAround(hay: Int16Array, needle: Int16Array, expected: number, pad: number) {
  let best = { frame: 0, score: -1 }
  for (let at = Math.max(0, expected - pad); at <= expected + pad; at += 2) {
    if (at + needle.length > hay.length) break
    let dot = 0
    let hh = 0
    let nn = 0
    for (let i = 0; i < needle.length; i += 2) {
      const x = hay[at + i] as number
      const y = needle[i] as number
      dot += x * y
      hh += x * x
      nn += y * y
    }
    const score = hh > 0 ? dot / Math.sqrt(hh * nn) : 0
    if (score > best.score) best = { frame: at, score }
  }
  return best
}

/**
 * Moves `clock` 5 ms a step until `done` settles (at most 20 s of clock time), and answers what
 * `done` gives. Between steps the decoder's pipe and the file writes (real I/O, which no clock
 * event announces) get a turn of the event loop.
 */
export async function playOnManualClock<T>(
  clock: { advance(ms: number): Promise<void> },
  done: Promise<T>,
): Promise<T> {
  let finished = false
  const settled = done.finally(() => {
    finished = true
  })
  for (let i = 0; !finished && i < 4000; i++) {
    await clock.advance(5)
    await new Promise((r) => setTimeout(r, 1))
  }
  return settled
}
