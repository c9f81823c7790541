import { describe, expect, it } from 'vitest'
import { reasonsText } from './reasons.js'

describe('reasonsText', () => {
  it('lists reasons by frequency, in Chinese or as codes', () => {
    expect(reasonsText({ late: 1, offline: 3 }, 'zh')).toBe('离线×3; 迟到×1')
    expect(reasonsText({ late: 1, offline: 3 }, 'en')).toBe('offline×3; late×1')
  })
})
