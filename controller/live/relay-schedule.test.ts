import { describe, expect, it } from 'vitest'
import { createZonedTime } from '../../schedules/index.js'
import { relaySlots } from './relay-schedule.js'

describe('relay slots of a day', () => {
  const zone = createZonedTime('Asia/Shanghai')
  const relay = (start: string, end: string, extra: Record<string, unknown> = {}) => ({
    id: `r${start.slice(0, 2)}`,
    start,
    audioId: null,
    title: '县台',
    relay: { url: 'http://10.0.0.5:8000/county.mp3', end },
    ...extra,
  })

  it("are the day's relay items with their instants, zones and URL", () => {
    const slots = relaySlots(
      '2026-12-07',
      [
        relay('19:00:00', '19:30:00', { zones: ['town'] }),
        { id: 'news', start: '07:00:00', audioId: 'a1', title: '新闻' },
      ],
      zone.toInstant,
    )
    expect(slots).toEqual([
      {
        key: '2026-12-07/r19',
        zones: ['town'],
        url: 'http://10.0.0.5:8000/county.mp3',
        startAt: Date.parse('2026-12-07T19:00:00+08:00'),
        endAt: Date.parse('2026-12-07T19:30:00+08:00'),
      },
    ])
  })

  it('skip invalid relays (backwards, with audio, a refused URL)', () => {
    const items = [
      relay('19:00:00', '18:00:00'),
      relay('20:00:00', '20:30:00', { audioId: 'a1' }),
      { ...relay('21:00:00', '21:30:00'), relay: { url: 'file:///etc/passwd', end: '21:30:00' } },
    ]
    expect(relaySlots('2026-12-07', items, zone.toInstant)).toEqual([])
  })
})
