import { describe, expect, it } from 'vitest'
import { TALK_BYTES_PER_SEC } from '../../contract/index.js'
import { createAudioRateLimit, TALK_BURST_MS } from './talk-limits.js'

/** One 20 ms frame of 48 kHz mono s16le. */
const FRAME = TALK_BYTES_PER_SEC / 50

describe('the talk socket audio limit', () => {
  it('takes audio at the audio rate for as long as it lasts', () => {
    const limit = createAudioRateLimit(0)
    for (let i = 0; i < 50 * 600; i++) expect(limit.take(FRAME, i * 20)).toBeNull() // 10 minutes
  })

  it('takes a burst up to its depth after a pause, then refuses the excess', () => {
    const limit = createAudioRateLimit(0)
    const burst = (TALK_BURST_MS / 20) | 0
    for (let i = 0; i < burst; i++) expect(limit.take(FRAME, 0)).toBeNull()
    expect(limit.take(FRAME, 0)).toMatch(/faster than 48 kHz/)
    // A second later, a second's worth is allowed again.
    for (let i = 0; i < 50; i++) expect(limit.take(FRAME, 1000)).toBeNull()
    expect(limit.take(FRAME, 1000)).toMatch(/faster/)
  })

  it('refuses frames that are too large or not whole samples', () => {
    const limit = createAudioRateLimit(0)
    expect(limit.take(64 * 1024, 0)).toMatch(/at most/)
    expect(limit.take(FRAME + 1, 0)).toMatch(/even number/)
  })

  it('does not let a clock that steps back mint tokens', () => {
    const limit = createAudioRateLimit(10_000)
    for (let i = 0; i < 100; i++) limit.take(FRAME, 10_000)
    expect(limit.take(FRAME, 0)).toMatch(/faster/)
  })
})
