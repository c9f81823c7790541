import { Value } from 'typebox/value'
import { describe, expect, it } from 'vitest'
import { relayDurationMs, relayItemProblems, relayUrlProblem } from './relay.js'
import { RunningOrderItemSchema } from './running-order.js'
import { validateDay } from './validate-day.js'

const relayItem = (start: string, end: string, url = 'http://10.0.0.5:8000/county') => ({
  id: `r${start.replaceAll(':', '')}`,
  start,
  audioId: null,
  title: '县台转播',
  relay: { url, end },
})

describe('relay URLs', () => {
  it('takes http, https, rtsp, rtp and udp sources', () => {
    for (const url of [
      'http://10.0.0.5:8000/live.mp3',
      'https://radio.local/stream',
      'rtsp://192.168.1.20:554/county',
      'rtp://239.0.0.1:5004',
      'udp://@239.0.0.2:1234',
    ]) {
      expect(relayUrlProblem(url), url).toBeNull()
    }
  })

  it('refuses files, other ffmpeg protocols, credentials and junk, saying why', () => {
    expect(relayUrlProblem('file:///etc/passwd')).toMatch(/not file/)
    expect(relayUrlProblem('concat:/a|/b')).toMatch(/not concat/)
    expect(relayUrlProblem('ftp://10.0.0.1/x')).toMatch(/not ftp/)
    expect(relayUrlProblem('http://user:pw@10.0.0.1/x')).toMatch(/credentials/)
    expect(relayUrlProblem('http://10.0.0.1/a b')).toMatch(/white space/)
    expect(relayUrlProblem('not a url')).toBe('not a URL')
  })
})

describe('relay items', () => {
  it('are running-order items with a url and an end', () => {
    expect(Value.Check(RunningOrderItemSchema, relayItem('19:00:00', '19:30:00'))).toBe(true)
    const bad = relayItem('19:00:00', '19:30:00', 'file:///etc/passwd')
    expect(Value.Check(RunningOrderItemSchema, bad)).toBe(false)
  })

  it('last from start to end, and must have no audio and end after they start', () => {
    expect(relayDurationMs(relayItem('19:00:00', '19:30:00'))).toBe(30 * 60_000)
    expect(relayItemProblems(relayItem('19:00:00', '19:30:00'))).toEqual([])
    expect(relayItemProblems(relayItem('19:00:00', '19:00:00'))).toEqual([
      'the relay at 19:00:00 ends at 19:00:00, not after its start',
    ])
    const withAudio = { ...relayItem('19:00:00', '19:30:00'), audioId: 'a1' }
    expect(relayItemProblems(withAudio)[0]).toMatch(/also names audio/)
    expect(relayItemProblems({ start: '08:00:00', audioId: 'a1' })).toEqual([])
  })

  it('occupy their slot in validation: no missing-audio warning, overlaps are found', () => {
    const segment = { id: 'news', start: '19:10:00', audioId: 'a1', title: '' }
    const issues = validateDay(
      [relayItem('19:00:00', '19:30:00'), segment],
      new Map([['a1', { durationMs: 60_000 }]]),
    )
    expect(issues.map((i) => [i.code, i.itemId])).toEqual([['OVERLAP', 'news']])
  })
})
