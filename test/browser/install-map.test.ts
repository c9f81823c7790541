import { writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAgent } from '../helpers/agent.js'
import { createUser } from '../helpers/auth.js'
import { startController, TEST_ADMIN_PASSWORD, type TestController } from '../helpers/controller.js'
import { tmpDir } from '../helpers/tmp-dir.js'
import { launch, openPage } from './browser.js'
import { startEnrolledAgent } from './enrolled-agent.js'
import { rasterPmtiles } from './pmtiles-fixture.js'
import { DESKTOP, overflowsX, seedZones, text, unexpected, WAIT } from './programme-helpers.js'

// The new web UI's map and installer pages (issue 11, "Done when": an installer registers and
// places a speaker on the map). No base map is configured here: the map draws the plain
// background with MapLibre GL and still places speakers. Ported from test/browser/install.test.ts
// and the map journey of test/browser/fleet.test.ts.

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
interface NodeBody {
  id: string
  name: string
  lat: number | null
  lon: number | null
  serial: string | null
  zone: string
}

async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.locator('#login-user').waitFor(WAIT)
  await page.fill('#login-user', username)
  await page.fill('#login-password', password)
  await page.click('.login-submit')
}

/** The colour of the page's pixel at (x, y) of `selector`, read from a screenshot in the page. */
async function pixel(page: Page, selector: string, x: number, y: number): Promise<number[]> {
  const shot = (await page.locator(selector).screenshot()).toString('base64')
  return page.evaluate(
    async ({ data, x, y }) => {
      const g = globalThis as unknown as {
        Image: new () => { src: string; decode(): Promise<void> }
        document: { createElement(tag: 'canvas'): CanvasLike }
      }
      interface CanvasLike {
        width: number
        height: number
        getContext(kind: '2d'): {
          drawImage(img: unknown, x: number, y: number): void
          getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> }
        }
      }
      const img = new g.Image()
      img.src = `data:image/png;base64,${data}`
      await img.decode()
      const canvas = g.document.createElement('canvas')
      const ctx = canvas.getContext('2d')
      // The screenshot is at the device scale (1 on the desktop viewport).
      canvas.width = x + 1
      canvas.height = y + 1
      ctx.drawImage(img, 0, 0)
      return Array.from(ctx.getImageData(x, y, 1, 1).data).slice(0, 3)
    },
    { data: shot, x, y },
  )
}

/** The node as the server has it, once `ok` holds (the page saved it). */
async function serverNode(ctl: TestController, id: string, ok: (n: NodeBody) => boolean) {
  let last: NodeBody | null = null
  await expect
    .poll(async () => {
      last = (await ctl.api<NodeBody>('GET', `/api/nodes/${id}`)).body
      return ok(last)
    }, WAIT)
    .toBe(true)
  return last as unknown as NodeBody
}

describe('web UI: map and installer pages', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('an installer on a phone registers a speaker, gets its 配置包, places it on the map, and commissions it', async () => {
    const ctl = await startController()
    const zones = await seedZones(ctl)
    // Two speakers of the installer's community with a position, one without, one elsewhere.
    for (const [name, zone, lat, lon] of [
      ['西海路 1号', zones.community, 36.634, 101.762],
      ['西海路 2号', zones.community, 36.638, 101.768],
      ['严小村 1号', zones.village, 36.5, 101.9],
    ] as const) {
      expect((await ctl.api('POST', '/api/nodes', { name, zone, lat, lon })).status).toBe(201)
    }
    const unplaced = await ctl.api<{ id: string }>('POST', '/api/nodes', {
      name: '西海路 3号',
      zone: zones.community,
    })
    await createUser(ctl, {
      username: 'wang',
      password: 'installer-pw-2026',
      roles: ['installer'],
      zones: [zones.community],
    })
    const { page, problems } = await openPage(browser, ctl.url, {
      ...PHONE,
      permissions: ['geolocation', 'clipboard-read', 'clipboard-write'],
      geolocation: HERE,
    })
    await page.goto(`${ctl.url}/#/install`)
    await logIn(page, 'wang', 'installer-pw-2026')
    await page.locator('.phone-top .page-title', { hasText: '安装节点' }).waitFor(WAIT)

    // The zone: the installer's only one, chosen already.
    await page.locator('.install-form .i-zone', { hasText: '西海路社区' }).waitFor(WAIT)

    // The position: the phone's location, then a tap on the map beside the speakers nearby.
    await page.fill('.i-name input', '西海路 12号')
    await page.click('.place-locate')
    await page.locator('.place-status', { hasText: '已定位' }).waitFor(WAIT)
    expect(Number(await page.inputValue('.place-lat input'))).toBeCloseTo(HERE.latitude, 5)
    expect(Number(await page.inputValue('.place-lon input'))).toBeCloseTo(HERE.longitude, 5)
    const picker = page.locator('.place-map .node-map[data-ready="true"][data-drawn="2"]')
    await picker.waitFor(WAIT)
    expect((await picker.boundingBox())?.width).toBeGreaterThan(250)
    await picker.click({ position: { x: 60, y: 60 } })
    await page.locator('.place-status', { hasText: '已在地图上选定位置' }).waitFor(WAIT)
    const lat = Number(await page.inputValue('.place-lat input'))
    const lon = Number(await page.inputValue('.place-lon input'))
    expect(Math.abs(lat - HERE.latitude)).toBeLessThan(0.2)
    expect(Math.abs(lon - HERE.longitude)).toBeLessThan(0.2)
    expect([lat, lon]).not.toEqual([HERE.latitude, HERE.longitude])
    await page.fill('.i-serial input', 'CB-2026-0012')
    await page.fill('.i-notes textarea', '北门电线杆, 3 m')
    expect(await overflowsX(page)).toBe(false)
    await page.screenshot({ path: '/tmp/chorus-next-install-form-phone.png', fullPage: true })
    await page.click('.install-form .submit')

    // The 配置包: a QR code as big as the phone allows, copy and download.
    const qr = page.locator('.bundle-panel img.qr')
    await qr.waitFor(WAIT)
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;charset=utf-8,/)
    expect(
      await qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).toBeGreaterThan(0)
    expect((await qr.boundingBox())?.width).toBeGreaterThanOrEqual(300)
    expect(await text(page, '.bundle-panel')).toContain('配置包')
    const nodeId = (await page.locator('.commission').getAttribute('data-node-id')) ?? ''
    expect(nodeId).toMatch(/^node-/)
    expect(new URL(page.url()).hash).toBe(`#/install?node=${nodeId}`)
    expect(await text(page, '.result-heading')).toContain('西海路 12号')
    await page.click('.bundle-show')
    const shown = await page.locator('.bundle-text').inputValue()
    const bundle = JSON.parse(shown) as { nodeId: string; enrollmentToken: string }
    expect(bundle.nodeId).toBe(nodeId)
    expect(bundle.enrollmentToken.length).toBeGreaterThan(16)
    await page.click('.bundle-copy')
    await page.locator('.el-message', { hasText: '已复制到剪贴板' }).waitFor(WAIT)
    const copied = await page.evaluate(() =>
      (globalThis as unknown as Clip).navigator.clipboard.readText(),
    )
    expect(JSON.parse(copied)).toEqual(bundle)
    const [download] = await Promise.all([
      page.waitForEvent('download', WAIT),
      page.click('.bundle-download'),
    ])
    expect(download.suggestedFilename()).toBe('bundle.json')
    expect(JSON.parse(await readFile(await download.path(), 'utf8'))).toEqual(bundle)

    // The server has what the installer typed and tapped.
    const registered = (await ctl.api<NodeBody>('GET', `/api/nodes/${nodeId}`)).body
    expect(registered).toMatchObject({ serial: 'CB-2026-0012', zone: zones.community })
    expect(registered.lat).toBeCloseTo(lat, 5)
    expect(registered.lon).toBeCloseTo(lon, 5)

    // The checklist waits; the speaker enrolls with the 配置包 from the page and comes online.
    const commission = page.locator('.commission')
    expect(await commission.getAttribute('data-in-service')).toBe('false')
    expect(await text(page, '.verdict')).toContain('尚未投入使用')
    await page.screenshot({ path: '/tmp/chorus-next-install-bundle-phone.png', fullPage: true })
    // Back later: the 配置包 shows only once, a fresh one can be issued (the old one stops working).
    await page.reload()
    await page.locator('.reissue-box').waitFor(WAIT)
    expect(await page.locator('.bundle-panel').count()).toBe(0)
    await page.click('.reissue-box .reissue')
    await page.locator('.bundle-panel img.qr').waitFor(WAIT)
    await page.click('.bundle-show')
    const fresh = await page.locator('.bundle-text').inputValue()
    expect(JSON.parse(fresh).enrollmentToken).not.toBe(bundle.enrollmentToken)
    await startEnrolledAgent(fresh)
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
    await page.screenshot({ path: '/tmp/chorus-next-install-green-phone.png', fullPage: true })

    // The map on the phone: the speaker without a position is listed; choose it, tap the map.
    await page.goto(`${ctl.url}/#/map`)
    const item = page.locator(`.unplaced-list li[data-node-id="${unplaced.body.id}"]`)
    await item.waitFor(WAIT)
    expect(await text(page, '.unplaced h2')).toBe('无位置的节点（1）')
    const map = page.locator('.map-box .node-map[data-ready="true"][data-drawn="3"]')
    await map.waitFor(WAIT)
    // No base map configured here: the page says so and where to read how to add one.
    expect(await text(page, '.map-no-base')).toContain('还没有配置底图')
    expect(await overflowsX(page)).toBe(false)
    await item.locator('.place-button').click()
    await page.locator('.map-editing', { hasText: '西海路 3号' }).waitFor(WAIT)
    await page
      .locator('.map-box .node-map[data-picking="true"]')
      .click({ position: { x: 120, y: 100 } })
    await page.locator('.el-message', { hasText: '已保存「西海路 3号」的位置' }).waitFor(WAIT)
    const placed = await serverNode(ctl, unplaced.body.id, (n) => n.lat !== null)
    expect(Math.abs((placed.lat ?? 0) - 36.66)).toBeLessThan(0.5)
    await page.locator('.unplaced h2', { hasText: '无位置的节点（0）' }).waitFor(WAIT)
    await page.locator('.map-box .node-map[data-drawn="4"]').waitFor(WAIT)
    await page.screenshot({ path: '/tmp/chorus-next-map-phone.png', fullPage: true })

    // Typed coordinates move it; impossible ones change nothing.
    await page.locator('.popup-body .popup-move').click()
    await page.fill('.edit-lat input', '36.6401')
    await page.fill('.edit-lon input', '201')
    await page.click('.edit-save')
    await page.locator('.el-message', { hasText: '坐标无效' }).waitFor(WAIT)
    expect((await ctl.api<NodeBody>('GET', `/api/nodes/${unplaced.body.id}`)).body.lat).toBe(
      placed.lat,
    )
    await page.fill('.edit-lon input', '101.7702')
    await page.click('.edit-save')
    await serverNode(ctl, unplaced.body.id, (n) => n.lat === 36.6401 && n.lon === 101.7702)

    // Dragging its marker moves it too: up and to the left is north and west.
    await page.locator('.popup-body .popup-move').click()
    const marker = page.locator('.drag-marker')
    await marker.waitFor(WAIT)
    const at = (await marker.boundingBox()) as {
      x: number
      y: number
      width: number
      height: number
    }
    await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2)
    await page.mouse.down()
    await page.mouse.move(at.x + at.width / 2 - 30, at.y + at.height / 2 - 40, { steps: 5 })
    await page.mouse.up()
    const dragged = await serverNode(ctl, unplaced.body.id, (n) => n.lat !== 36.6401)
    expect(dragged.lat).toBeGreaterThan(36.6401)
    expect(dragged.lon).toBeLessThan(101.7702)

    const audit = await ctl.api<{ actor: string; action: string; target: string }[]>(
      'GET',
      '/api/audit?action=node.*',
    )
    expect(audit.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: 'wang', action: 'node.register', target: nodeId }),
        expect.objectContaining({ actor: 'wang', action: 'node.edit', target: unplaced.body.id }),
      ]),
    )
    // The boot's "who am I" without a session answers 401.
    expect(unexpected(problems, [401])).toEqual({ errors: [], external: [] })
  })

  it('a technician sees each speaker with its live state, and those without a position beside the map', async () => {
    const ctl = await startController()
    const zones = await seedZones(ctl)
    const live = await startAgent(ctl, { name: '西海路 广场', zone: zones.community, sink: 'null' })
    expect(
      (await ctl.api('PATCH', `/api/nodes/${live.nodeId}`, { lat: 36.6612, lon: 101.7485 })).status,
    ).toBe(200)
    const other = await ctl.api<{ id: string }>('POST', '/api/nodes', {
      name: '西海路 东口',
      zone: zones.community,
      lat: 36.6695,
      lon: 101.7601,
    })
    const nowhere = await ctl.api<{ id: string }>('POST', '/api/nodes', {
      name: '工具厂 1号',
      zone: zones.community,
    })
    await createUser(ctl, {
      username: 'li',
      password: 'technician-pw-2026',
      roles: ['technician'],
      zones: [],
    })
    const { page, problems } = await openPage(browser, ctl.url, { viewport: DESKTOP })
    await page.goto(`${ctl.url}/#/map`)
    await logIn(page, 'li', 'technician-pw-2026')
    await page.locator('.map-box .node-map[data-ready="true"][data-drawn="2"]').waitFor(WAIT)
    const row = (id: string) => page.locator(`.placed-list li[data-node-id="${id}"]`)
    await row(live.nodeId)
      .and(page.locator('[data-state="online"]'))
      .waitFor({ state: 'attached', ...WAIT })
    expect(await row(other.body.id).getAttribute('data-state')).toBe('offline')
    expect(await text(page, '.unplaced h2')).toBe('无位置的节点（1）')
    expect(await page.locator(`.unplaced-list li[data-node-id="${nowhere.body.id}"]`).count()).toBe(
      1,
    )
    expect(await text(page, '.map-legend [data-state="online"] .legend-count')).toBe('1')
    expect(await text(page, '.map-legend [data-state="offline"] .legend-count')).toBe('2')
    // A technician may look, not move: no placing.
    expect(await page.locator('.place-button').count()).toBe(0)
    // Only the online ones, by the legend; the address keeps the filter.
    await page.click('.map-legend [data-state="online"] button')
    await page.locator('.map-box .node-map[data-drawn="1"]').waitFor(WAIT)
    expect(new URL(page.url()).hash).toBe('#/map?state=online')
    expect(await text(page, '.unplaced h2')).toBe('无位置的节点（0）')
    await page.click('.map-legend [data-state="online"] button')
    await page.locator('.map-box .node-map[data-drawn="2"]').waitFor(WAIT)

    // Choosing it names it and its state in a popup, with a link to its page.
    await page.click('.placed summary')
    await row(live.nodeId).locator('button').click()
    const popup = page.locator(`.maplibregl-popup .popup-body[data-node-id="${live.nodeId}"]`)
    await popup.waitFor(WAIT)
    expect(await popup.locator('.popup-name').textContent()).toContain('西海路 广场')
    expect(await text(page, '.maplibregl-popup .popup-state')).toBe('在线')
    expect(await popup.locator('.popup-name').getAttribute('href')).toBe(`#/nodes/${live.nodeId}`)
    expect(await popup.locator('.popup-move').count()).toBe(0)
    await page.screenshot({ path: '/tmp/chorus-next-map-desktop.png' })

    // Live: the speaker goes offline, and the map says so without a reload.
    await live.agent.stop()
    await row(live.nodeId)
      .and(page.locator('[data-state="offline"]'))
      .waitFor({ state: 'attached', ...WAIT })
    await page.locator('.maplibregl-popup .popup-state', { hasText: '离线' }).waitFor(WAIT)
    expect(await text(page, '.map-legend [data-state="offline"] .legend-count')).toBe('3')

    // Opened for one speaker (as a node page links to it): its popup, at once.
    await page.goto(`${ctl.url}/#/map?focus=${other.body.id}`)
    await page.reload()
    await page
      .locator(`.maplibregl-popup .popup-body[data-node-id="${other.body.id}"]`, {
        hasText: '西海路 东口',
      })
      .waitFor(WAIT)
    expect(unexpected(problems, [401])).toEqual({ errors: [], external: [] })
  })

  it('draws the district’s own base map from the PMTiles file the controller serves', async () => {
    const file = join(tmpDir('chorus-pmtiles-'), 'chengbei.pmtiles')
    const COLOUR = [200, 40, 160] as const
    writeFileSync(file, rasterPmtiles(COLOUR))
    const ctl = await startController({ args: ['--map-tiles-file', file] })
    const { page, problems } = await openPage(browser, ctl.url, { viewport: DESKTOP })
    const ranges: string[] = []
    page.on('response', (res) => {
      if (res.url().endsWith('/api/map/tiles.pmtiles') && res.status() === 206) {
        ranges.push(res.request().headers().range ?? '')
      }
    })
    await page.goto(`${ctl.url}/#/map`)
    await logIn(page, 'admin', TEST_ADMIN_PASSWORD)
    await page.locator('.map-box .node-map[data-ready="true"]').waitFor(WAIT)
    expect(await page.locator('.map-no-base').count()).toBe(0)
    // The header and directory, then the tile: HTTP range requests through the pmtiles protocol.
    await expect.poll(() => ranges.length, WAIT).toBeGreaterThanOrEqual(2)
    // The tile's colour fills the map (away from the controls).
    await expect
      .poll(async () => {
        const [r = 0, g = 0, b = 0] = await pixel(page, '.map-box', 300, 300)
        return Math.abs(r - COLOUR[0]) + Math.abs(g - COLOUR[1]) + Math.abs(b - COLOUR[2])
      }, WAIT)
      .toBeLessThan(12)
    await page.screenshot({ path: '/tmp/chorus-next-map-pmtiles.png' })
    expect(unexpected(problems, [401])).toEqual({ errors: [], external: [] })
  })
})
