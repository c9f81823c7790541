// The Talk page's pure logic (no DOM): microphone samples → 20 ms frames of PCM s16le 48 kHz
// mono for the talk socket (contract/live-talk.ts), the level meter, the countdown, and the words
// for the socket's close codes. Unit-tested in talk.test.ts.
import { TALK_CLOSE, TALK_SAMPLE_RATE } from '../../../../../contract/index.js'

export type { TalkStatus } from '../../../../../contract/index.js'
export { TALK_CLOSE, TALK_SAMPLE_RATE }

/** Samples in one frame sent to the controller: 20 ms at 48 kHz. */
export const FRAME_SAMPLES = TALK_SAMPLE_RATE / 50

/**
 * Turns microphone blocks (Float32 at the capture rate, any length) into frames of exactly
 * FRAME_SAMPLES at 48 kHz as s16le bytes. A capture at another rate is resampled by linear
 * interpolation, carrying the phase across blocks so that no sample is lost or doubled.
 */
export function createFramer(inputRate: number, onFrame: (frame: ArrayBuffer) => void) {
  const step = inputRate / TALK_SAMPLE_RATE
  let frame = new Int16Array(FRAME_SAMPLES)
  let filled = 0
  /** Position of the next output sample in the coming block's samples (−1: the last one before). */
  let pos = 0
  let prev = 0

  function push(value: number): void {
    const v = Math.max(-1, Math.min(1, value))
    frame[filled++] = v < 0 ? Math.round(v * 0x8000) : Math.round(v * 0x7fff)
    if (filled === FRAME_SAMPLES) {
      onFrame(frame.buffer)
      frame = new Int16Array(FRAME_SAMPLES)
      filled = 0
    }
  }

  return {
    write(block: Float32Array): void {
      if (step === 1) {
        for (const s of block) push(s)
        return
      }
      while (pos < block.length - 1) {
        const i = Math.floor(pos)
        const a = i < 0 ? prev : (block[i] ?? 0)
        const b = block[i + 1] ?? 0
        push(a + (b - a) * (pos - i))
        pos += step
      }
      prev = block[block.length - 1] ?? prev
      pos -= block.length
    },
  }
}

/** Peak level of a block, 0–100 on a dB scale (−60 dBFS and below: 0; full scale: 100). */
export function levelOf(block: Float32Array): number {
  let peak = 0
  for (const s of block) peak = Math.max(peak, Math.abs(s))
  if (peak <= 0) return 0
  const db = 20 * Math.log10(peak)
  return Math.max(0, Math.min(100, Math.round(((db + 60) / 60) * 100)))
}

/** `m:ss` of a remaining time in ms (rounded up: 0:01 until it is really over). */
export function countdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

/** Message key for why the socket closed (code and reason from the close frame). */
export function closeKey(code: number, reason: string): string {
  if (code === TALK_CLOSE.ended) return 'talk.closed.ended'
  if (code === TALK_CLOSE.forbidden) return 'talk.closed.forbidden'
  if (code === TALK_CLOSE.stalled) return 'talk.closed.stalled'
  if (code === TALK_CLOSE.limit) return 'talk.closed.limit'
  if (code === TALK_CLOSE.tooMuch) return 'talk.closed.tooMuch'
  if (code === TALK_CLOSE.refused) {
    return reason === 'LIVE_BUSY' ? 'talk.closed.busy' : 'talk.closed.refused'
  }
  if (code === TALK_CLOSE.badStart) return 'talk.closed.bad'
  return 'talk.closed.lost'
}

/** The talk socket's URL for a page at `href` (ws: beside http:, wss: beside https:). */
export function talkUrl(href: string): string {
  const u = new URL('../api/live/talk', href)
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:'
  u.hash = ''
  u.search = ''
  return u.toString()
}

/** A zone tree node (composables/useZones). */
interface TreeNode {
  value: string
  label: string
  children: TreeNode[]
}

/** The zones a user may speak to: the whole tree, or the subtrees of the zones it is limited to. */
export function scopedTree<T extends TreeNode>(tree: readonly T[], scope: readonly string[]): T[] {
  if (scope.length === 0) return [...tree]
  const found: T[] = []
  const walk = (nodes: readonly T[]) => {
    for (const n of nodes) {
      if (scope.includes(n.value)) found.push(n)
      else walk(n.children as T[])
    }
  }
  walk(tree)
  return found
}

/** One past live session as the Talk page's history lists it. */
export interface TalkHistoryRow {
  id: string
  kind: 'voice' | 'relay'
  /** Who spoke (null: a running-order relay). */
  by: string | null
  openedAt: string
  /** 'm:ss' of what was on air ('' when unknown). */
  duration: string
  /** Nodes that sounded it, of those it targeted. */
  sounded: number
  targeted: number | null
  /** Where its recording plays from (null: nothing recorded). */
  recording: string | null
}

/** The ended sessions of GET /api/live, newest first, with their recordings' paths. */
export function historyRows(
  sessions: readonly {
    id: string
    kind: 'voice' | 'relay'
    byName: string | null
    openedAt: string
    endedAt: string | null
    durationMs: number | null
    sounding: readonly string[]
    nodeCount: number | null
    recordingBytes: number | null
  }[],
): TalkHistoryRow[] {
  return sessions
    .filter((s) => s.endedAt !== null)
    .map((s) => ({
      id: s.id,
      kind: s.kind,
      by: s.byName,
      openedAt: s.openedAt,
      duration: s.durationMs === null ? '' : countdown(s.durationMs),
      sounded: s.sounding.length,
      targeted: s.nodeCount,
      recording: s.recordingBytes ? `api/live/${encodeURIComponent(s.id)}/recording` : null,
    }))
}
