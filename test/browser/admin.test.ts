import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startController, TEST_ADMIN_PASSWORD } from '../helpers/controller.js'
import { launch, openPage } from './browser.js'
import { DESKTOP, text, unexpected, WAIT } from './programme-helpers.js'

// The new web UI's admin pages beyond the users list (issue 11): an API token shown once and
// revoked, and the own password changed on the account page.

async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.locator('#login-user').waitFor(WAIT)
  await page.fill('#login-user', username)
  await page.fill('#login-password', password)
  await page.click('.login-submit')
}

describe('web UI: tokens and account', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('creates a token that works, shows its value once, revokes it, and changes the password', async () => {
    const ctl = await startController()
    const { page, problems } = await openPage(browser, ctl.url, { viewport: DESKTOP })
    await page.goto(`${ctl.url}/#/tokens`)
    await logIn(page, 'admin', TEST_ADMIN_PASSWORD)
    await page.locator('.tokens-table').waitFor(WAIT)

    await page.click('.token-create')
    // Nothing chosen: the dialog says what is missing and sends nothing.
    await page.click('.token-dialog .token-submit')
    await page.locator('.token-dialog .form-problem', { hasText: '请填写令牌名称' }).waitFor(WAIT)
    await page.locator('.token-dialog .token-name-input input').fill('prometheus')
    await page.click('.token-dialog [data-role="technician"]')
    await page.click('.token-dialog .token-submit')
    const value = page.locator('.token-created .secret-value input')
    await value.waitFor(WAIT)
    const token = await value.inputValue()
    const health = await ctl.apiWith({ authorization: `Bearer ${token}` }, 'GET', '/api/nodes')
    expect(health.status).toBe(200)
    await page.locator('.tokens-table tr', { hasText: 'prometheus' }).waitFor(WAIT)
    // The list never shows the value.
    expect(await page.locator('.tokens-table').textContent()).not.toContain(token)

    await page.locator('.tokens-table tr', { hasText: 'prometheus' }).locator('.act-revoke').click()
    await page.click('.el-message-box__btns .el-button--primary')
    await page.locator('.tokens-table tr', { hasText: '已撤销' }).waitFor(WAIT)
    const refused = await ctl.apiWith({ authorization: `Bearer ${token}` }, 'GET', '/api/nodes')
    expect(refused.status).toBe(401)
    await page.screenshot({ path: '/tmp/chorus-next-tokens.png' })

    // Own password: a wrong current password is said plainly; the right one changes it.
    await page.click('.user-menu')
    await page.click('.menu-account')
    await page.locator('.account-facts', { hasText: 'admin' }).waitFor(WAIT)
    await page.locator('.pw-current input').fill('not-the-password')
    await page.locator('.pw-next input').fill('fresh-office-pw-2027')
    await page.locator('.pw-repeat input').fill('fresh-office-pw-2027')
    await page.click('.pw-submit')
    await page.locator('.form-problem', { hasText: '当前密码不正确' }).waitFor(WAIT)
    await page.locator('.pw-current input').fill(TEST_ADMIN_PASSWORD)
    await page.click('.pw-submit')
    await page.locator('.el-message', { hasText: '密码已修改' }).waitFor(WAIT)
    expect(await page.locator('.form-problem').count()).toBe(0)
    const login = await ctl.apiWith({}, 'POST', '/api/auth/login', {
      username: 'admin',
      password: 'fresh-office-pw-2027',
    })
    expect(login.status).toBe(200)
    expect(await text(page, '.page-title')).toBe('账户')
    // 401: the boot's "who am I" and the wrong current password.
    expect(unexpected(problems, [401])).toEqual({ errors: [], external: [] })
  })
})
