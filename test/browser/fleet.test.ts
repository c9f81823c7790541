import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAgent } from '../helpers/agent.js'
import { startController, type TestController } from '../helpers/controller.js'
import { launch, openPage, type PageGlobals, signIn } from './browser.js'

const WAIT = { timeout: 15_000 }
const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
}

const row = (page: Page, nodeId: string) => page.locator(`tr[data-node-id="${nodeId}"]`)

/** Nothing on the page scrolls sideways (a phone's width is enough). */
async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const { documentElement: root } = (globalThis as unknown as PageGlobals).document
    return root.scrollWidth - root.clientWidth
  })
}

async function zone(ctl: TestController, name: string, parentId?: string): Promise<string> {
  const r = await ctl.api<{ id: string }>(
    'POST',
    '/api/zones',
    parentId ? { name, parentId } : { name },
  )
  expect(r.status).toBe(201)
  return r.body.id
}

describe('web UI: fleet monitoring', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('shows a node going offline live, raises the offline alert, acknowledges and resolves it', async () => {
    // Alert rules evaluated every second, so the rule set to 0 minutes fires at once.
    const ctl = await startController({ args: ['--health-interval-sec', '1'] })
    const a = await startAgent(ctl, { name: '西海路 1号喇叭', sink: 'null' })
    const { page, problems } = await openPage(browser, ctl.url, {
      viewport: { width: 1280, height: 900 },
    })
    await signIn(page, ctl)

    // The rules editor: offline for 0 minutes is enough.
    await page.goto(`${ctl.url}/#/alerts`)
    const rule = page.locator('form.rule[data-kind="nodeOffline"]')
    await rule.locator('input[name="minutes"]').fill('0')
    await rule.getByRole('button', { name: '保存' }).click()
    await rule.locator('.rule-status', { hasText: '已保存' }).waitFor(WAIT)
    expect(await page.locator('.banner').isHidden()).toBe(true)

    await page.click('.tabs a[data-path="/nodes"]')
    const mine = row(page, a.nodeId)
    await mine.and(page.locator('[data-state="online"]')).waitFor(WAIT)
    await page.evaluate(() => {
      ;(globalThis as unknown as PageGlobals).marker = 7
    })
    await a.agent.stop()
    // Live, without a reload: the row turns offline and says since when.
    await mine.and(page.locator('[data-state="offline"]')).waitFor(WAIT)
    expect(await mine.locator('.badge.state').textContent()).toBe('离线')
    expect(await mine.locator('.state-detail').textContent()).toMatch(/^已离线 /)
    await page.locator('[data-count="offline"] .count-value', { hasText: /^1$/ }).waitFor(WAIT)
    // The alert reaches the banner on every page, most severe first, with a link to the list.
    const banner = page.locator('.banner[data-count="1"]')
    await banner.waitFor(WAIT)
    expect(await banner.locator('.banner-summary').textContent()).toBe('1 条未处理告警')
    expect(await banner.locator('.banner-counts').textContent()).toBe('警告 1')
    expect(await banner.locator('.banner-top').textContent()).toContain('「西海路 1号喇叭」')
    expect(await page.locator('.tabs a[data-path="/alerts"] .nav-count').textContent()).toBe('1')
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).marker)).toBe(7)
    await page.screenshot({ path: '/tmp/chorus-fleet-offline.png', fullPage: true })

    await banner.getByRole('link', { name: '查看告警' }).click()
    const alert = page.locator('.alerts-table tr[data-kind="nodeOffline"]')
    await alert.waitFor(WAIT)
    expect(await alert.locator('.alert-kind').textContent()).toBe('节点离线')
    expect(await alert.locator('.severity').textContent()).toBe('警告')
    expect(await alert.getAttribute('data-state')).toBe('open')
    await alert.getByRole('button', { name: '确认' }).click()
    await alert.and(page.locator('[data-state="acked"]')).waitFor(WAIT)
    expect(await alert.locator('.alert-state').textContent()).toBe('已确认')
    await page.screenshot({ path: '/tmp/chorus-alerts.png', fullPage: true })
    await alert.getByRole('button', { name: '解决' }).click()
    await alert.waitFor({ state: 'detached', ...WAIT })
    await page.locator('.banner').waitFor({ state: 'hidden', ...WAIT })
    // "All" keeps the resolved alert, saying how it was resolved.
    await page.getByRole('button', { name: '全部' }).click()
    await alert.and(page.locator('[data-state="resolved"]')).waitFor(WAIT)
    expect(await alert.locator('.alert-state').textContent()).toBe('已解决（手动）')
    expect(problems).toEqual({ errors: [], external: [] })
  })

  it('shows the node page: timeline, telemetry, and commands from pending to done', async () => {
    const ctl = await startController()
    const a = await startAgent(ctl, { name: '严小村 村委会', sink: 'null' })
    const { page, problems } = await openPage(browser, ctl.url, {
      viewport: { width: 1280, height: 900 },
    })
    await signIn(page, ctl)
    await page.goto(ctl.url)
    await row(page, a.nodeId).and(page.locator('[data-state="online"]')).waitFor(WAIT)
    await row(page, a.nodeId).getByRole('link', { name: '严小村 村委会' }).click()
    expect(new URL(page.url()).hash).toBe(`#/nodes/${a.nodeId}`)

    const summary = page.locator('.node-summary')
    await summary.locator('.badge.state', { hasText: '在线' }).waitFor(WAIT)
    expect(await page.title()).toBe('严小村 村委会 · 城北之声 · Chorus')
    // The last 7 days, today first, and the transition that brought the node online.
    await page.locator('.days .day').nth(6).waitFor(WAIT)
    expect(await page.locator('.days .day').count()).toBe(7)
    expect(await page.locator('.days .day').first().locator('.dseg-online').count()).toBe(1)
    const transition = page.locator('.transitions-table tbody tr').first()
    await transition.waitFor(WAIT)
    expect(await transition.textContent()).toContain('离线 → 在线')
    expect(await transition.textContent()).toContain('上线')
    // Telemetry charts are drawn as inline SVG, no library, no CDN.
    // (The first sample is stored within seconds of the node coming online.)
    const volumeChart = page.locator('.chart-card[data-metric="volume"]')
    await volumeChart.locator('svg').waitFor(WAIT)
    expect(await volumeChart.locator('path.line, path.dots').count()).toBeGreaterThan(0)
    expect(await volumeChart.locator('.chart-latest').textContent()).toMatch(/^\d+$/)

    // A test tone: pending while the node plays it, then done.
    const commands = page.locator('.node-cmd .cmd-buttons')
    await commands.getByRole('button', { name: '测试音' }).click()
    const tone = page.locator('.cmd-table tr[data-kind="testTone"]')
    await tone.and(page.locator('[data-status="pending"]')).waitFor(WAIT)
    expect(await tone.locator('.badge.cmd').textContent()).toBe('等待中')
    await tone.and(page.locator('[data-status="ok"]')).waitFor(WAIT)
    expect(await tone.locator('.badge.cmd').textContent()).toBe('完成')
    expect(await tone.locator('.cmd-result').textContent()).toBe('已播放 3 秒测试音')

    // A ping shows its round trip.
    await commands.getByRole('button', { name: '连通测试' }).click()
    const ping = page.locator('.cmd-table tr[data-kind="ping"][data-status="ok"]')
    await ping.waitFor(WAIT)
    expect(await ping.locator('.cmd-result').textContent()).toMatch(/^往返 \d+ 毫秒$/)

    // Set volume asks for the value; restart asks for a confirmation (cancelled here).
    await commands.getByRole('button', { name: '设置音量' }).click()
    const dialog = page.locator('dialog.dialog[open]')
    await dialog.getByLabel('音量（0–100）').fill('40')
    await dialog.getByRole('button', { name: '设置音量' }).click()
    const volume = page.locator('.cmd-table tr[data-kind="setVolume"][data-status="ok"]')
    await volume.waitFor(WAIT)
    expect(await volume.locator('.cmd-result').textContent()).toBe('音量已设为 40')
    await commands.getByRole('button', { name: '重启程序' }).click()
    await dialog.getByRole('button', { name: '取消' }).click()
    await dialog.waitFor({ state: 'detached', ...WAIT })
    expect(await page.locator('.cmd-table tr[data-kind="restart"]').count()).toBe(0)
    await page.screenshot({ path: '/tmp/chorus-node.png', fullPage: true })

    // In English too.
    await page.getByRole('button', { name: 'Switch to English' }).click()
    await summary.locator('.badge.state', { hasText: 'Online' }).waitFor(WAIT)
    await page
      .locator('.cmd-table tr[data-kind="ping"] .badge.cmd', { hasText: 'Done' })
      .waitFor(WAIT)
    expect(problems).toEqual({ errors: [], external: [] })

    // The node goes offline: the page follows without a reload, the timeline gains the transition.
    await a.agent.stop()
    await summary.locator('.badge.state', { hasText: 'Offline' }).waitFor(WAIT)
    await page.locator('.transitions-table tbody tr[data-to="offline"]').waitFor(WAIT)
    expect(problems).toEqual({ errors: [], external: [] })
  })

  it('sends a command to a zone and shows the result per node', async () => {
    const ctl = await startController()
    const district = await zone(ctl, '城北区')
    const town = await zone(ctl, '二十里铺镇', district)
    const village = await zone(ctl, '严小村', town)
    const a = await startAgent(ctl, { name: '严小村 1号', zone: village, sink: 'null' })
    const b = await startAgent(ctl, { name: '镇政府 1号', zone: town, sink: 'null' })
    const { page, problems } = await openPage(browser, ctl.url, {
      viewport: { width: 1280, height: 900 },
    })
    await signIn(page, ctl)
    await page.goto(ctl.url)
    await row(page, a.nodeId).and(page.locator('[data-state="online"]')).waitFor(WAIT)
    await row(page, b.nodeId).and(page.locator('[data-state="online"]')).waitFor(WAIT)
    const panel = page.locator('.zone-cmd')
    expect(await panel.isHidden()).toBe(true)

    await page.selectOption('#f-zone', town)
    await panel.waitFor(WAIT)
    expect(await panel.locator('h2').textContent()).toBe('向「二十里铺镇」发送命令')
    expect(await panel.locator('.panel-note').textContent()).toBe('包括所有下级区域，共 2 个节点。')
    await panel.getByRole('button', { name: '连通测试' }).click()
    for (const id of [a.nodeId, b.nodeId]) {
      await panel.locator(`tr[data-status="ok"]:has(a[href="#/nodes/${id}"])`).waitFor(WAIT)
    }
    await panel
      .locator('.batch-summary', { hasText: '共 2 个：完成 2，失败 0，过期 0，等待 0' })
      .waitFor(WAIT)
    expect(await panel.locator('tr[data-kind="ping"] .cmd-result').first().textContent()).toMatch(
      /^往返 \d+ 毫秒$/,
    )

    // Set volume asks for the value, then every node in the zone answers.
    await panel.getByRole('button', { name: '设置音量' }).click()
    const dialog = page.locator('dialog.dialog[open]')
    await dialog.getByLabel('音量（0–100）').fill('55')
    await dialog.getByRole('button', { name: '设置音量' }).click()
    await panel.locator('tr[data-kind="setVolume"][data-status="ok"]').nth(1).waitFor(WAIT)
    await page.screenshot({ path: '/tmp/chorus-zone-command.png', fullPage: true })
    expect(problems).toEqual({ errors: [], external: [] })
  })

  it('draws nodes with coordinates on the map and lists those without', async () => {
    const ctl = await startController()
    await ctl.api('POST', '/api/zones', { name: '西海路社区' })
    const placed = await ctl.api<{ id: string }>('POST', '/api/nodes', {
      name: '西海路 广场',
      zone: '西海路社区',
      lat: 36.6612,
      lon: 101.7485,
    })
    const other = await ctl.api<{ id: string }>('POST', '/api/nodes', {
      name: '西海路 东口',
      zone: '西海路社区',
      lat: 36.6695,
      lon: 101.7601,
    })
    const unplaced = await ctl.register('工具厂 1号')
    const { page, problems } = await openPage(browser, ctl.url, {
      viewport: { width: 1280, height: 900 },
    })
    await signIn(page, ctl)
    await page.goto(`${ctl.url}/#/map`)
    await page.locator('.map-wrap[data-drawn="2"]').waitFor(WAIT)
    expect(await page.locator('.map-canvas').getAttribute('data-drawn')).toBe('2')
    // The same nodes as an accessible list beside the canvas, with where each was drawn.
    const item = page.locator(`.placed-list li[data-node-id="${placed.body.id}"]`)
    expect(await item.getAttribute('data-state')).toBe('offline')
    expect(await page.locator(`.unplaced-list li[data-node-id="${unplaced.id}"]`).count()).toBe(1)
    expect(await page.locator('.unplaced h2').textContent()).toBe('无位置的节点（1）')
    expect(
      await page.locator('.map-legend [data-state="offline"] .legend-count').textContent(),
    ).toBe('3')

    // Hovering a marker names the node and its state; clicking opens its page.
    const x = Number(await item.getAttribute('data-x'))
    const y = Number(await item.getAttribute('data-y'))
    const box = (await page.locator('.map-canvas').boundingBox())!
    await page.mouse.move(box.x + x, box.y + y)
    const tip = page.locator(`.map-tip[data-node-id="${placed.body.id}"]`)
    await tip.waitFor(WAIT)
    expect(await tip.locator('.tip-name').textContent()).toBe('西海路 广场')
    expect(await tip.locator('.tip-state').textContent()).toBe('离线')
    await page.screenshot({ path: '/tmp/chorus-map.png', fullPage: true })
    await page.mouse.click(box.x + x, box.y + y)
    await page.waitForURL(`**/#/nodes/${placed.body.id}`, WAIT)
    await page.locator('.node-summary h1', { hasText: '西海路 广场' }).waitFor(WAIT)
    expect(other.status).toBe(201)
    expect(problems).toEqual({ errors: [], external: [] })
  })

  it('fits a phone: folded navigation, node page and alerts without sideways scrolling', async () => {
    const ctl = await startController()
    const a = await startAgent(ctl, { name: '西海路 1号喇叭', sink: 'null' })
    const { page, problems } = await openPage(browser, ctl.url, PHONE)
    await signIn(page, ctl)
    await page.goto(ctl.url)
    await row(page, a.nodeId).and(page.locator('[data-state="online"]')).waitFor(WAIT)
    // The tabs fold behind the menu button.
    const nav = page.locator('nav.tabs')
    expect(await nav.isVisible()).toBe(false)
    await page.getByRole('button', { name: '菜单' }).click()
    await nav.waitFor({ state: 'visible', ...WAIT })
    await page.screenshot({ path: '/tmp/chorus-phone-menu.png' })
    await nav.getByRole('link', { name: '告警' }).click()
    await page.locator('form.rule').first().waitFor(WAIT)
    expect(await nav.isVisible()).toBe(false)
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: '/tmp/chorus-phone-alerts.png', fullPage: true })

    await page.goto(`${ctl.url}/#/nodes/${a.nodeId}`)
    await page.locator('.node-summary .badge.state', { hasText: '在线' }).waitFor(WAIT)
    await page.locator('.days .day').nth(6).waitFor(WAIT)
    await page.locator('.chart-card[data-metric="memory"] svg').waitFor(WAIT)
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: '/tmp/chorus-phone-node.png', fullPage: true })

    await page.goto(`${ctl.url}/#/map`)
    await page.locator('.unplaced-list li').first().waitFor(WAIT)
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: '/tmp/chorus-phone-map.png', fullPage: true })
    expect(problems).toEqual({ errors: [], external: [] })
  })
})
