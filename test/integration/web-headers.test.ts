import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { IncomingHttpHeaders } from 'node:http'
import { get } from 'node:https'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { WEB_ROOT } from '../../controller/controller.js'
import { startController } from '../helpers/controller.js'

describe('the web UI in the browser', () => {
  it('is served with a CSP that forbids framing, nosniff and no referrer; no HSTS over plain HTTP', async () => {
    const ctl = await startController()
    for (const path of ['/', '/index.html', '/api/health']) {
      const res = await fetch(`${ctl.url}${path}`)
      expect(res.status, path).toBe(200)
      await res.arrayBuffer()
      const csp = res.headers.get('content-security-policy') ?? ''
      expect(csp, path).toContain("frame-ancestors 'none'")
      expect(csp).toContain("script-src 'self'")
      expect(csp).not.toContain('unsafe')
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('referrer-policy')).toBe('no-referrer')
      expect(res.headers.get('strict-transport-security')).toBeNull()
    }
  })

  it('adds HSTS when served over HTTPS', async () => {
    const ctl = await startController({ args: ['--tls', 'on'] })
    const ca = readFileSync(join(ctl.dataDir, 'tls', 'ca.pem'), 'utf8')
    const headers = await new Promise<IncomingHttpHeaders>((resolve, reject) => {
      get(`${ctl.url}/`, { ca }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.headers))
      }).on('error', reject)
    })
    expect(headers['strict-transport-security']).toMatch(/^max-age=\d{7,}/)
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'")
  })

  it('never serves a source map, even one left in the web root', async () => {
    const ctl = await startController()
    // The build writes none; one copied there by hand (a debug build) is still refused.
    const name = `leftover-${process.pid}-${Date.now()}.js.map`
    const file = join(WEB_ROOT, name)
    writeFileSync(file, '{"version":3,"sourcesContent":["secret"]}')
    try {
      for (const path of [`/${name}`, `/${name.toUpperCase()}`]) {
        const res = await fetch(`${ctl.url}${path}`)
        expect(res.status, path).toBe(404)
        expect(await res.text()).not.toContain('sourcesContent')
      }
      const direct = await fetch(`${ctl.url}/${name.replace('.map', '')}`)
      expect(direct.status).toBe(404)
    } finally {
      rmSync(file, { force: true })
    }
  })
})
