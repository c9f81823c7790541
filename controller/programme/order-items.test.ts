import { describe, expect, it } from 'vitest'
import { parseQuietHours, withIds } from './order-items.js'

describe('withIds', () => {
  it('derives stable ids from start times, numbering repeats, and keeps given ids', () => {
    const items = withIds([
      { start: '07:30:00', audioId: null, title: '' },
      { id: 'keep', start: '08:00:00', audioId: null, title: '' },
      { start: '07:30:00', audioId: null, title: '' },
    ])
    expect(items.map((i) => i.id)).toEqual(['t073000', 'keep', 't073000-2'])
  })
})

describe('parseQuietHours', () => {
  it('reads the configured window', () => {
    expect(parseQuietHours('22:00-06:30')).toEqual({ start: '22:00', end: '06:30' })
  })
})
