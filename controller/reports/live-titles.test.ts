import { describe, expect, it } from 'vitest'
import { livePlayTitle } from './live-titles.js'

describe('live play titles', () => {
  const base = { sessionId: 's1', openedAt: '2026-12-07T02:32:05Z' }
  it('say who spoke and when, or which host was relayed', () => {
    expect(livePlayTitle({ ...base, kind: 'voice', by: '张三', host: null }, '10:32:05')).toBe(
      '喊话 · 张三 · 10:32',
    )
    expect(
      livePlayTitle({ ...base, kind: 'relay', by: null, host: 'radio.county:8000' }, '19:00:00'),
    ).toBe('转播 · radio.county:8000')
    expect(livePlayTitle({ ...base, kind: 'relay', by: null, host: null }, '19:00:00')).toBe('转播')
  })
})
