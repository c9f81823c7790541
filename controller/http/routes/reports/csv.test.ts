import { describe, expect, it } from 'vitest'
import { BOM, reasonsText, toCsv } from './csv.js'

describe('toCsv', () => {
  it('starts with a BOM, ends lines with CRLF and quotes what needs it', () => {
    const csv = toCsv(
      ['名称', 'n'],
      [
        ['西海路, 1号', 3],
        ['say "hi"', null],
        ['=cmd()', -2],
      ],
    )
    expect(csv.startsWith(BOM)).toBe(true)
    expect(csv.slice(1).split('\r\n')).toEqual([
      '名称,n',
      '"西海路, 1号",3',
      '"say ""hi""",',
      "'=cmd(),-2",
      '',
    ])
  })
})

describe('reasonsText', () => {
  it('lists reasons by frequency, in Chinese or as codes', () => {
    expect(reasonsText({ late: 1, offline: 3 }, 'zh')).toBe('离线×3; 迟到×1')
    expect(reasonsText({ late: 1, offline: 3 }, 'en')).toBe('offline×3; late×1')
  })
})
