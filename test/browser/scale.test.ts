import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAgent } from '../helpers/agent.js'
import { startController } from '../helpers/controller.js'
import { launch, openPage, type PageGlobals, signIn } from './browser.js'

const WAIT = { timeout: 20_000 }
const FLEET = 10_000

interface NodeJson {
  id: string
  zone: string
  [key: string]: unknown
}

/** The made-up fleet: a quarter offline (for up to 2,500 s), some degraded, flapping, playing. */
function fakeNode(template: NodeJson, i: number, now: number) {
  const state =
    i % 4 === 0 ? 'offline' : i % 10 === 1 ? 'degraded' : i % 25 === 2 ? 'flapping' : 'online'
  return {
    ...template,
    id: `node-f${i.toString(16).padStart(9, '0')}`,
    name: `喇叭 ${i + 1}`,
    zoneName: '严小村',
    online: state !== 'offline',
    state,
    playing: state === 'online' && i % 3 === 0,
    degradedReasons:
      state === 'degraded'
        ? [{ code: 'late', message: 'segments start 1.8 s late', params: { medianMs: 1800 } }]
        : [],
    offlineSince: state === 'offline' ? new Date(now - (i + 1) * 1000).toISOString() : null,
    incidentId: null,
    lastSeen: new Date(now - i * 1000).toISOString(),
    // A 100 × 100 grid of about 10 km × 10 km.
    lat: 36.6 + (i % 100) * 0.001,
    lon: 101.7 + Math.floor(i / 100) * 0.001,
  }
}

describe('web UI: 10,000 nodes', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('renders a window of the list and a live change touches only its own row', async () => {
    const ctl = await startController()
    // "北门" sorts before "喇叭 …" in pinyin order, so the real node is in the first window.
    const a = await startAgent(ctl, {
      name: '北门 1号喇叭',
      zone: '西海路社区',
      sink: 'null',
      start: false,
    })
    const { page, problems } = await openPage(browser, ctl.url, {
      viewport: { width: 1280, height: 800 },
    })
    await signIn(page, ctl)
    const now = Date.now()
    const fake = Array.from({ length: FLEET }, (_, i) => i)
    const count = (s: string) =>
      fake.filter((i) => fakeNode({ id: '', zone: '' }, i, now).state === s).length
    const playing = fake.filter((i) => fakeNode({ id: '', zone: '' }, i, now).playing).length
    // The real node list plus 10,000 made-up nodes; the stream stays the real one.
    await page.route('**/api/nodes', async (route) => {
      const response = await route.fetch()
      const real = (await response.json()) as NodeJson[]
      const template = real[0]!
      await route.fulfill({
        response,
        json: [...real, ...fake.map((i) => fakeNode(template, i, now))],
      })
    })

    const started = Date.now()
    await page.goto(ctl.url)
    const mine = page.locator(`tr[data-node-id="${a.nodeId}"]`)
    await mine.and(page.locator('[data-state="offline"]')).waitFor(WAIT)
    const firstRender = Date.now() - started
    expect(firstRender).toBeLessThan(10_000)
    expect(await page.locator('.nodes-table tbody tr').count()).toBe(200)
    expect(await page.locator('.pager-status').textContent()).toBe('显示 200 / 10001 条')
    const value = (key: string) => page.locator(`[data-count="${key}"] .count-value`)
    expect(await value('total').textContent()).toBe('10001')
    expect(await value('offline').textContent()).toBe(String(count('offline') + 1))
    expect(await value('degraded').textContent()).toBe(String(count('degraded')))
    expect(await value('flapping').textContent()).toBe(String(count('flapping')))
    expect(await value('online').textContent()).toBe(String(count('online')))
    expect(await value('playing').textContent()).toBe(String(playing))
    // A degraded node says why, in words; states are text and shape, not colour alone.
    const degraded = page.locator('tr[data-state="degraded"]').first()
    expect(await degraded.locator('.badge.state').textContent()).toBe('降级')
    expect(await degraded.locator('.state-detail').textContent()).toBe('节目开始晚 1.8 秒')
    expect(await page.locator('tr[data-state="flapping"] .badge.state').first().textContent()).toBe(
      '频繁掉线',
    )

    // Watch the table: which rows change, and whether rows are added, removed or moved.
    await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals
      const tbody = g.document.querySelector('.nodes-table tbody')
      const seen = { rows: new Set<string>(), reordered: 0 }
      g.watch = seen
      new g.MutationObserver((records) => {
        for (const r of records) {
          if (r.target === tbody) seen.reordered++
          // Text changes are reported on text nodes (type 3): look from their element.
          const el = r.target.nodeType === 3 ? r.target.parentElement : r.target
          const id = el?.closest?.('tr')?.dataset.nodeId
          if (id) seen.rows.add(id)
        }
      }).observe(tbody, { subtree: true, childList: true, characterData: true, attributes: true })
    })
    await a.agent.start()
    await mine.and(page.locator('[data-state="online"]')).waitFor(WAIT)
    await value('offline')
      .filter({ hasText: new RegExp(`^${count('offline')}$`) })
      .waitFor(WAIT)
    const watched = await page.evaluate(() => {
      const w = (globalThis as unknown as PageGlobals).watch
      return { rows: [...(w?.rows ?? [])], reordered: w?.reordered }
    })
    expect(watched).toEqual({ rows: [a.nodeId], reordered: 0 })

    await page.screenshot({ path: '/tmp/chorus-nodes-10k.png' })

    // Scrolling to the end of the window shows the next rows.
    await page.locator('.pager .more').scrollIntoViewIfNeeded()
    await page.waitForFunction(
      () =>
        (globalThis as unknown as PageGlobals).document.querySelectorAll('.nodes-table tbody tr')
          .length === 400,
      undefined,
      WAIT,
    )
    // Longest offline first: node 9997 (i = 9996, offline for 9,997 s) leads.
    await page.selectOption('#f-sort', 'offline')
    await page
      .locator('.nodes-table tbody tr')
      .first()
      .filter({ hasText: '喇叭 9997' })
      .waitFor(WAIT)
    // The degraded count filters; a search runs over all 10,000.
    await page.click('[data-count="degraded"]')
    await page.locator('.pager-status', { hasText: ` / ${count('degraded')} 条` }).waitFor(WAIT)
    await page.selectOption('#f-state', 'all')
    await page.fill('#f-q', '喇叭 9999')
    await page.locator('.pager-status', { hasText: '显示 1 / 1 条' }).waitFor(WAIT)

    // The map draws all 10,000 on one canvas and follows the stream.
    const mapStarted = Date.now()
    await page.click('.tabs a[data-path="/map"]')
    await page.locator('.map-wrap[data-drawn="10000"]').waitFor(WAIT)
    expect(Date.now() - mapStarted).toBeLessThan(5000)
    expect(await page.locator('.placed-list li').count()).toBe(100)
    expect(await page.locator(`.unplaced-list li[data-node-id="${a.nodeId}"]`).count()).toBe(1)
    await a.agent.stop()
    await page
      .locator(`.unplaced-list li[data-node-id="${a.nodeId}"][data-state="offline"]`)
      .waitFor(WAIT)
    await page.screenshot({ path: '/tmp/chorus-map-10k.png' })

    expect(problems).toEqual({ errors: [], external: [] })
  })
})
