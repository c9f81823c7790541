import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAgent } from '../helpers/agent.js'
import { startController } from '../helpers/controller.js'
import { launch } from './browser.js'
import { nodeRow, pickTreeOption, rowInState } from './fleet-helpers.js'
import { openLoggedIn, seedZones, WAIT } from './programme-helpers.js'
import { startProxy } from './proxy.js'

// The classic dashboard journey on the new nodes page: offline nodes, one coming online live
// without a reload, the zone subtree filter and the search (both on the server), English kept
// across a reload, and a dropped network: the stream comes back and the page reloads its rows.

describe('web UI: nodes page', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('shows nodes offline, turns one online live, filters by zone subtree and text, speaks English, and recovers from a cut network', async () => {
    const ctl = await startController()
    const zones = await seedZones(ctl)
    await ctl.register('严小村 村委会', zones.village)
    await ctl.register('二十里铺镇 镇政府', zones.town)
    const a = await startAgent(ctl, {
      name: '西海路 1号喇叭',
      zone: zones.community,
      sink: 'null',
      start: false,
    })
    // Through a proxy, so that the network can be cut at the end.
    const proxy = await startProxy(ctl.url)
    const { page, problems } = await openLoggedIn(browser, ctl, {}, proxy.url)
    await page.goto(`${proxy.url}/#/nodes`)

    // Chinese by default: the row offline (text, not colour alone), its zone, the counts.
    const mine = nodeRow(page, a.nodeId)
    await rowInState(page, a.nodeId, 'offline').waitFor(WAIT)
    expect(await mine.locator('.state-tag').textContent()).toContain('离线')
    expect(await mine.textContent()).toContain('西海路社区')
    await page.locator('.conn[data-state="live"]', { hasText: '实时' }).waitFor(WAIT)
    await page.locator('[data-count="total"] .count-value', { hasText: /^3$/ }).waitFor(WAIT)
    expect(await page.locator('[data-count="offline"] .count-value').textContent()).toBe('3')

    // The agent connects: the same page (no reload) shows it online, just seen, holding the plan.
    await page.evaluate(() => {
      ;(globalThis as unknown as { marker: number }).marker = 42
    })
    await a.agent.start()
    await rowInState(page, a.nodeId, 'online').waitFor(WAIT)
    await page.locator('[data-count="online"] .count-value', { hasText: /^1$/ }).waitFor(WAIT)
    expect(await mine.locator('.last-seen').textContent()).toBe('刚刚')
    await mine.locator('.plan[data-plan="current"]').waitFor(WAIT)
    expect(await page.evaluate(() => (globalThis as unknown as { marker: number }).marker)).toBe(42)

    // A town shows the nodes of its villages too, and no other.
    await page.click('.f-zone')
    await pickTreeOption(page, '二十里铺镇')
    await mine.waitFor({ state: 'detached', ...WAIT })
    await page.locator('.matching', { hasText: '符合条件的节点共 2 个' }).waitFor(WAIT)
    expect(await page.locator('.nodes-table tbody tr').count()).toBe(2)
    await page.click('.f-zone .el-select__wrapper')
    await page.locator('.f-zone .el-select__clear').click()
    await page.fill('.f-q input', '西海路')
    await page.locator('.matching', { hasText: '符合条件的节点共 1 个' }).waitFor(WAIT)
    expect(await mine.isVisible()).toBe(true)
    await page.fill('.f-q input', '')
    await page.locator('.matching', { hasText: '符合条件的节点共 3 个' }).waitFor(WAIT)
    await page.screenshot({ path: '/tmp/chorus-next-nodes.png', fullPage: true })

    // English, remembered across a reload.
    await page.click('.lang-switch [data-lang="en"]')
    await mine.locator('.state-tag', { hasText: 'Online' }).waitFor(WAIT)
    await page.locator('.nodes-table th', { hasText: 'Last seen' }).waitFor(WAIT)
    await page.reload()
    await mine.locator('.state-tag', { hasText: 'Online' }).waitFor(WAIT)
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    expect(problems).toEqual({ errors: [], external: [] })

    // The network drops: the badge says so; when it is back the stream reconnects by itself and
    // the page reloads its rows, since SSE does not replay what was missed meanwhile.
    proxy.cut()
    await page.locator('.conn[data-state="down"]').waitFor(WAIT)
    const other = await ctl.register('工具厂 3号喇叭', zones.community)
    proxy.restore()
    await page.locator('.conn[data-state="live"]').waitFor(WAIT)
    await rowInState(page, other.id, 'offline').waitFor(WAIT)
    expect(problems.external).toEqual([])
  })
})
