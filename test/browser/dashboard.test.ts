import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAgent } from '../helpers/agent.js'
import { startController, type TestController } from '../helpers/controller.js'
import { launch, openPage, type PageGlobals, signIn } from './browser.js'
import { startProxy } from './proxy.js'

const WAIT = { timeout: 15_000 }

/** The district → town → village tree of PRODUCT.md, and two offline nodes in it. */
async function seedZones(ctl: TestController) {
  const zone = async (name: string, parentId: string | null, code: string) => {
    // A top-level zone leaves parentId out: `null` is coerced to "" by the API's validator.
    const body = parentId ? { name, parentId, code } : { name, code }
    const r = await ctl.api<{ id: string }>('POST', '/api/zones', body)
    expect(r.status).toBe(201)
    return r.body.id
  }
  const district = await zone('城北区', null, '630105')
  const town = await zone('二十里铺镇', district, '630105100')
  const village = await zone('严小村', town, '630105100201')
  const community = await zone('西海路社区', district, '630105001001')
  await ctl.register('严小村 村委会', village)
  await ctl.register('二十里铺镇 镇政府', town)
  return { district, town, village, community }
}

const row = (page: Page, nodeId: string) => page.locator(`tr[data-node-id="${nodeId}"]`)

describe('web UI: nodes page', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('shows a node offline, turns it online live without reloading, and speaks English', async () => {
    const ctl = await startController()
    const zones = await seedZones(ctl)
    const a = await startAgent(ctl, {
      name: '西海路 1号喇叭',
      zone: zones.community,
      sink: 'null',
      start: false,
    })
    // Through a proxy, so that the network can be cut at the end.
    const proxy = await startProxy(ctl.url)
    const { page, problems } = await openPage(browser, proxy.url, {
      viewport: { width: 1280, height: 800 },
    })
    await signIn(page, ctl, { origin: proxy.url })
    await page.goto(proxy.url)

    // Chinese by default: the header, the row offline (text, not colour alone), the counts.
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN')
    await page.locator('.brand').filter({ hasText: '城北之声' }).waitFor(WAIT)
    const mine = row(page, a.nodeId)
    await mine.and(page.locator('[data-state="offline"]')).waitFor(WAIT)
    expect(await mine.locator('.badge.state').textContent()).toBe('离线')
    expect(await mine.locator('.cell-zone').textContent()).toBe('西海路社区')
    await page.locator('.conn[data-state="live"]').waitFor(WAIT)
    expect(await page.locator('.conn').textContent()).toContain('实时')
    expect(await page.locator('[data-count="total"] .count-value').textContent()).toBe('3')
    expect(await page.locator('[data-count="offline"] .count-value').textContent()).toBe('3')
    await page.locator('.health-status.health-ok').waitFor(WAIT)

    // The agent connects: the same page (no reload) shows it online and holding the plan.
    await page.evaluate(() => {
      ;(globalThis as unknown as PageGlobals).marker = 42
    })
    await a.agent.start()
    await mine.and(page.locator('[data-state="online"]')).waitFor(WAIT)
    expect(await mine.locator('.badge.state').textContent()).toBe('在线')
    await page
      .locator('[data-count="online"] .count-value')
      .filter({ hasText: /^1$/ })
      .waitFor(WAIT)
    expect(await mine.locator('.last-seen').textContent()).toBe('刚刚')
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).marker)).toBe(42)

    // Filtering by a town shows the nodes of its villages too, and no other.
    await page.selectOption('#f-zone', zones.town)
    await page.locator('tbody tr').filter({ hasText: '严小村 村委会' }).waitFor(WAIT)
    await mine.waitFor({ state: 'detached', ...WAIT })
    expect(await page.locator('.nodes-table tbody tr').count()).toBe(2)
    await page.selectOption('#f-zone', '')
    await page.fill('#f-q', '西海路')
    await page
      .locator('.nodes-table tbody tr')
      .nth(1)
      .waitFor({ state: 'detached', ...WAIT })
    expect(await mine.isVisible()).toBe(true)
    await page.fill('#f-q', '')
    await page.locator('.nodes-table tbody tr').nth(2).waitFor(WAIT)
    await page.screenshot({ path: '/tmp/chorus-nodes.png', fullPage: true })

    // English, remembered across a reload.
    await page.getByRole('button', { name: 'Switch to English' }).click()
    await page.locator('html[lang="en"]').waitFor(WAIT)
    await page.locator('th', { hasText: 'Last seen' }).waitFor(WAIT)
    expect(await mine.locator('.badge.state').textContent()).toBe('Online')
    expect(await page.locator('.tabs a[aria-current="page"]').textContent()).toBe('Speakers')
    await page.screenshot({ path: '/tmp/chorus-nodes-en.png', fullPage: true })
    await page.reload()
    await mine.and(page.locator('[data-state="online"]')).waitFor(WAIT)
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    expect(await mine.locator('.badge.state').textContent()).toBe('Online')
    expect(problems).toEqual({ errors: [], external: [] })

    // The network drops: the indicator says so; when it is back the stream reconnects by itself
    // and the list is reloaded, since SSE does not replay what was missed meanwhile.
    proxy.cut()
    await page.locator('.conn[data-state="down"]', { hasText: 'Disconnected' }).waitFor(WAIT)
    const other = await ctl.register('工具厂 3号喇叭', '工具厂社区')
    proxy.restore()
    await page.locator('.conn[data-state="live"]', { hasText: 'Live' }).waitFor(WAIT)
    await row(page, other.id).and(page.locator('[data-state="offline"]')).waitFor(WAIT)
    expect(problems.external).toEqual([])
  })

  it('becomes cards on a phone', async () => {
    const ctl = await startController()
    const zones = await seedZones(ctl)
    const a = await startAgent(ctl, { name: '西海路 1号喇叭', zone: zones.community, sink: 'null' })
    const { page, problems } = await openPage(browser, ctl.url, {
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    })
    await signIn(page, ctl)
    await page.goto(ctl.url)
    const mine = row(page, a.nodeId)
    await mine.and(page.locator('[data-state="online"]')).waitFor(WAIT)
    // (In-page callbacks are sent as source text: they may not use this module's variables.)
    const display = await mine.evaluate(
      (el) => (globalThis as unknown as PageGlobals).getComputedStyle(el).display,
    )
    expect(display).toBe('grid')
    // The column headers move into each card (kept only for screen readers).
    expect((await page.locator('.nodes-table thead').boundingBox())?.height).toBeLessThanOrEqual(1)
    const zoneLabel = await mine
      .locator('.cell-zone')
      .evaluate(
        (el) => (globalThis as unknown as PageGlobals).getComputedStyle(el, '::before').content,
      )
    expect(zoneLabel).toBe('"区域"')
    // The page fits the phone's width: nothing scrolls sideways.
    const overflow = await page.evaluate(() => {
      const { documentElement: root } = (globalThis as unknown as PageGlobals).document
      return root.scrollWidth - root.clientWidth
    })
    expect(overflow).toBeLessThanOrEqual(0)
    await page.screenshot({ path: '/tmp/chorus-nodes-phone.png', fullPage: true })
    expect(problems).toEqual({ errors: [], external: [] })
  })
})
