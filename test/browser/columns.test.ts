import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser, loginCookie } from '../helpers/auth.js'
import { startController, type TestController } from '../helpers/controller.js'
import { launch, openPage } from './browser.js'
import { DESKTOP, openLoggedIn, seedZones, text, unexpected, WAIT } from './programme-helpers.js'

// The web UI's columns (栏目, issue 11), porting the classic columns panel: a district-wide
// scheduler creates a column with its colour, default priority and make-good policy, sees it in
// the list and in the running-order editor's column select, edits it, is told where it is used
// when a delete is refused, and deletes it; a scheduler limited to a town only looks.

const row = (page: Page, name: string) => page.locator('.columns-table tbody tr', { hasText: name })

/** Opens the recordings page's columns tab. */
async function openColumns(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/#/audio`)
  await page.locator('.audio-tabs .el-tabs__item', { hasText: '栏目' }).click()
  await page.locator('.columns-table').waitFor(WAIT)
}

/** Picks `hex` in the dialog's colour picker (typed into its value box, then confirmed). */
async function pickColour(page: Page, hex: string): Promise<void> {
  await page.click('.column-dialog .column-colour-input .el-color-picker__trigger')
  const panel = page.locator('.el-color-picker__panel:visible')
  const box = panel.locator('.el-color-picker-panel__footer input')
  await box.fill(hex)
  await box.press('Enter')
  await panel.locator('button', { hasText: '确定' }).click()
}

async function openAs(browser: Browser, ctl: TestController, username: string, password: string) {
  const session = await loginCookie(ctl, username, password)
  const [name = '', ...rest] = session.cookie.split('=')
  const opened = await openPage(browser, ctl.url, { viewport: DESKTOP })
  await opened.page.context().addCookies([{ name, value: rest.join('='), url: ctl.url }])
  return opened
}

describe('new web UI (/): columns', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('creates, shows, edits and deletes a column; the refusal says where it is used', async () => {
    const ctl = await startController()
    const { page, problems } = await openLoggedIn(browser, ctl)
    await openColumns(page, ctl.url)
    await page.locator('.columns-table', { hasText: '还没有栏目' }).waitFor(WAIT)

    // Create 天气 in green, priority 30, made good within 90 minutes.
    await page.click('.column-add')
    const dialog = page.locator('.column-dialog')
    await dialog.waitFor(WAIT)
    await page.click('.column-dialog .column-save') // empty name: said, nothing sent
    await dialog.locator('.el-form-item__error', { hasText: '请填写栏目名称' }).waitFor(WAIT)
    await dialog.locator('.column-name-input input').fill('天气')
    await pickColour(page, '#2e8b57')
    await dialog.locator('.column-priority-input input').fill('30')
    await dialog.locator('.column-priority-input input').press('Tab')
    await dialog.locator('.column-makegood-input').click()
    await dialog.locator('.column-window-input input').fill('90')
    await dialog.locator('.column-window-input input').press('Tab')
    await page.screenshot({ path: '/tmp/columns-dialog.png' })
    await page.click('.column-dialog .column-save')
    await page.locator('.el-message', { hasText: '已添加栏目“天气”' }).waitFor(WAIT)
    await row(page, '天气').waitFor(WAIT)
    expect(await row(page, '天气').locator('.column-priority').textContent()).toBe('30')
    expect(await row(page, '天气').locator('.column-policy').textContent()).toContain(
      '补播 90 分钟内',
    )
    expect(
      await row(page, '天气')
        .locator('.swatch-lg')
        .evaluate(
          (el) => (el as unknown as { style: { backgroundColor: string } }).style.backgroundColor,
        ),
    ).toBe('rgb(46, 139, 87)')
    await page.screenshot({ path: '/tmp/columns-desktop.png' })
    const listed = await ctl.api<
      { id: string; name: string; colour: string; makeGoodWindowMin: number }[]
    >('GET', '/api/columns')
    const weather = listed.body.find((c) => c.name === '天气')
    expect(weather).toMatchObject({
      colour: '#2e8b57',
      defaultPriority: 30,
      makeGood: true,
      makeGoodWindowMin: 90,
    })

    // The running-order editor offers it in its column select.
    await page.goto(`${ctl.url}/#/programme`)
    await page.click('.tpl-working')
    await page.locator('.order-row').first().waitFor(WAIT)
    await page.locator('.order-row').first().locator('.item-column').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '天气' }).waitFor(WAIT)
    await page.keyboard.press('Escape')

    // Edit: renamed and made time-bound (never made good).
    await openColumns(page, ctl.url)
    await row(page, '天气').locator('.column-edit').click()
    await dialog.locator('.column-name-input input').fill('天气预报')
    await dialog.locator('.column-bound-input').click()
    expect(await dialog.locator('.column-makegood-input input').isChecked()).toBe(false)
    await page.click('.column-dialog .column-save')
    await page.locator('.el-message', { hasText: '已保存栏目“天气预报”' }).waitFor(WAIT)
    await row(page, '天气预报').locator('.column-policy', { hasText: '时效性' }).waitFor(WAIT)

    // Used by the working-day template: the delete is refused, in words; the row stays.
    const tpl = await ctl.api<{ items: Record<string, unknown>[] }>('GET', '/api/templates/working')
    const items = tpl.body.items.map((i, k) => (k === 0 ? { ...i, columnId: weather?.id } : i))
    expect((await ctl.api('PUT', '/api/templates/working', { items })).status).toBe(200)
    await row(page, '天气预报').locator('.column-delete').click()
    await page.click('.el-message-box__btns .el-button--primary')
    const refused = page.locator('.column-delete-refused')
    await refused.waitFor(WAIT)
    expect(await refused.textContent()).toContain('不能删除栏目“天气预报”：仍被工作日模板使用')
    expect((await ctl.api('GET', `/api/columns/${weather?.id}`)).status).toBe(200)

    // No longer used: deleted.
    const back = await ctl.api('PUT', '/api/templates/working', { items: tpl.body.items })
    expect(back.status).toBe(200)
    await row(page, '天气预报').locator('.column-delete').click()
    await page.click('.el-message-box__btns .el-button--primary')
    await page.locator('.el-message', { hasText: '已删除栏目“天气预报”' }).waitFor(WAIT)
    await page.locator('.columns-table', { hasText: '还没有栏目' }).waitFor(WAIT)
    expect(unexpected(problems, [409])).toEqual({ errors: [], external: [] })
  })

  it('shows a scheduler limited to a town the columns read-only', async () => {
    const ctl = await startController()
    const { town } = await seedZones(ctl)
    await ctl.api('POST', '/api/columns', { name: '新闻', colour: '#1f6fb2', makeGood: true })
    await createUser(ctl, {
      username: 'li',
      password: 'town-pass-1234',
      roles: ['scheduler'],
      zones: [town],
    })
    const { page, problems } = await openAs(browser, ctl, 'li', 'town-pass-1234')
    await openColumns(page, ctl.url)
    await row(page, '新闻').waitFor(WAIT)
    expect(await text(page, '.columns-readonly')).toContain('只有不限片区的用户可以修改栏目')
    expect(await page.locator('.column-add').count()).toBe(0)
    expect(await page.locator('.column-edit').count()).toBe(0)
    expect(await page.locator('.column-delete').count()).toBe(0)
    await page.screenshot({ path: '/tmp/columns-readonly.png' })
    expect(unexpected(problems)).toEqual({ errors: [], external: [] })
  })
})
