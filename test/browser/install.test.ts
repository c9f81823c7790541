import { readFile } from 'node:fs/promises'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../helpers/auth.js'
import { startController } from '../helpers/controller.js'
import { launch, openPage } from './browser.js'
import { startEnrolledAgent } from './enrolled-agent.js'
import { overflowsX, seedZones, text, unexpected } from './programme-helpers.js'

// An installer with only a phone brings a node from unboxed to in service (issue 5).

const WAIT = { timeout: 20_000 }
const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
}
const HERE = { latitude: 36.6361, longitude: 101.7655 }

interface Clip {
  navigator: { clipboard: { readText(): Promise<string> } }
}

describe('web UI: installer on a phone', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('logs in, registers a node, shows its bundle, and commissions it until it is in service', async () => {
    const ctl = await startController()
    const zones = await seedZones(ctl)
    // Two nodes of the installer's community with a position, and one elsewhere.
    for (const [name, zone, lat, lon] of [
      ['西海路 1号', zones.community, 36.634, 101.762],
      ['西海路 2号', zones.community, 36.638, 101.768],
      ['严小村 1号', zones.village, 36.5, 101.9],
    ] as const) {
      expect((await ctl.api('POST', '/api/nodes', { name, zone, lat, lon })).status).toBe(201)
    }
    const password = 'installer-pw-2026'
    await createUser(ctl, {
      username: 'wang',
      password,
      roles: ['installer'],
      zones: [zones.community],
    })

    const { page, problems } = await openPage(browser, ctl.url, {
      ...PHONE,
      permissions: ['geolocation', 'clipboard-read', 'clipboard-write'],
      geolocation: HERE,
    })
    // No session: the login form, and the address is kept for after the login.
    await page.goto(`${ctl.url}/#/install`)
    await page.locator('#login-user').waitFor(WAIT)
    expect(await text(page, '.login-first')).toContain('admin')
    await page.fill('#login-user', 'wang')
    await page.fill('#login-password', 'not-the-password')
    await page.click('.login-submit')
    await page.locator('.login-error', { hasText: '用户名或密码错误' }).waitFor(WAIT)
    await page.fill('#login-password', password)
    await page.click('.login-submit')
    await page.locator('.page-install .install-form').waitFor(WAIT)
    expect(new URL(page.url()).hash).toBe('#/install')

    // Only the installer's pages, behind the menu button.
    await page.click('.menu')
    const tabs = await page
      .locator('.tabs a[data-path]')
      .evaluateAll((as) => as.map((a) => a.getAttribute('data-path')))
    expect(tabs).toEqual(['/nodes', '/map', '/install'])
    expect(await text(page, '.nav-account')).toContain('wang')
    await page.click('.menu')

    // The zone: only the installer's, chosen already.
    const zoneSelect = page.locator('#i-zone')
    await zoneSelect.locator(`option[value="${zones.community}"]`).waitFor({
      state: 'attached',
      ...WAIT,
    })
    expect(await zoneSelect.locator('option').count()).toBe(1)
    expect(await zoneSelect.inputValue()).toBe(zones.community)

    // The position: the phone's location, then a tap on the map of the two nodes nearby.
    await page.fill('#i-name', '西海路 12号')
    await page.click('button.locate')
    await page.locator('.locate-status', { hasText: '已定位' }).waitFor(WAIT)
    expect(Number(await page.inputValue('#i-lat'))).toBeCloseTo(HERE.latitude, 5)
    expect(Number(await page.inputValue('#i-lon'))).toBeCloseTo(HERE.longitude, 5)
    const canvas = page.locator('.pick-canvas[data-nodes="2"]')
    await canvas.waitFor(WAIT)
    const box = await canvas.boundingBox()
    expect(box?.width).toBeGreaterThan(250)
    await canvas.click({ position: { x: 60, y: 60 } })
    await page.locator('.locate-status', { hasText: '已在地图上选定位置' }).waitFor(WAIT)
    const lat = Number(await page.inputValue('#i-lat'))
    const lon = Number(await page.inputValue('#i-lon'))
    // Up and to the left of the centre: north and west of the nodes' middle.
    expect(lat).toBeGreaterThan(36.636)
    expect(lon).toBeLessThan(101.765)
    await page.fill('#i-serial', 'CB-2026-0012')
    await page.fill('#i-notes', '北门电线杆, 3 m')
    expect(await overflowsX(page)).toBe(false)
    await page.screenshot({ path: '/tmp/chorus-install-form-phone.png', fullPage: true })
    await page.click('.install-form button[type="submit"]')

    // The bundle: a QR code as big as the phone allows, copy and download.
    const qr = page.locator('.bundle-panel img.qr')
    await qr.waitFor(WAIT)
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;charset=utf-8,/)
    expect(
      await qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).toBeGreaterThan(0)
    expect((await qr.boundingBox())?.width).toBeGreaterThanOrEqual(300)
    const nodeId = (await page.locator('.commission').getAttribute('data-node-id')) ?? ''
    expect(nodeId).toMatch(/^node-/)
    expect(new URL(page.url()).hash).toBe(`#/install?node=${nodeId}`)
    expect(await text(page, '.result-heading')).toContain('西海路 12号')
    const shown = await page.locator('.bundle-text').inputValue()
    const bundle = JSON.parse(shown) as { nodeId: string; enrollmentToken: string }
    expect(bundle.nodeId).toBe(nodeId)
    expect(bundle.enrollmentToken.length).toBeGreaterThan(16)

    await page.click('.bundle-actions button')
    await page.locator('.bundle-panel .panel-status', { hasText: '已复制' }).waitFor(WAIT)
    const copied = await page.evaluate(() =>
      (globalThis as unknown as Clip).navigator.clipboard.readText(),
    )
    expect(JSON.parse(copied)).toEqual(bundle)
    const [download] = await Promise.all([
      page.waitForEvent('download', WAIT),
      page.click('.bundle-actions a[download]'),
    ])
    expect(download.suggestedFilename()).toBe('bundle.json')
    expect(JSON.parse(await readFile(await download.path(), 'utf8'))).toEqual(bundle)

    // The checklist waits for the node; the server has what the installer typed.
    const commission = page.locator('.commission')
    expect(await commission.getAttribute('data-in-service')).toBe('false')
    expect(await text(page, '.verdict')).toContain('尚未投入使用')
    const registered = await ctl.api<{ lat: number; serial: string; zone: string }>(
      'GET',
      `/api/nodes/${nodeId}`,
    )
    expect(registered.body).toMatchObject({ serial: 'CB-2026-0012', zone: zones.community })
    expect(registered.body.lat).toBeCloseTo(lat, 5)
    await page.screenshot({ path: '/tmp/chorus-install-bundle-phone.png', fullPage: true })

    // The node enrolls with the bundle from the page and comes online: the list turns green.
    await startEnrolledAgent(shown)
    const step = (key: string, state: string) =>
      page.locator(`.check-item[data-step="${key}"][data-state="${state}"]`)
    for (const key of ['enrolled', 'online', 'clock', 'plan']) await step(key, 'done').waitFor(WAIT)
    await step('tone', 'todo').waitFor(WAIT)
    expect(await commission.getAttribute('data-in-service')).toBe('false')
    await page.click('.tone-button')
    await step('tone', 'done').waitFor(WAIT)
    await page.locator('.commission[data-in-service="true"]').waitFor(WAIT)
    expect(await text(page, '.verdict')).toBe('✓ 全部通过：节点已投入使用')
    expect(await overflowsX(page)).toBe(false)
    await page.screenshot({ path: '/tmp/chorus-install-green-phone.png', fullPage: true })

    // The log says who did it.
    const audit = await ctl.api<{ actor: string; action: string; target: string }[]>(
      'GET',
      '/api/audit?action=node.*',
    )
    expect(audit.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: 'wang', action: 'node.register', target: nodeId }),
      ]),
    )
    // The first GET /api/auth/me (no session yet) and the wrong password answer 401.
    expect(unexpected(problems, [401])).toEqual({ errors: [], external: [] })
  })
})
