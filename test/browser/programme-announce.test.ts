import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAgent } from '../helpers/agent.js'
import { makeTone } from '../helpers/audio.js'
import { startController } from '../helpers/controller.js'
import { tmpDir } from '../helpers/tmp-dir.js'
import { launch } from './browser.js'
import {
  openLoggedIn,
  overflowsX,
  PHONE,
  seedZones,
  text,
  unexpected,
  WAIT,
} from './programme-helpers.js'

describe('web UI: urgent announcements', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('sends an urgent announcement to one zone and shows its delivery turn acknowledged for a live agent', async () => {
    const ctl = await startController()
    const zones = await seedZones(ctl)
    const live = await startAgent(ctl, {
      name: '西海路 1号喇叭',
      zone: zones.community,
      sink: 'null',
    })
    const asleep = await ctl.register('西海路 2号喇叭', zones.community)
    const elsewhere = await ctl.register('严小村 村委会', zones.village)
    const audio = await ctl.upload(await makeTone(tmpDir(), 'water', 2, 660), '停水通知')
    const { page, problems } = await openLoggedIn(browser, ctl)

    await page.goto(`${ctl.url}/#/announcements`)
    await page.locator('.an-hint').waitFor(WAIT)
    // The recording, from the library.
    await page.getByRole('button', { name: '选择录音' }).click()
    await page.locator('dialog').getByLabel('停水通知').check(WAIT)
    await page.locator('dialog').getByRole('button', { name: '选择' }).click()
    // The picked recording is shown once the dialog has closed (awaited: the page re-renders).
    await page.locator(`.an-picked[data-audio-id="${audio.id}"]`).waitFor(WAIT)
    // One zone of the tree: the community only.
    const box = page.locator(`#an-zones input[data-zone-id="${zones.community}"]`)
    await box.check(WAIT)
    expect(await text(page, '.zt-summary')).toBe('播给 西海路社区（1 个区域及其下级）')
    // Urgent, now (the defaults); confirm what and where.
    expect(await page.getByRole('radio', { name: '紧急插播' }).isChecked()).toBe(true)
    expect(await page.getByRole('radio', { name: '立即' }).isChecked()).toBe(true)
    await page.getByRole('button', { name: '发送插播' }).click()
    const confirm = page.locator('dialog')
    expect(await confirm.locator('.dialog-title').textContent()).toBe('发送紧急插播？')
    expect(await confirm.locator('.dialog-text').textContent()).toBe(
      '“停水通知”将立即播给 西海路社区。',
    )
    await confirm.getByRole('button', { name: '发送插播' }).click()

    // Live delivery: the two nodes of the zone, the live one acknowledged, the other pending.
    const panel = page.locator('.as-panel[data-announcement-id]')
    await panel.waitFor(WAIT)
    const mine = panel.locator(`tr[data-node-id="${live.nodeId}"]`)
    await mine.and(page.locator('[data-delivery="acknowledged"]')).waitFor(WAIT)
    expect(await mine.locator('.badge').textContent()).toBe('已确认')
    const other = panel.locator(`tr[data-node-id="${asleep.id}"]`)
    expect(await other.getAttribute('data-delivery')).toBe('pending')
    expect(await other.textContent()).toContain('离线')
    expect(await panel.locator(`tr[data-node-id="${elsewhere.id}"]`).count()).toBe(0)
    expect(await panel.locator('tbody tr').count()).toBe(2)
    await panel.locator('.as-counts', { hasText: '已确认 1 / 2 个节点' }).waitFor(WAIT)
    expect(await text(page, '.as-pending')).toBe('1 个节点待确认：西海路 2号喇叭（离线）')
    await panel.and(page.locator('[data-status="delivered"]')).waitFor(WAIT)
    // It plays at once on the live node, and the page says so.
    await mine.locator('.as-play', { hasText: '已播' }).waitFor(WAIT)
    // The recent list has it, with its acknowledgements.
    const listed = page.locator('.an-table tbody tr', { hasText: '停水通知' })
    expect(await listed.locator('td.num').textContent()).toBe('1 / 2')
    expect(await listed.textContent()).toContain('紧急插播')

    const view = await ctl.api<{
      zones: string[]
      level: string
      counts: { acknowledged: number }
    }>('GET', `/api/announcements/${await panel.getAttribute('data-announcement-id')}`)
    expect(view.body).toMatchObject({ zones: [zones.community], level: 'urgent' })
    expect(view.body.counts.acknowledged).toBe(1)

    // An emergency at a time later today, from a fresh recording uploaded with it; withdrawn.
    const later = new Date(Date.now() + 30 * 60_000)
    const local = later.toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' })
    const [date = '', clockTime = ''] = local.split(' ')
    await page.getByRole('radio', { name: '上传新录音' }).check()
    await page.setInputFiles('#an-file', await makeTone(tmpDir(), 'fire', 2, 880))
    await page.fill('#an-title', '消防演练通知')
    await page.getByRole('radio', { name: '指定时间' }).check()
    await page.fill('#an-date', date)
    await page.fill('#an-time', clockTime.slice(0, 5))
    await page.getByRole('radio', { name: '应急广播' }).check()
    await page.getByRole('button', { name: '发送插播' }).click()
    expect(await page.locator('dialog .dialog-text').textContent()).toBe(
      `“消防演练通知”将在 ${date} ${clockTime.slice(0, 5)} 播给 西海路社区。`,
    )
    await page.locator('dialog').getByRole('button', { name: '发送插播' }).click()
    await panel.locator('.panel-title', { hasText: '消防演练通知' }).waitFor(WAIT)
    expect(await text(page, '.as-meta')).toContain('应急广播')
    await page.getByRole('button', { name: '撤回插播' }).click()
    await page.locator('dialog').getByRole('button', { name: '撤回插播' }).click()
    await panel.and(page.locator('[data-status="cancelled"]')).waitFor(WAIT)
    const fire = page.locator('.an-table tbody tr', { hasText: '消防演练通知' })
    expect(await fire.locator('.badge').textContent()).toBe('已撤回')
    const withdrawn = await ctl.api<{ level: string; cancelledAt: string | null; at: string }>(
      'GET',
      `/api/announcements/${await panel.getAttribute('data-announcement-id')}`,
    )
    expect(withdrawn.body.level).toBe('emergency')
    expect(withdrawn.body.cancelledAt).not.toBeNull()
    expect(Math.abs(Date.parse(withdrawn.body.at) - later.getTime())).toBeLessThan(60_000)

    await page.screenshot({ path: '/tmp/chorus-announce.png', fullPage: true })
    await page.setViewportSize(PHONE)
    expect(await overflowsX(page)).toBe(false)
    await page.screenshot({ path: '/tmp/chorus-announce-phone.png', fullPage: true })

    expect(unexpected(problems)).toEqual({ errors: [], external: [] })
  })
})
