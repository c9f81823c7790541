import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { WEB_ROOT } from '../../controller/controller.js'
import { startController } from '../helpers/controller.js'

// The web UI (Vue 3 + Element Plus) as the controller serves it at /: built by `npm install`
// (scripts/build-web.mjs), confined by the CSP, nothing fetched from outside, hashed assets
// cached for good and the page itself revalidated; the old /next/ addresses lead to /.

const NEXT = WEB_ROOT

describe('the web UI', () => {
  it('is built with relative asset paths and references nothing outside the controller', () => {
    expect(existsSync(join(NEXT, 'index.html')), 'run npm run build:web').toBe(true)
    const html = readFileSync(join(NEXT, 'index.html'), 'utf8')
    expect(html).toMatch(/<script type="module" crossorigin src="\.\/assets\/index-[\w-]+\.js">/)
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//)
    const assets = readdirSync(join(NEXT, 'assets'))
    expect(assets.some((f) => f.endsWith('.map'))).toBe(false)
    for (const file of assets.filter((f) => f.endsWith('.css'))) {
      const css = readFileSync(join(NEXT, 'assets', file), 'utf8')
      // Only the SVG namespace inside data: URLs may name a web address; no @import, no fonts.
      expect(css.match(/url\(\s*['"]?(https?:)?\/\//g), file).toBeNull()
      expect(css, file).not.toContain('@import')
      expect(css, file).not.toMatch(/@font-face/)
    }
  })

  it('serves the page with the CSP at /, redirects /next/ there, and caches hashed assets', async () => {
    const ctl = await startController()
    for (const old of ['/next', '/next/', '/next/index.html']) {
      const moved = await fetch(`${ctl.url}${old}`, { redirect: 'manual' })
      expect(moved.status, old).toBe(301)
      expect(moved.headers.get('location'), old).toBe('/')
    }
    const page = await fetch(`${ctl.url}/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(page.headers.get('cache-control')).toBe('public, max-age=0')
    const csp = page.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("style-src 'self'")
    expect(csp).not.toContain('unsafe')
    const html = await page.text()
    const assets = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1])
    expect(assets.length).toBeGreaterThan(1)
    for (const asset of assets) {
      const res = await fetch(`${ctl.url}/${asset}`)
      expect(res.status, asset).toBe(200)
      await res.arrayBuffer()
      expect(res.headers.get('cache-control'), asset).toBe('public, max-age=31536000, immutable')
    }
    // MapLibre's worker (a module script of its own, loaded by the map pages) too, as JavaScript:
    // a module worker with another type is refused.
    const worker = readdirSync(join(NEXT, 'assets')).find((f) =>
      f.startsWith('maplibre-gl-worker-'),
    )
    expect(worker, 'the map pages bundle MapLibre GL').toBeDefined()
    const res = await fetch(`${ctl.url}/assets/${worker}`)
    await res.arrayBuffer()
    expect(res.headers.get('content-type')).toMatch(/^(text|application)\/javascript/)
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    // The page's own address revalidates (it names the assets of the running version).
    const index = await fetch(`${ctl.url}/index.html`)
    await index.arrayBuffer()
    expect(index.headers.get('cache-control')).toBe('public, max-age=0')
  })
})
