import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays } from '../../controller/web/src/format.js'
import { instantToLocalDate, instantToLocalTime } from '../../schedules/index.js'
import { startAgent } from '../helpers/agent.js'
import { makeTone } from '../helpers/audio.js'
import { startController, type TestController } from '../helpers/controller.js'
import { tmpDir } from '../helpers/tmp-dir.js'
import { launch } from './browser.js'
import {
  DESKTOP,
  openLoggedIn,
  overflowsX,
  PHONE,
  seedZones,
  text,
  unexpected,
  WAIT,
} from './programme-helpers.js'

const TZ = 'Asia/Shanghai'
/** How far ahead the test schedules the item the agent must play (room for the page steps). */
const AHEAD_MS = 25_000

/** Picks a recording by its title in the audio picker opened from `button`. */
async function pickAudio(page: Page, open: () => Promise<void>, title: string): Promise<void> {
  await open()
  const dialog = page.locator('dialog')
  await dialog.getByLabel(title).check(WAIT)
  await dialog.getByRole('button', { name: '选择' }).click()
  await dialog.waitFor({ state: 'detached', ...WAIT })
}

/** Waits until the editor says every change is saved (and so checked by the server). */
async function saved(page: Page): Promise<void> {
  await page.locator('.or-save[data-save="saved"]').waitFor(WAIT)
}

function planItems(ctl: TestController, nodeId: string) {
  return ctl.controller.deps?.services.plans.currentPlan(nodeId)?.items ?? []
}

describe('web UI: an editor builds the programme and reads the proof of play', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('uploads a recording, puts it in the template tomorrow uses, sees tomorrow ready, schedules it today and reads the report after an agent played it', async () => {
    const ctl = await startController()
    const zones = await seedZones(ctl)
    const agent = await startAgent(ctl, {
      name: '西海路 1号喇叭',
      zone: zones.community,
      sink: 'null',
    })
    const file = await makeTone(tmpDir(), 'news', 3, 440)
    const { page, problems } = await openLoggedIn(browser, ctl, { viewport: DESKTOP })

    // 1. The audio library: a column, then a real upload through the page, with progress.
    await page.goto(`${ctl.url}/#/audio`)
    await page.fill('#col-new-name', '新闻')
    await page.fill('#col-new-priority', '40')
    await page.getByRole('button', { name: '添加栏目' }).click()
    await page.locator('.col-item', { hasText: '新闻' }).waitFor(WAIT)
    await page.locator('#up-column option', { hasText: '新闻' }).waitFor({ state: 'attached' })
    await page.setInputFiles('#up-file', file)
    await page.fill('#up-title', '早间新闻')
    await page.selectOption('#up-column', { label: '新闻' })
    await page.getByRole('button', { name: '上传', exact: true }).click()
    await page.locator('.up-status[data-state="done"]').waitFor(WAIT)
    expect(await text(page, '.up-status')).toContain('“早间新闻”（0:03）已加入音频库')
    const row = page.locator('.audio-table tbody tr', { hasText: '早间新闻' })
    await row.waitFor(WAIT)
    const audioId = (await row.getAttribute('data-audio-id')) as string
    expect(audioId).toMatch(/^a-/)
    expect((await row.locator('.au-col').textContent())?.trim()).toBe('新闻')
    expect(await row.locator('.au-loud').textContent()).toMatch(/^-\d+\.\d → -1[5-7]\.\d$/)
    expect(await row.textContent()).toContain('admin') // the logged-in uploader
    // The preview plays the delivered file from the controller.
    const fetched = page.waitForResponse((r) => r.url().includes('/api/audio/files/'), WAIT)
    await row.getByRole('button', { name: '试听“早间新闻”' }).click()
    expect((await fetched).status()).toBeLessThan(300)
    await row.locator('audio').waitFor(WAIT)

    // 2. The template of tomorrow's day type: its first slot gets the recording.
    const today = instantToLocalDate(Date.now(), TZ)
    const tomorrow = addDays(today, 1)
    const { type } = (
      await ctl.api<{ type: 'working' | 'rest' }>('GET', `/api/calendar/${tomorrow}`)
    ).body
    await page.goto(`${ctl.url}/#/programme/${type}`)
    const first = page.locator('li.or-row').first()
    await first.waitFor(WAIT)
    const slotId = (await first.getAttribute('data-item-id')) as string
    expect(await first.getAttribute('data-empty')).toBe('true')
    expect(await first.locator('.or-issue').textContent()).toContain('还没有音频')
    await pickAudio(page, () => first.locator('.or-audio-button').click(), '早间新闻')
    await saved(page)
    const slot = page.locator(`li.or-row[data-item-id="${slotId}"]`)
    await slot.and(page.locator('[data-empty="false"]')).waitFor(WAIT)
    expect(await slot.locator('.or-audio-title').textContent()).toBe('早间新闻')
    // The recording's column comes with it; the segment count moves.
    expect(await slot.locator('.or-column').inputValue()).not.toBe('')
    expect(await page.locator('.or-count').getAttribute('data-segments')).toBe('1')
    await slot.locator('.or-issue').waitFor({ state: 'detached', ...WAIT })

    // Validation as one edits: retimed into the night, the item is flagged beside it; back, not.
    const start = await slot.locator('.or-time').inputValue()
    await slot.locator('.or-time').fill('23:30')
    await slot.locator('.or-time').press('Tab')
    const quiet = slot.locator('.or-issue[data-code="QUIET_HOURS"]')
    await quiet.waitFor(WAIT)
    expect(await quiet.textContent()).toBe('23:30 这一段落在夜间静音时段内')
    expect(await slot.getAttribute('data-issue')).toBe('error')
    await slot.locator('.or-time').fill(start)
    await slot.locator('.or-time').press('Tab')
    await quiet.waitFor({ state: 'detached', ...WAIT })
    await saved(page)
    const tpl = await ctl.api<{ items: { id: string; audioId: string | null }[] }>(
      'GET',
      `/api/templates/${type}`,
    )
    expect(tpl.body.items.find((i) => i.id === slotId)?.audioId).toBe(audioId)
    await page.setViewportSize(PHONE)
    expect(await overflowsX(page)).toBe(false)
    await page.screenshot({ path: '/tmp/chorus-order-phone.png', fullPage: false })
    await page.setViewportSize(DESKTOP)
    await page.screenshot({ path: '/tmp/chorus-order.png', fullPage: true })

    // 3. Tomorrow's plan: the node holds the item, and the page shows tomorrow ready.
    await expect
      .poll(() => planItems(ctl, agent.nodeId).some((i) => i.itemId === `${tomorrow}/${slotId}`), {
        timeout: WAIT.timeout,
      })
      .toBe(true)
    await page.goto(`${ctl.url}/#/programme`)
    await page.locator(`.ready[data-date="${tomorrow}"][data-ready="all"]`).waitFor(WAIT)
    expect(await text(page, '.ready-headline')).toMatch(/1 \/ 1 个节点已就绪$/)
    const tomorrowRow = page.locator(`.upcoming-table tr[data-date="${tomorrow}"]`)
    expect(await tomorrowRow.locator('td.num').first().textContent()).toMatch(/^1 \/ 1[05]$/)

    // 4. Today's own order adds an item a few seconds ahead, through the page.
    const at = Math.ceil((Date.now() + AHEAD_MS) / 1000) * 1000
    const date = instantToLocalDate(at, TZ)
    const time = instantToLocalTime(at, TZ)
    await page.goto(`${ctl.url}/#/programme/${date}`)
    await page
      .locator('.or-modes [data-mode="template"][aria-pressed="true"]:enabled')
      .waitFor(WAIT)
    await page.locator('.or-modes [data-mode="add"]').click()
    await saved(page)
    await page.getByRole('button', { name: '添加一段' }).click()
    const added = page.locator('li.or-row[data-origin="date"]')
    await added.waitFor(WAIT)
    await added.locator('.or-time').fill(time)
    await added.locator('.or-time').press('Tab')
    await pickAudio(page, () => added.locator('.or-audio-button').click(), '早间新闻')
    await saved(page)
    const addedId = (await added.getAttribute('data-item-id')) as string
    expect(await added.locator('.or-origin').textContent()).toBe('本日新增')
    const day = await ctl.api<{ mode: string; items: { id: string; start: string }[] }>(
      'GET',
      `/api/days/${date}`,
    )
    expect(day.body.mode).toBe('add')
    expect(day.body.items).toEqual([expect.objectContaining({ id: addedId, start: time })])
    expect(Date.now()).toBeLessThan(at - 2000)

    // 5. The report counts it once the agent played it.
    await page.goto(`${ctl.url}/#/reports?date=${date}`)
    const nodeRow = page.locator(`.rp-nodes tr[data-node-id="${agent.nodeId}"]`)
    await nodeRow.waitFor(WAIT)
    await nodeRow
      .locator('td[data-count="played"]', { hasText: /^[1-9]/ })
      .waitFor({ timeout: AHEAD_MS + 30_000 })
    await page.locator('.rp-card-played .count-value', { hasText: /^[1-9]/ }).waitFor(WAIT)
    await nodeRow.getByRole('button', { name: '西海路 1号喇叭 的播放明细' }).click()
    const item = page.locator(`dialog li[data-item-id="${date}/${addedId}"]`)
    expect(await item.getAttribute('data-status')).toBe('played')
    expect(await item.locator('.rp-status').textContent()).toBe('已播')
    await page.getByRole('button', { name: '关闭' }).click()
    const zoneRow = page.locator(`.rp-zones tr[data-zone-id="${zones.community}"]`)
    expect(await zoneRow.locator('td[data-count="played"]').textContent()).toMatch(/^[1-9]/)
    const columnRow = page.locator('.rp-columns tr', { hasText: '新闻' })
    expect(await columnRow.locator('td[data-count="played"]').textContent()).toMatch(/^[1-9]/)

    // The CSV of the day (Chinese headers, a BOM for Excel) and the summary's figure and chart.
    const csvHref = (await page.locator('a.rp-csv').first().getAttribute('href')) as string
    expect(csvHref).toBe(`api/reports/day?date=${date}&format=csv&lang=zh`)
    const csv = await page.request.get(`${ctl.url}/${csvHref}`)
    expect(csv.status()).toBe(200)
    const body = await csv.text()
    expect(body).toContain('节点名称')
    expect(body).toContain('西海路 1号喇叭')
    await page.locator('.rp-figure-working .rp-figure-value').waitFor(WAIT)
    expect(await page.locator('.rp-chart svg .bar').count()).toBeGreaterThan(0)
    await page.screenshot({ path: '/tmp/chorus-reports.png', fullPage: true })
    await page.setViewportSize(PHONE)
    const wide = await overflowsX(page)
    await page.screenshot({ path: '/tmp/chorus-reports-phone.png', fullPage: true })
    expect(wide).toBe(false)

    expect(unexpected(problems)).toEqual({ errors: [], external: [] })
  }, 150_000)

  it('fills a whole working day of 15 segments and a rest day of 10, and the calendar counts them', async () => {
    const ctl = await startController()
    const dir = tmpDir()
    const titles = ['早间新闻', '政策解读', '安全提示', '天气预报', '文化之窗']
    for (const [k, title] of titles.entries()) {
      await ctl.upload(await makeTone(dir, `seg${k}`, 1, 400 + k * 60), title)
    }
    const { page, problems } = await openLoggedIn(browser, ctl, { viewport: DESKTOP })
    for (const [type, target] of [
      ['working', 15],
      ['rest', 10],
    ] as const) {
      await page.goto(`${ctl.url}/#/programme/${type}`)
      await page
        .locator('li.or-row')
        .nth(target - 1)
        .waitFor(WAIT)
      expect(await page.locator('li.or-row').count()).toBe(target)
      for (let k = 0; k < target; k++) {
        const row = page.locator('li.or-row').nth(k)
        await pickAudio(
          page,
          () => row.locator('.or-audio-button').click(),
          titles[k % 5] as string,
        )
      }
      const count = page.locator('.or-count[data-ok="true"]')
      await count.waitFor(WAIT)
      expect(await count.textContent()).toBe(`已排 ${target} 段 / 目标 ${target} 段`)
      await saved(page)
      const tpl = await ctl.api<{ items: { audioId: string | null }[]; issues: unknown[] }>(
        'GET',
        `/api/templates/${type}`,
      )
      expect(tpl.body.items.filter((i) => i.audioId !== null)).toHaveLength(target)
      expect(await text(page, '.or-issue-summary')).toBe('没有发现问题')
    }
    // Every date of the month now shows its full count.
    const month = instantToLocalDate(Date.now(), TZ).slice(0, 7)
    await page.goto(`${ctl.url}/#/calendar?month=${month}`)
    await page
      .locator('.cal-day[data-type="working"] .cal-count', { hasText: '15/15' })
      .first()
      .waitFor(WAIT)
    expect(await page.locator('.cal-count.warn').count()).toBe(0)
    expect(unexpected(problems)).toEqual({ errors: [], external: [] })
  }, 120_000)
})
