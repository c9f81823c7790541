import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser, loginCookie } from '../helpers/auth.js'
import { startController } from '../helpers/controller.js'
import { launch, openPage, signIn } from './browser.js'
import { DESKTOP, overflowsX, seedZones, text, unexpected, WAIT } from './programme-helpers.js'

// Login, sessions, roles and the admin pages in the browser (issue 5).

const navPaths = (page: import('playwright-core').Page) =>
  page.locator('.tabs a[data-path]').evaluateAll((as) => as.map((a) => a.getAttribute('data-path')))

describe('web UI: login and roles', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('shows a scheduler only the programme pages, and says so on a fleet page', async () => {
    const ctl = await startController()
    await createUser(ctl, { username: 'li', password: 'scheduler-pw-2026', roles: ['scheduler'] })
    const { page, problems } = await openPage(browser, ctl.url, { viewport: DESKTOP })
    await signIn(page, ctl, { username: 'li', password: 'scheduler-pw-2026' })
    await page.goto(ctl.url)
    // The scheduler starts on the programme, and the fleet pages are not offered.
    await page.locator('.tabs a[data-path="/programme"][aria-current="page"]').waitFor(WAIT)
    expect(await navPaths(page)).toEqual([
      '/plays',
      '/programme',
      '/calendar',
      '/audio',
      '/announcements',
      '/reports',
    ])
    expect(await page.locator('.conn').count()).toBe(1)
    // Typing a fleet page's address: a clear refusal, no node list, no zone commands.
    for (const path of ['/nodes', '/map', '/alerts', '/install', '/users', '/audit']) {
      await page.goto(`${ctl.url}/#${path}`)
      await page.locator('.page-forbidden').waitFor(WAIT)
      expect(await text(page, '.page-forbidden .message')).toContain('节目编排')
      expect(await page.locator('.nodes-table, .zone-cmd, .install-form').count()).toBe(0)
    }
    await page.click('.user-name')
    expect(await text(page, '.user-roles')).toBe('节目编排员')
    await page.screenshot({ path: '/tmp/chorus-forbidden-desktop.png' })
    expect(unexpected(problems)).toEqual({ errors: [], external: [] })
  })

  it('goes back to the login form on a 401, keeps the page, and handles lockout and password', async () => {
    const ctl = await startController()
    const { page, problems } = await openPage(browser, ctl.url, { viewport: DESKTOP })
    const session = await loginCookie(ctl)
    const [name = '', ...value] = session.cookie.split('=')
    await page.context().addCookies([{ name, value: value.join('='), url: ctl.url }])
    await page.goto(`${ctl.url}/#/map`)
    await page.locator('.page-map').waitFor(WAIT)
    // The session ends on the server (logged out elsewhere): the next request answers 401.
    const out = await ctl.apiWith(session.write, 'POST', '/api/auth/logout')
    expect(out.status).toBe(204)
    await page.goto(`${ctl.url}/#/alerts`)
    await page.locator('#login-user').waitFor(WAIT)
    expect(await text(page, '.login-note')).toContain('登录已失效')
    expect(new URL(page.url()).hash).toBe('#/alerts')
    await page.screenshot({ path: '/tmp/chorus-login-expired-desktop.png' })

    // Lockout: five failures for a user, then the form says how long to wait.
    await createUser(ctl, {
      username: 'zhao',
      password: 'technician-pw-2026',
      roles: ['technician'],
    })
    for (let i = 0; i < 5; i++) {
      const r = await ctl.apiWith({}, 'POST', '/api/auth/login', {
        username: 'zhao',
        password: `wrong-${i}`,
      })
      expect(r.status).toBe(401)
    }
    await page.fill('#login-user', 'zhao')
    await page.fill('#login-password', 'technician-pw-2026')
    await page.click('.login-submit')
    await page.locator('.login-error', { hasText: /已暂时锁定。请在 \d+ 秒后再试/ }).waitFor(WAIT)
    expect(await page.locator('.login-submit').isDisabled()).toBe(true)
    await page.screenshot({ path: '/tmp/chorus-login-locked-desktop.png' })

    // Back in as the admin: the page asked for before the login opens.
    await page.reload()
    await page.fill('#login-user', 'admin')
    await page.fill('#login-password', ctl.adminPassword ?? '')
    await page.click('.login-submit')
    await page.locator('.alerts-table, .page-alerts').first().waitFor(WAIT)
    expect(new URL(page.url()).hash).toBe('#/alerts')

    // Password change: checked here first, then by the server; the old one stops working.
    await page.click('.user-name')
    await page.click('.user-link')
    await page.locator('.page-account').waitFor(WAIT)
    await page.fill('#pw-current', ctl.adminPassword ?? '')
    await page.fill('#pw-next', 'short')
    await page.fill('#pw-repeat', 'short')
    await page.click('.account-form button[type="submit"]')
    await page.locator('.form-error', { hasText: '至少需要 10 个字符' }).waitFor(WAIT)
    await page.fill('#pw-current', 'not-my-password')
    await page.fill('#pw-next', 'a-new-Chorus-pw-2027')
    await page.fill('#pw-repeat', 'a-new-Chorus-pw-2027')
    await page.click('.account-form button[type="submit"]')
    await page.locator('.form-error', { hasText: '当前密码不正确' }).waitFor(WAIT)
    await page.fill('#pw-current', ctl.adminPassword ?? '')
    await page.fill('#pw-next', 'a-new-Chorus-pw-2027')
    await page.fill('#pw-repeat', 'a-new-Chorus-pw-2027')
    await page.click('.account-form button[type="submit"]')
    await page.locator('.form-ok', { hasText: '密码已修改' }).waitFor(WAIT)
    await expect(loginCookie(ctl)).rejects.toThrow(/401/)

    // Logout from the header's menu.
    await page.click('.user-name')
    await page.click('.user-logout')
    await page.locator('#login-user').waitFor(WAIT)
    expect(await text(page, '.login-note')).toBe('你已退出登录。')
    const me = await page.evaluate(async () => (await fetch('api/auth/me')).status)
    expect(me).toBe(401)
    expect(unexpected(problems, [401, 429])).toEqual({ errors: [], external: [] })
  })

  it('lets an admin manage users and tokens, read the audit log, and replace a node', async () => {
    const ctl = await startController()
    const zones = await seedZones(ctl)
    const node = await ctl.register('西海路 3号', zones.community)
    const { page, problems } = await openPage(browser, ctl.url, { viewport: DESKTOP })
    await signIn(page, ctl)
    await page.goto(`${ctl.url}/#/users`)
    await page.locator('.users-table tr[data-user="admin"]').waitFor(WAIT)
    expect(await navPaths(page)).toContain('/users')

    // A new installer limited to the community.
    await page.click('.create-box summary')
    await page.fill('#u-name', 'wang')
    await page.fill('#u-password', 'installer-pw-2026')
    await page.check('#u-roles input[data-role="installer"]')
    await page.check(`#u-zones input[data-zone-id="${zones.community}"]`)
    await page.click('.user-create button[type="submit"]')
    const wang = page.locator('.users-table tr[data-user="wang"]')
    await wang.waitFor(WAIT)
    expect(await text(page, '.users-table tr[data-user="wang"] td:nth-of-type(1)')).toBe(
      '现场安装员',
    )
    expect(await text(page, '.users-table tr[data-user="wang"] td:nth-of-type(2)')).toBe(
      '西海路社区',
    )
    // Disabled: the account cannot log in.
    await wang.locator('button[data-action="disable"]').click()
    await page.locator('dialog .button.danger').click()
    await page.locator('.users-table tr[data-user="wang"][data-state="disabled"]').waitFor(WAIT)
    await expect(loginCookie(ctl, 'wang', 'installer-pw-2026')).rejects.toThrow(/401/)

    // A token: its value once, then only its row; revoked, it stops working.
    await page.click('.subnav a[href="#/tokens"]')
    await page.locator('.page-tokens').waitFor(WAIT)
    await page.click('.create-box summary')
    await page.fill('#tk-name', 'nightly report')
    await page.check('#tk-roles input[data-role="scheduler"]')
    await page.click('.token-create button[type="submit"]')
    const value = await page.locator('.secret-box .secret-value').inputValue()
    expect(value).toMatch(/^chorus_/)
    const auth = { authorization: `Bearer ${value}` }
    expect((await ctl.apiWith(auth, 'GET', '/api/audio')).status).toBe(200)
    const row = page.locator('.tokens-table tr[data-state="active"]', { hasText: 'nightly report' })
    await row.waitFor(WAIT)
    await page.screenshot({ path: '/tmp/chorus-tokens-desktop.png', fullPage: true })
    await row.locator('button[data-action="revoke"]').click()
    await page.locator('dialog .button.danger').click()
    await page
      .locator('.tokens-table tr[data-state="revoked"]', { hasText: 'nightly report' })
      .waitFor(WAIT)
    expect((await ctl.apiWith(auth, 'GET', '/api/audio')).status).toBe(401)

    // The audit log, filtered by action prefix, with the CSV of the same filter.
    await page.click('.subnav a[href="#/audit"]')
    await page.locator('.audit-table tbody tr').first().waitFor(WAIT)
    await page.fill('#a-action', 'token.*')
    await page.click('.audit-filters button[type="submit"]')
    await page.locator('.audit-table tr[data-action="token.revoke"]').waitFor(WAIT)
    const actions = await page
      .locator('.audit-table tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))
    // Newest first; the test helper's own admin token was created at start too.
    expect(actions[0]).toBe('token.revoke')
    expect(actions.every((a) => a?.startsWith('token.'))).toBe(true)
    expect(actions).toContain('token.create')
    expect(new URL(page.url()).hash).toBe('#/audit?action=token.*')
    const csv = (await page.locator('a.csv').getAttribute('href')) ?? ''
    expect(csv).toBe('api/audit?action=token.*&format=csv')
    const body = await page.evaluate(async (href) => (await fetch(href)).text(), csv)
    expect(body.split('\n')[0]).toContain('at,actor,actorKind,action')
    expect(body).toContain('token.revoke')
    await page.screenshot({ path: '/tmp/chorus-audit-desktop.png', fullPage: true })

    // A node's page: replace its hardware (asked first), the new bundle's QR appears; retire it.
    await page.goto(`${ctl.url}/#/nodes/${node.id}`)
    const provision = page.locator('.provision')
    await provision.waitFor(WAIT)
    await provision.locator('button[data-action="replace"]').click()
    await page.fill('#replace-serial', 'CB-2026-0099')
    await page.locator('dialog .button.danger').click()
    await provision.locator('.bundle-panel img.qr').waitFor(WAIT)
    expect(await text(page, '.provision .panel-status')).toContain('已更换')
    const replaced = await ctl.api<{ serial: string; replacedAt: string | null }>(
      'GET',
      `/api/nodes/${node.id}`,
    )
    expect(replaced.body.serial).toBe('CB-2026-0099')
    expect(replaced.body.replacedAt).not.toBeNull()
    await page.screenshot({ path: '/tmp/chorus-node-replace-desktop.png', fullPage: true })
    await provision.locator('button[data-action="retire"]').click()
    await page.locator('dialog .button.danger').click()
    await page.locator('.node-summary[data-state="retired"]').waitFor(WAIT)
    expect(await provision.locator('button[data-action="replace"]').isDisabled()).toBe(true)
    expect(await overflowsX(page)).toBe(false)
    expect(unexpected(problems)).toEqual({ errors: [], external: [] })
  })
})
