import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../helpers/auth.js'
import { startController, TEST_ADMIN_PASSWORD } from '../helpers/controller.js'
import { launch, openPage } from './browser.js'
import {
  DESKTOP,
  overflowsX,
  PHONE,
  seedZones,
  text,
  unexpected,
  WAIT,
} from './programme-helpers.js'

// The web UI's frame (issue 11): login, the page table's navigation in Chinese,
// the language switch, the users page, and a technician kept out of the admin pages.

/** The side navigation's page paths, in order. */
const navPaths = (page: Page) =>
  page
    .locator('.side-nav .el-menu-item[data-path]')
    .evaluateAll((items) => items.map((i) => i.getAttribute('data-path')))

async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.locator('#login-user').waitFor(WAIT)
  await page.fill('#login-user', username)
  await page.fill('#login-password', password)
  await page.click('.login-submit')
}

describe('web UI: frame, login, navigation, users', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('logs in, walks the navigation in Chinese, switches to English and creates a user', async () => {
    const ctl = await startController()
    const zones = await seedZones(ctl)
    const { page, problems } = await openPage(browser, ctl.url, { viewport: DESKTOP })
    await page.goto(`${ctl.url}/#/users`)
    // No session: the login page (no "session ended" note on a first visit), which keeps where
    // the user was going.
    await page.locator('#login-user').waitFor(WAIT)
    expect(await page.locator('.login-note').count()).toBe(0)
    await page.screenshot({ path: '/tmp/chorus-next-login-zh.png' })
    await logIn(page, 'admin', TEST_ADMIN_PASSWORD)
    await page.locator('.users-table').waitFor(WAIT)
    expect(new URL(page.url()).hash).toBe('#/users')
    expect(await navPaths(page)).toEqual([
      '/nodes',
      '/map',
      '/alerts',
      '/plays',
      '/programme',
      '/calendar',
      '/audio',
      '/announcements',
      '/talk',
      '/reports',
      '/install',
      '/users',
      '/zones',
      '/tokens',
      '/audit',
    ])
    // Every entry opens its page: the breadcrumb and the document title name it in Chinese.
    const titles: Record<string, string> = {
      '/nodes': '音柱节点',
      '/programme': '节目编排',
      '/users': '用户',
      '/zones': '区域',
      '/tokens': 'API 令牌',
      '/audit': '审计日志',
    }
    for (const [path, title] of Object.entries(titles)) {
      await page.click(`.side-nav .el-menu-item[data-path="${path}"]`)
      await page.locator('.app-breadcrumb .page-title', { hasText: title }).waitFor(WAIT)
      // A page may add its state to the address (the running orders: `?day=`).
      expect(new URL(page.url()).hash.split('?')[0]).toBe(`#${path}`)
      expect(await page.title()).toBe(`${title} · 城北之声`)
    }
    await page.locator('.audit-table').waitFor(WAIT)
    // Element Plus's own words follow the UI's language (its zh-cn locale).
    expect(await text(page, '.audit-action .el-select__placeholder')).toBe('请选择')
    await page.screenshot({ path: '/tmp/chorus-next-audit-zh.png' })

    // English: the navigation, the page and Element Plus's own texts follow; kept on reload.
    await page.click('.lang-switch [data-lang="en"]')
    await page
      .locator('.side-nav .el-menu-item[data-path="/users"]', { hasText: 'Users' })
      .waitFor(WAIT)
    await page.reload()
    await page.locator('.app-breadcrumb .page-title', { hasText: 'Audit log' }).waitFor(WAIT)
    expect(await text(page, '.audit-action .el-select__placeholder')).toBe('Select')

    // Create a user: the dialog, then the new row in the list.
    await page.click('.side-nav .el-menu-item[data-path="/users"]')
    await page.locator('.users-table').waitFor(WAIT)
    await page.click('.user-create')
    await page.locator('.user-dialog .user-name-input input').fill('wang.tech')
    await page.locator('.user-dialog .user-password-input input').fill('technician-pw-2026')
    await page.click('.user-dialog [data-role="technician"]')
    // Limited to a town: picked in the zone tree (typing filters it).
    await page.click('.user-dialog .zone-select')
    await page.keyboard.type('二十里')
    await page
      .locator('.el-tree-node__content', { hasText: '二十里铺镇' })
      .locator('.el-checkbox')
      .click()
    await page.click('.user-dialog .el-dialog__title')
    await page.click('.user-dialog .user-submit')
    await page.locator('.users-table .cell-username', { hasText: 'wang.tech' }).waitFor(WAIT)
    const created = await ctl.api<{ username: string; roles: string[]; zones: string[] }[]>(
      'GET',
      '/api/users',
    )
    const wang = created.body.find((u) => u.username === 'wang.tech')
    expect(wang?.roles).toEqual(['technician'])
    expect(wang?.zones).toEqual([zones.town])
    await page
      .locator('.users-table tr', { hasText: 'wang.tech' })
      .filter({ hasText: '二十里铺镇' })
      .waitFor(WAIT)
    // Its roles: the edit dialog starts from the current ones.
    await page.locator('.users-table tr', { hasText: 'wang.tech' }).locator('.act-edit').click()
    await page.click('.user-dialog [data-role="scheduler"]')
    await page.click('.user-dialog .user-submit')
    await page
      .locator('.users-table tr', { hasText: 'wang.tech' })
      .filter({ hasText: 'Scheduler' })
      .waitFor(WAIT)
    const edited = await ctl.api<{ username: string; roles: string[] }[]>('GET', '/api/users')
    expect(edited.body.find((u) => u.username === 'wang.tech')?.roles.sort()).toEqual([
      'scheduler',
      'technician',
    ])
    await page.screenshot({ path: '/tmp/chorus-next-users-en.png' })
    // The boot asks who is logged in: without a session Chromium logs that 401.
    expect(unexpected(problems, [401])).toEqual({ errors: [], external: [] })
  })

  it('shows a technician no admin pages, and refuses them by address', async () => {
    const ctl = await startController()
    await createUser(ctl, {
      username: 'zhao',
      password: 'technician-pw-2026',
      roles: ['technician'],
    })
    const { page, problems } = await openPage(browser, ctl.url, { viewport: DESKTOP })
    await page.goto(`${ctl.url}/`)
    await logIn(page, 'zhao', 'technician-pw-2026')
    // The technician starts on the fleet; the navigation has no admin or programme pages.
    await page.locator('.app-breadcrumb .page-title', { hasText: '音柱节点' }).waitFor(WAIT)
    expect(await navPaths(page)).toEqual(['/nodes', '/map', '/alerts', '/plays'])
    for (const path of ['/users', '/tokens', '/audit', '/programme']) {
      await page.goto(`${ctl.url}/#${path}`)
      await page.locator('.page-forbidden').waitFor(WAIT)
      expect(await text(page, '.page-forbidden')).toContain('运维人员')
      expect(await page.locator('.users-table, .audit-table, .tokens-table').count()).toBe(0)
    }
    await page.screenshot({ path: '/tmp/chorus-next-forbidden.png' })
    // The boot asks who is logged in: without a session Chromium logs that 401.
    expect(unexpected(problems, [401])).toEqual({ errors: [], external: [] })
  })

  it('goes back to the login when the session ends, then to the page, and lays out an installer on a phone', async () => {
    const ctl = await startController()
    const zones = await seedZones(ctl)
    await createUser(ctl, {
      username: 'sun',
      password: 'installer-pw-2026',
      roles: ['installer'],
      zones: [zones.town],
    })
    const { page, problems } = await openPage(browser, ctl.url, { viewport: PHONE })
    await page.goto(`${ctl.url}/#/install`)
    await logIn(page, 'sun', 'installer-pw-2026')
    // The phone layout: the page's title in the top bar, no side navigation.
    await page.locator('.phone-top .page-title', { hasText: '安装节点' }).waitFor(WAIT)
    expect(await page.locator('.side-nav').count()).toBe(0)
    expect(await overflowsX(page)).toBe(false)
    await page.screenshot({ path: '/tmp/chorus-next-install-phone.png' })

    // The session ends on the server (every session of the user, by a password reset).
    const users = await ctl.api<{ id: string; username: string }[]>('GET', '/api/users')
    const sun = users.body.find((u) => u.username === 'sun')
    const reset = await ctl.api('PATCH', `/api/users/${sun?.id}`, { password: 'installer-pw-2027' })
    expect(reset.status).toBe(200)
    await page.goto(`${ctl.url}/#/account`)
    await page.locator('.login-note', { hasText: '登录已失效' }).waitFor(WAIT)
    expect(new URL(page.url()).hash).toBe('#/login?redirect=/account')
    await logIn(page, 'sun', 'installer-pw-2027')
    await page.locator('.account-facts', { hasText: '二十里铺镇' }).waitFor(WAIT)
    expect(new URL(page.url()).hash).toBe('#/account')
    // A desktop page on a phone: the side navigation folds into a drawer behind the menu button.
    expect(await page.locator('.app-aside').count()).toBe(0)
    expect(await overflowsX(page)).toBe(false)
    await page.click('.nav-toggle')
    await page.click('.nav-drawer .el-menu-item[data-path="/nodes"]')
    await page.locator('.app-breadcrumb .page-title', { hasText: '音柱节点' }).waitFor(WAIT)
    await page.locator('.nav-drawer').waitFor({ state: 'hidden', ...WAIT })
    await page.screenshot({ path: '/tmp/chorus-next-nodes-phone.png' })
    // 401: the boot's "who am I" and the lost session's first call.
    expect(unexpected(problems, [401])).toEqual({ errors: [], external: [] })
  })
})
