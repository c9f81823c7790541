import { describe, expect, it } from 'vitest'
import { BOM, csvCell, toCsv } from './csv.js'

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

describe('csvCell', () => {
  it('neutralises every cell a spreadsheet could run as a formula', () => {
    for (const s of [
      '=1+1',
      '+1+cmd|x',
      '-2-3-HYPERLINK("http://evil.example","x")',
      '-2+3',
      '-1e3x',
      '1-2',
      '@SUM(A1)',
      '\t=1',
      '\r=1',
    ]) {
      const out = csvCell(s)
      const unquoted = out.startsWith('"') ? out.slice(1, -1).replaceAll('""', '"') : out
      if (/^[=+\-@\t\r]/.test(s)) expect(unquoted, s).toBe(`'${s}`)
      else expect(unquoted, s).toBe(s)
    }
  })

  it('leaves whole numbers, signed or not, as numbers', () => {
    for (const s of ['-2', '-2.5', '+3', '-.5', '-1e3', '42', '2026-11-28']) {
      expect(csvCell(s), s).toBe(s)
    }
    expect(csvCell(-7)).toBe('-7')
  })
})
