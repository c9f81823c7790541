import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAgent } from '../helpers/agent.js'
import { startController } from '../helpers/controller.js'
import { launch } from './browser.js'
import {
  boxCancel,
  boxConfirm,
  nodeRow,
  pickTreeOption,
  rowInState,
  zone,
} from './fleet-helpers.js'
import { openLoggedIn, unexpected, WAIT } from './programme-helpers.js'

// The new web UI's fleet pages (issue 11), the classic fleet journeys ported: a node going
// offline live with its alert, banner, acknowledgement and resolution; the node page with its
// charts, commands and edit; a command to a zone; bulk actions and the survey sheet.

describe('web UI: fleet', () => {
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
    const { page, problems } = await openLoggedIn(browser, ctl)

    // The rules editor: offline for 0 minutes is enough.
    await page.goto(`${ctl.url}/#/alerts`)
    const rule = page.locator('.rule[data-kind="nodeOffline"]')
    await rule.locator('.rule-minutes input').fill('0')
    await rule.locator('.rule-save').click()
    await rule.locator('.rule-status', { hasText: '已保存' }).waitFor(WAIT)
    expect(await page.locator('.alert-banner').count()).toBe(0)

    await page.click('.el-menu-item:has-text("音柱节点")')
    await rowInState(page, a.nodeId, 'online').waitFor(WAIT)
    await page.evaluate(() => {
      ;(globalThis as unknown as { marker: number }).marker = 7
    })
    await a.agent.stop()
    // Live, without a reload: the row turns offline and says since when.
    const row = rowInState(page, a.nodeId, 'offline')
    await row.waitFor(WAIT)
    expect(await row.locator('.state-tag').textContent()).toContain('离线')
    await row.locator('.state-detail', { hasText: /^已离线 / }).waitFor(WAIT)
    await page.locator('[data-count="offline"] .count-value', { hasText: /^1$/ }).waitFor(WAIT)
    // The alert reaches the banner on every page, with a link to the list.
    const banner = page.locator('.alert-banner[data-count="1"]')
    await banner.waitFor(WAIT)
    expect(await banner.locator('.banner-summary').textContent()).toBe('1 条未处理告警')
    expect(await banner.locator('.banner-counts').textContent()).toBe('警告 1')
    await banner.locator('.banner-top', { hasText: '「西海路 1号喇叭」' }).waitFor(WAIT)
    expect(await page.evaluate(() => (globalThis as unknown as { marker: number }).marker)).toBe(7)
    await page.screenshot({ path: '/tmp/chorus-next-fleet-offline.png', fullPage: true })

    await banner.locator('.banner-link').click()
    const alert = page.locator('.alerts-table tbody tr', {
      has: page.locator('.cell-alert[data-kind="nodeOffline"]'),
    })
    await alert.waitFor(WAIT)
    expect(await alert.locator('.alert-kind').textContent()).toBe('节点离线')
    expect(await alert.locator('.severity').textContent()).toContain('警告')
    expect(await alert.locator('.alert-text').textContent()).toContain('「西海路 1号喇叭」')
    await alert.locator('.ack').click()
    await alert.locator('.alert-state', { hasText: '已确认' }).waitFor(WAIT)
    await page.screenshot({ path: '/tmp/chorus-next-alerts.png', fullPage: true })
    await alert.locator('.resolve').click()
    await alert.waitFor({ state: 'detached', ...WAIT })
    await page.locator('.alert-banner').waitFor({ state: 'detached', ...WAIT })
    // "All" keeps the resolved alert, saying how it was resolved.
    await page.click('.alerts-show .el-radio-button:has-text("全部")')
    await alert.locator('.alert-state', { hasText: '已解决（手动）' }).waitFor(WAIT)
    expect(problems).toEqual({ errors: [], external: [] })
  })

  it('shows the node page: history, telemetry, commands from pending to done, and edits the node', async () => {
    const ctl = await startController()
    const village = await zone(ctl, '严小村')
    const a = await startAgent(ctl, { name: '严小村 村委会', zone: village, sink: 'null' })
    const other = await ctl.api<{ id: string }>('POST', '/api/nodes', {
      name: '严小村 2号',
      zone: village,
      serial: 'SN-TAKEN',
    })
    expect(other.status).toBe(201)
    const { page, problems } = await openLoggedIn(browser, ctl)
    await page.goto(`${ctl.url}/#/nodes`)
    await rowInState(page, a.nodeId, 'online').waitFor(WAIT)
    await nodeRow(page, a.nodeId).locator('.node-name').click()
    await page.waitForURL(`**/#/nodes/${a.nodeId}`, WAIT)

    const summary = page.locator('.node-summary')
    await summary.locator('.state-tag', { hasText: '在线' }).waitFor(WAIT)
    expect(await summary.locator('.node-title').textContent()).toBe('严小村 村委会')
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { document: { title: string } }).document.title.startsWith(
          '严小村 村委会',
        ),
      undefined,
      WAIT,
    )
    // The last 7 days as bars, and the transition that brought the node online.
    await page.locator('.days-chart[data-days="7"] canvas').waitFor(WAIT)
    const transition = page.locator('.transitions-table tbody tr').first()
    await transition.locator('td', { hasText: '离线 → 在线' }).waitFor(WAIT)
    expect(await transition.textContent()).toContain('上线')
    // Telemetry drawn by ECharts (the first sample is stored within seconds of coming online).
    const volume = page.locator('.chart-card[data-metric="volume"]')
    await volume.locator('canvas').waitFor(WAIT)
    await volume.locator('.chart-latest', { hasText: /^\d+$/ }).waitFor(WAIT)

    // A test tone: pending while the node plays it, then done.
    const commands = page.locator('.node-cmd')
    await commands.locator('.cmd-buttons [data-kind="testTone"]').click()
    const tone = commands.locator('.cmd-kind[data-kind="testTone"]')
    await tone.waitFor(WAIT)
    const toneRow = commands.locator('.cmd-table tbody tr', {
      has: page.locator('.cmd-kind[data-kind="testTone"][data-status="ok"]'),
    })
    await toneRow.waitFor(WAIT)
    expect(await toneRow.locator('.cmd-status').textContent()).toContain('完成')
    expect(await toneRow.locator('.cmd-result').textContent()).toBe('已播放 3 秒测试音')
    // A ping shows its round trip.
    await commands.locator('.cmd-buttons [data-kind="ping"]').click()
    const ping = commands.locator('.cmd-table tbody tr', {
      has: page.locator('.cmd-kind[data-kind="ping"][data-status="ok"]'),
    })
    await ping.waitFor(WAIT)
    expect(await ping.locator('.cmd-result').textContent()).toMatch(/^往返 \d+ 毫秒$/)
    // Set volume asks for the value; restart asks for a confirmation (cancelled here).
    await commands.locator('.cmd-buttons [data-kind="setVolume"]').click()
    await page.locator('.volume-box input').fill('40')
    await boxConfirm(page).click()
    const vol = commands.locator('.cmd-table tbody tr', {
      has: page.locator('.cmd-kind[data-kind="setVolume"][data-status="ok"]'),
    })
    await vol.waitFor(WAIT)
    expect(await vol.locator('.cmd-result').textContent()).toBe('音量已设为 40')
    await commands.locator('.cmd-buttons [data-kind="restart"]').click()
    await boxCancel(page).click()
    await page.locator('.el-message-box').waitFor({ state: 'hidden', ...WAIT })
    expect(await commands.locator('.cmd-kind[data-kind="restart"]').count()).toBe(0)
    await page.screenshot({ path: '/tmp/chorus-next-node.png', fullPage: true })
    await page.locator('.node-charts').screenshot({ path: '/tmp/chorus-next-node-charts.png' })

    // Edit: a serial another node has is refused by the server, shown by the field; a new name,
    // position and serial are saved.
    await page.click('.node-edit-open')
    const dialog = page.locator('.node-edit')
    await dialog.locator('.edit-serial input').fill('SN-TAKEN')
    await dialog.locator('.edit-save').click()
    await dialog
      .locator('.el-form-item__error', { hasText: '这个序列号已被另一个节点使用' })
      .waitFor(WAIT)
    await dialog.locator('.edit-serial input').fill('SN-0001')
    await dialog.locator('.edit-name input').fill('严小村 2号')
    await dialog.locator('.edit-lat input').fill('36.6612')
    await dialog.locator('.edit-lon input').fill('101.7485')
    await dialog.locator('.edit-save').click()
    // Same name as another node of the zone: saved, with a warning.
    await page.locator('.warn-duplicate').waitFor(WAIT)
    await summary.locator('.node-title', { hasText: '严小村 2号' }).waitFor(WAIT)
    expect(await summary.locator('.fact-serial').textContent()).toBe('SN-0001')
    expect(await summary.locator('.fact-position').textContent()).toBe('36.6612, 101.7485')
    const stored = await ctl.api<{ name: string; serial: string; lat: number }>(
      'GET',
      `/api/nodes/${a.nodeId}`,
    )
    expect(stored.body).toMatchObject({ name: '严小村 2号', serial: 'SN-0001', lat: 36.6612 })

    // The node goes offline: the page follows without a reload, the history gains the transition.
    await a.agent.stop()
    await summary.locator('.state-tag', { hasText: '离线' }).waitFor(WAIT)
    await page.locator('.transitions-table .tr-at[data-to="offline"]').waitFor(WAIT)
    // 409: the serial taken.
    expect(unexpected(problems, [409])).toEqual({ errors: [], external: [] })
  })

  it('sends a command to a zone and shows the result per node', async () => {
    const ctl = await startController()
    const district = await zone(ctl, '城北区')
    const town = await zone(ctl, '二十里铺镇', district)
    const village = await zone(ctl, '严小村', town)
    const a = await startAgent(ctl, { name: '严小村 1号', zone: village, sink: 'null' })
    const b = await startAgent(ctl, { name: '镇政府 1号', zone: town, sink: 'null' })
    const { page, problems } = await openLoggedIn(browser, ctl)
    await page.goto(`${ctl.url}/#/nodes`)
    await rowInState(page, a.nodeId, 'online').waitFor(WAIT)
    await rowInState(page, b.nodeId, 'online').waitFor(WAIT)
    expect(await page.locator('.zone-cmd').count()).toBe(0)

    await page.click('.f-zone')
    await pickTreeOption(page, '二十里铺镇')
    const panel = page.locator('.zone-cmd')
    await panel.waitFor(WAIT)
    expect(await panel.locator('.zone-cmd-title').textContent()).toBe('向「二十里铺镇」发送命令')
    expect(await panel.locator('.zone-cmd-note').textContent()).toBe(
      '包括所有下级区域，共 2 个节点。',
    )
    expect(page.url()).toContain(`zone=${town}`)
    await panel.locator('[data-kind="ping"]').click()
    await panel
      .locator('.batch-summary', { hasText: '共 2 个：完成 2，失败 0，过期 0，等待 0' })
      .waitFor(WAIT)
    expect(await panel.locator('.cmd-result').first().textContent()).toMatch(/^往返 \d+ 毫秒$/)
    // Set volume asks for the value, then every node in the zone answers.
    await panel.locator('[data-kind="setVolume"]').click()
    await page.locator('.volume-box input').fill('55')
    await boxConfirm(page).click()
    await panel.locator('.cmd-kind[data-kind="setVolume"][data-status="ok"]').nth(1).waitFor(WAIT)
    await page.screenshot({ path: '/tmp/chorus-next-zone-command.png', fullPage: true })
    expect(problems).toEqual({ errors: [], external: [] })
  })
})
