import { describe, expect, it } from 'vitest'
import {
  closeKey,
  countdown,
  createFramer,
  FRAME_SAMPLES,
  historyRows,
  levelOf,
  scopedTree,
  TALK_CLOSE,
  talkUrl,
} from './talk'

/** A sine of `hz` at `rate`, `n` samples from sample `from`. */
const sine = (hz: number, rate: number, n: number, from = 0) =>
  Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * (from + i)) / rate))

function frames(rate: number, blocks: Float32Array[]): Int16Array {
  const out: Int16Array[] = []
  const framer = createFramer(rate, (f) => out.push(new Int16Array(f)))
  for (const b of blocks) framer.write(b)
  const all = new Int16Array(out.length * FRAME_SAMPLES)
  for (const [i, f] of out.entries()) all.set(f, i * FRAME_SAMPLES)
  return all
}

describe('the Talk page framer', () => {
  it('cuts 48 kHz blocks of 128 samples into 20 ms frames of s16le, none lost', () => {
    const blocks = Array.from({ length: 30 }, (_, i) => sine(440, 48_000, 128, i * 128))
    const pcm = frames(48_000, blocks)
    expect(pcm.length).toBe(Math.floor((30 * 128) / FRAME_SAMPLES) * FRAME_SAMPLES)
    expect(pcm[100]).toBe(Math.round(0.5 * Math.sin((2 * Math.PI * 440 * 100) / 48_000) * 0x7fff))
  })

  it('resamples 44.1 kHz to 48 kHz across block edges without a glitch', () => {
    const blocks = Array.from({ length: 100 }, (_, i) => sine(440, 44_100, 128, i * 128))
    const pcm = frames(44_100, blocks)
    // 100 × 128 input samples at 44.1 kHz ≈ 13,932 at 48 kHz (whole frames only).
    expect(pcm.length).toBeGreaterThanOrEqual(13_440)
    expect(pcm.length).toBeLessThanOrEqual(13_932)
    // Every output sample is the 440 Hz sine at its own instant (linear interpolation error).
    let worst = 0
    pcm.forEach((v, i) => {
      const want = 0.5 * Math.sin((2 * Math.PI * 440 * i) / 48_000) * 0x7fff
      worst = Math.max(worst, Math.abs(v - want))
    })
    expect(worst).toBeLessThan(0x7fff * 0.005)
  })

  it('clips beyond full scale', () => {
    const pcm = frames(48_000, [
      Float32Array.from({ length: FRAME_SAMPLES }, (_, i) => (i % 2 ? 2 : -2)),
    ])
    expect([pcm[0], pcm[1]]).toEqual([-0x8000, 0x7fff])
  })
})

describe('the Talk page meter, countdown and words', () => {
  it('shows the level on a 60 dB scale', () => {
    expect(levelOf(new Float32Array(128))).toBe(0)
    expect(levelOf(Float32Array.of(1))).toBe(100)
    expect(levelOf(Float32Array.of(0.001))).toBe(0) // −60 dBFS
    expect(levelOf(Float32Array.of(0.0316))).toBe(50) // −30 dBFS
  })

  it('counts down in m:ss, rounding up', () => {
    expect(countdown(30 * 60_000)).toBe('30:00')
    expect(countdown(61_001)).toBe('1:02')
    expect(countdown(1)).toBe('0:01')
    expect(countdown(-5)).toBe('0:00')
  })

  it('words every close code', () => {
    expect(closeKey(TALK_CLOSE.forbidden, 'OUT_OF_SCOPE')).toBe('talk.closed.forbidden')
    expect(closeKey(TALK_CLOSE.refused, 'LIVE_BUSY')).toBe('talk.closed.busy')
    expect(closeKey(TALK_CLOSE.stalled, 'stalled')).toBe('talk.closed.stalled')
    expect(closeKey(1006, '')).toBe('talk.closed.lost')
  })

  it('finds the socket beside the page, ws or wss', () => {
    expect(talkUrl('http://10.0.0.2:8080/next/#/talk')).toBe('ws://10.0.0.2:8080/api/live/talk')
    expect(talkUrl('https://gb.example/chorus/next/?x=1#/talk')).toBe(
      'wss://gb.example/chorus/api/live/talk',
    )
  })
})

describe('the zones a user may speak to', () => {
  const tree = [
    {
      value: 'town',
      label: '二十里铺镇',
      children: [{ value: 'v1', label: '严小村', children: [] }],
    },
    { value: 'other', label: '大堡子镇', children: [] },
  ]
  it('is the whole district for a user not limited to zones, else the subtrees of its zones', () => {
    expect(scopedTree(tree, []).map((n) => n.value)).toEqual(['town', 'other'])
    expect(scopedTree(tree, ['v1']).map((n) => n.label)).toEqual(['严小村'])
    expect(scopedTree(tree, ['town', 'other']).map((n) => n.value)).toEqual(['town', 'other'])
  })
})

describe("the Talk page's history", () => {
  const session = {
    id: 'ab12',
    kind: 'voice' as const,
    byName: 'wang',
    openedAt: '2026-12-07T02:32:00Z',
    endedAt: '2026-12-07T02:33:05Z',
    durationMs: 65_000,
    sounding: ['n1', 'n2'],
    nodeCount: 3,
    recordingBytes: 5000,
  }
  it('lists ended sessions with who, how long, how many nodes sounded and the recording', () => {
    const rows = historyRows([
      { ...session, id: 'onair', endedAt: null },
      session,
      { ...session, id: 'silent', recordingBytes: 0, byName: null, kind: 'relay' as const },
    ])
    expect(rows).toEqual([
      {
        id: 'ab12',
        kind: 'voice',
        by: 'wang',
        openedAt: session.openedAt,
        duration: '1:05',
        sounded: 2,
        targeted: 3,
        recording: 'api/live/ab12/recording',
      },
      expect.objectContaining({ id: 'silent', by: null, recording: null }),
    ])
  })
})
