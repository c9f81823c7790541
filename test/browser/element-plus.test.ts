import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startController } from '../helpers/controller.js'
import { launch, type PageGlobals } from './browser.js'
import { openLoggedIn, PHONE, seedZones, unexpected, WAIT } from './programme-helpers.js'

// Element Plus is imported a component at a time where the templates use it (vite.config.ts,
// unplugin-vue-components), no longer installed whole. A component the build failed to import
// renders as an unknown `<el-…>` element: every page of the navigation (and the installer's on
// a phone) must have none. And the nodes page's first reads start beside the session check, not
// after its chunk has loaded, each asked once (router.ts `warmRoute`, pages.ts `reads`).

/** Tag names of elements still called `el-…` in the page (components never resolved). */
const unresolved = (page: Page) =>
  page.evaluate(() => {
    const doc = (globalThis as unknown as PageGlobals).document as unknown as {
      querySelectorAll(s: string): ArrayLike<{ tagName: string }>
    }
    const tags = Array.from(doc.querySelectorAll('*'), (e) => e.tagName.toLowerCase())
    return [...new Set(tags.filter((t) => t.startsWith('el-')))]
  })

/** Resource timings of the page so far, names relative to the origin. */
const resources = (page: Page) =>
  page.evaluate(() =>
    (
      globalThis as unknown as {
        performance: {
          getEntriesByType(t: string): { name: string; startTime: number; responseEnd: number }[]
        }
      }
    ).performance
      .getEntriesByType('resource')
      .map((e) => ({
        name: e.name.replace(/^https?:\/\/[^/]+\//, ''),
        start: e.startTime,
        end: e.responseEnd,
      })),
  )

describe('web UI: Element Plus where used, the first page early', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('renders every page with no unresolved <el-…> tag', async () => {
    const ctl = await startController()
    const zones = await seedZones(ctl)
    await ctl.register('严小村 村委会', zones.village)
    const { page, problems } = await openLoggedIn(browser, ctl)
    await page.goto(`${ctl.url}/#/nodes`)
    await page.locator('.side-nav').waitFor(WAIT)
    const paths = await page
      .locator('.side-nav .el-menu-item[data-path]')
      .evaluateAll((items) => items.map((i) => i.getAttribute('data-path') ?? ''))
    expect(paths.length).toBeGreaterThan(10)
    const found: Record<string, string[]> = {}
    for (const path of [...paths, '/account']) {
      await page.goto(`${ctl.url}/#${path}`)
      await page.locator('.page-title').first().waitFor(WAIT)
      await page.waitForLoadState('networkidle')
      const tags = await unresolved(page)
      if (tags.length) found[path] = tags
    }
    // The installer's page, on a phone.
    await page.setViewportSize(PHONE)
    await page.goto(`${ctl.url}/#/install`)
    await page.locator('.phone-top .page-title').waitFor(WAIT)
    await page.waitForLoadState('networkidle')
    const tags = await unresolved(page)
    if (tags.length) found['/install (phone)'] = tags
    expect(found).toEqual({})
    expect(unexpected(problems)).toEqual({ errors: [], external: [] })
  })

  it('starts the nodes page reads beside the session check, each asked once', async () => {
    const ctl = await startController()
    const zones = await seedZones(ctl)
    await ctl.register('严小村 村委会', zones.village)
    const { page, problems } = await openLoggedIn(browser, ctl)
    await page.goto(`${ctl.url}/#/nodes?state=offline`)
    await page.locator('.nodes-table tbody tr').first().waitFor(WAIT)
    await page.locator('[data-count="total"] .count-value', { hasText: /^\d+$/ }).waitFor(WAIT)
    const seen = await resources(page)
    const list = seen.filter((r) => r.name.startsWith('api/nodes?'))
    const summary = seen.filter((r) => r.name === 'api/fleet/summary')
    const chunk = seen.find((r) => /^assets\/NodesPage-[\w-]+\.js$/.test(r.name))
    // The page's filter from the address, asked once (the prefetch was the page's own read).
    expect(list.map((r) => r.name)).toEqual([
      'api/nodes?state=offline&sort=name&order=asc&limit=100&offset=0',
    ])
    expect(summary).toHaveLength(1)
    // Started before the page's chunk had even arrived: not after it, as the page would.
    expect(chunk).toBeDefined()
    expect(list[0]?.start).toBeLessThan(chunk?.end ?? 0)
    expect(summary[0]?.start).toBeLessThan(chunk?.end ?? 0)
    expect(unexpected(problems)).toEqual({ errors: [], external: [] })
  })
})
