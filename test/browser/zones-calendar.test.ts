import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clockWithNow } from '../../controller/platform/time.js'
import { startController, TEST_ADMIN_PASSWORD } from '../helpers/controller.js'
import { launch, openPage } from './browser.js'
import { DESKTOP, seedZones, unexpected, WAIT } from './programme-helpers.js'

// The new web UI's zones page and calendar (issue 11): a fresh install sets up its district
// from the catalogue; the office imports next year's official arrangement from the pasted
// notice, after a preview, and the month shows the holidays and the make-up working day. A
// town's scheduler lands on the town's calendar and marks a local rest day for the town only.

// The State Council's notice for 2027 (as in test/integration/holidays.test.ts).
const NOTICE_2027 = `国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至13日（农历正月初七、周六）放假调休，共9天。2月14日（周日）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日（周三）放假，共1天。
六、中秋节：9月15日（周三）放假，共1天。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。`

// 28 December 2026, noon in Xining: the 2027 notice is due.
const NOW = Date.parse('2026-12-28T04:00:00Z')

async function logIn(page: Page): Promise<void> {
  await page.locator('#login-user').waitFor(WAIT)
  await page.fill('#login-user', 'admin')
  await page.fill('#login-password', TEST_ADMIN_PASSWORD)
  await page.click('.login-submit')
}

const cell = (page: Page, date: string) => page.locator(`.cal-grid [data-date="${date}"]`)

describe('web UI: zones and calendar', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('sets up the district on a fresh install, edits the tree, and imports the 2027 notice after a preview', async () => {
    const ctl = await startController({ clock: clockWithNow(() => NOW) })
    const { page, problems } = await openPage(browser, ctl.url, { viewport: DESKTOP })
    await page.goto(`${ctl.url}/`)
    await logIn(page)

    // A fresh install: whatever page the admin lands on says the zones come first, and leads there.
    await page.locator('.setup-banner').waitFor(WAIT)
    expect(await page.locator('.setup-banner').textContent()).toContain('还没有区域')
    await page.click('.setup-link')

    // No zones: the setup. Province → city → district; every town ticked by default.
    await page.locator('.zone-setup').waitFor(WAIT)
    await page.click('.setup-district')
    await page.locator('.el-cascader-node', { hasText: '青海省' }).click()
    await page.locator('.el-cascader-node', { hasText: '西宁市' }).click()
    await page.locator('.el-cascader-node', { hasText: '城北区' }).click()
    await page.locator('.setup-towns .el-checkbox', { hasText: '大堡子镇' }).waitFor(WAIT)
    const towns = await page.locator('.setup-towns .el-checkbox').count()
    expect(towns).toBeGreaterThan(1)
    expect(await page.locator('.setup-towns .el-checkbox.is-checked').count()).toBe(towns)
    await page.click('.setup-create')
    await page.locator('.zones-table .zone-name', { hasText: '大堡子镇' }).waitFor(WAIT)
    // With a tree, the banner is gone from every page.
    await page.goto(`${ctl.url}/#/nodes`)
    await page.locator('.el-table').first().waitFor(WAIT)
    expect(await page.locator('.setup-banner').count()).toBe(0)
    await page.goto(`${ctl.url}/#/zones`)
    await page.locator('.zones-table .zone-name', { hasText: '大堡子镇' }).waitFor(WAIT)
    const zones = (await ctl.api<{ name: string; depth: number }[]>('GET', '/api/zones')).body
    expect(zones[0]).toMatchObject({ name: '城北区', depth: 0 })
    expect(zones).toHaveLength(towns + 1)
    expect(await page.locator('.zones-table .zone-name').count()).toBe(towns + 1)

    // A village under a town; a town with a speaker is not deleted, and the server says why.
    const town = page.locator('.zones-table tr', { hasText: '大堡子镇' })
    await town.locator('.act-add').click()
    await page.locator('.zone-dialog .zone-name-input input').fill('陶家村')
    await page.click('.zone-dialog .zone-submit')
    await page.locator('.zones-table .zone-name', { hasText: '陶家村' }).waitFor(WAIT)
    const listed = (
      await ctl.api<{ id: string; name: string; parentId: string | null }[]>('GET', '/api/zones')
    ).body
    const townId = listed.find((z) => z.name === '大堡子镇')?.id
    expect(listed.find((z) => z.name === '陶家村')?.parentId).toBe(townId)
    // Rename and move the village under the other town (its own subtree is not offered).
    await page.locator('.zones-table tr', { hasText: '陶家村' }).locator('.act-edit').click()
    await page.locator('.zone-dialog .zone-name-input input').fill('陶家寨村')
    await page.click('.zone-dialog .zone-parent-input')
    const option = (name: string) =>
      page.locator('.el-tree-node__content:visible', { hasText: name })
    await option('二十里铺镇').waitFor(WAIT)
    expect(await option('陶家').count()).toBe(0)
    await option('二十里铺镇').click()
    await page.click('.zone-dialog .zone-submit')
    await page.locator('.zones-table .zone-name', { hasText: '陶家寨村' }).waitFor(WAIT)
    const moved = (
      await ctl.api<{ id: string; name: string; parentId: string | null }[]>('GET', '/api/zones')
    ).body
    expect(moved.find((z) => z.name === '陶家寨村')?.parentId).toBe(
      moved.find((z) => z.name === '二十里铺镇')?.id,
    )
    await ctl.register('广播1', townId)
    await page.click('.page-toolbar .zone-refresh')
    await town.locator('td', { hasText: '1 / 1' }).waitFor(WAIT)
    await town.locator('.act-delete').click()
    await page.click('.el-message-box__btns .el-button--primary')
    // The refusal in the reader's language, from the 409's details (not the server's English).
    await page
      .locator('.el-message', { hasText: '“大堡子镇”仍被使用，不能删除：节点 1 个' })
      .waitFor(WAIT)
    expect((await ctl.api<unknown[]>('GET', '/api/zones')).body).toHaveLength(towns + 2)
    await page.screenshot({ path: '/tmp/chorus-next-zones.png' })

    // The calendar: the controller's clock says December 2026, and 2027 is missing.
    await page.goto(`${ctl.url}/#/calendar`)
    await page.locator('.holiday-banner', { hasText: '2027年的节假日安排尚未导入' }).waitFor(WAIT)
    await cell(page, '2026-12-28').waitFor(WAIT)
    await page.click('.banner-import')
    await page.locator('.holiday-dialog .holiday-text textarea').fill(NOTICE_2027)
    await page.click('.holiday-dialog .holiday-preview')
    const spring = page.locator('.holiday-changes tr', { hasText: '2027-02-05' })
    await spring.waitFor(WAIT)
    expect(await spring.textContent()).toContain('休息日（春节）')
    const makeUp = await page
      .locator('.holiday-changes tr', { hasText: '2027-02-14' })
      .textContent()
    expect(makeUp).toContain('休息日')
    expect(makeUp).toContain('工作日（春节）')
    // Nothing is imported before the office confirms.
    expect((await ctl.api<{ imported: unknown[] }>('GET', '/api/holidays')).body.imported).toEqual(
      [],
    )
    await page.screenshot({ path: '/tmp/chorus-next-holiday-preview.png' })
    await page.click('.holiday-dialog .holiday-confirm')
    await page.locator('.holiday-years tr', { hasText: '2027' }).waitFor(WAIT)
    await page.locator('.holiday-banner').waitFor({ state: 'detached', ...WAIT })

    // February 2027: 春节 rest days and the 调休上班 Sunday.
    await page.click('.cal-next')
    await page.click('.cal-next')
    await page.locator('.cal-title', { hasText: '2027 年 2 月' }).waitFor(WAIT)
    await cell(page, '2027-02-10').locator('.cal-holiday', { hasText: '春节' }).waitFor(WAIT)
    expect(await cell(page, '2027-02-10').getAttribute('class')).toContain('rest')
    expect(await cell(page, '2027-02-10').textContent()).toContain('节假日安排')
    expect(await cell(page, '2027-02-14').locator('.cal-makeup').textContent()).toContain(
      '调休上班',
    )
    expect(await cell(page, '2027-02-14').getAttribute('class')).toContain('working')

    // Two days picked with click and shift-click become rest days set by the office.
    await cell(page, '2027-02-17').click()
    await cell(page, '2027-02-18').click({ modifiers: ['Shift'] })
    await page.locator('.cal-selection', { hasText: '已选 2 天' }).waitFor(WAIT)
    await page.click('.sel-rest')
    await cell(page, '2027-02-18').locator('.cal-source', { hasText: '办公室设定' }).waitFor(WAIT)
    const day = await ctl.api<{ type: string; source: string }>('GET', '/api/calendar/2027-02-17')
    expect(day.body).toMatchObject({ type: 'rest', source: 'override' })
    await page.screenshot({ path: '/tmp/chorus-next-calendar.png', fullPage: true })
    // 401: the boot's "who am I"; 409: the zone in use.
    expect(unexpected(problems, [401, 409])).toEqual({ errors: [], external: [] })
  })

  it("lets a town's scheduler mark a rest day for the town only, which the village inherits", async () => {
    const ctl = await startController({ clock: clockWithNow(() => NOW) })
    const zones = await seedZones(ctl)
    const user = await ctl.api('POST', '/api/users', {
      username: 'town',
      password: 'Zq7-tw9-Xb93-kLp',
      roles: ['scheduler'],
      zones: [zones.town],
    })
    expect(user.status).toBe(201)
    const { page, problems } = await openPage(browser, ctl.url, { viewport: DESKTOP })
    await page.goto(`${ctl.url}/#/calendar`)
    await page.locator('#login-user').waitFor(WAIT)
    await page.fill('#login-user', 'town')
    await page.fill('#login-password', 'Zq7-tw9-Xb93-kLp')
    await page.click('.login-submit')

    // Their town is chosen; 30 December (a Wednesday) is a working day by the official calendar.
    await page.locator('.cal-zone-hint', { hasText: '二十里铺镇' }).waitFor(WAIT)
    await cell(page, '2026-12-30').locator('.cal-source', { hasText: '节假日安排' }).waitFor(WAIT)
    // The official arrangement is the district's to import: no import button here.
    expect(await page.locator('.holiday-open, .banner-import').count()).toBe(0)
    await cell(page, '2026-12-30').click()
    await page.click('.sel-rest')
    await cell(page, '2026-12-30').locator('.cal-source', { hasText: '本级设定' }).waitFor(WAIT)
    expect(await cell(page, '2026-12-30').getAttribute('class')).toMatch(/rest.*own|own.*rest/)
    await page.screenshot({ path: '/tmp/chorus-next-calendar-town.png', fullPage: true })

    const typeAt = async (zone?: string) =>
      (
        await ctl.api<{ type: string; ownOverride: boolean }>(
          'GET',
          `/api/calendar/2026-12-30${zone ? `?zone=${zone}` : ''}`,
        )
      ).body
    expect(await typeAt(zones.town)).toMatchObject({ type: 'rest', ownOverride: true })
    expect(await typeAt(zones.village)).toMatchObject({ type: 'rest', ownOverride: false })
    expect(await typeAt()).toMatchObject({ type: 'working', ownOverride: false })
    expect(await typeAt(zones.community)).toMatchObject({ type: 'working' })

    // Only the town's subtree is offered; the village shows the day as the town's.
    await page.click('.cal-zone')
    const option = (name: string) =>
      page.locator('.el-tree-node__content:visible', { hasText: name })
    await option('严小村').waitFor(WAIT)
    expect(await option('全区').count()).toBe(0)
    expect(await option('西海路社区').count()).toBe(0)
    await option('严小村').click()
    await page.locator('.cal-zone-hint', { hasText: '严小村' }).waitFor(WAIT)
    await cell(page, '2026-12-30')
      .locator('.cal-source', { hasText: '沿用「二十里铺镇」设定' })
      .waitFor(WAIT)
    expect(await cell(page, '2026-12-30').getAttribute('class')).toContain('inherited')
    await page.screenshot({ path: '/tmp/chorus-next-calendar-village.png', fullPage: true })
    // (401: the page asked who is logged in before the login.)
    expect(unexpected(problems, [401])).toEqual({ errors: [], external: [] })
  }, 120_000)
})
