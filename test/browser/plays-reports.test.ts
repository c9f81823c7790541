import { randomUUID } from 'node:crypto'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clockWithNow } from '../../controller/platform/time.js'
import { createUser, loginCookie } from '../helpers/auth.js'
import { startController, type TestController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { type RawNode, rawNode } from '../helpers/node-client.js'
import { uploadTone } from '../integration/programme-fixtures.js'
import { launch, openPage } from './browser.js'
import { DESKTOP, unexpected, WAIT } from './programme-helpers.js'

// The new web UI's plays and reports pages (issue 11), the classic plays, make-good and report
// journeys: a technician reads titles, not ids; a technician limited to a zone
// sees only its plays; the report shows 补播 apart from played with each item's reason; the
// summary's chart is drawn (ECharts, a canvas of non-zero size); the CSV link downloads.

const DAY = '2026-11-27' // a Friday: a working day
const at = (time: string) => Date.parse(`${DAY}T${time}+08:00`)
const iso = (time: string) => new Date(at(time)).toISOString()

async function send(node: RawNode, events: Record<string, unknown>[]) {
  await node.events(events.map((e) => ({ id: randomUUID(), at: iso('12:00:00'), ...e })))
}

/** A started and a finished event of `item` (`t080000`), deviation and extra fields given. */
function played(item: string, audioId: string, deviationMs: number, extra = {}) {
  const scheduledAt = iso(`${item.slice(1, 3)}:${item.slice(3, 5)}:00`)
  const startedAt = (extra as { at?: string }).at ?? scheduledAt
  const base = { itemId: `${DAY}/${item}`, audioId, scheduledAt, ...extra }
  return [
    { type: 'play.started', ...base, deviationMs },
    {
      type: 'play.finished',
      ...base,
      startedAt,
      endedAt: startedAt,
      playedMs: 1000,
      sha256: 'a'.repeat(64),
      volume: 80,
      rmsDb: -20,
      peakDb: -3,
    },
  ]
}

/** Two installed nodes in two communities, a working day of two segments, and their plays. */
async function playedDay(ctl: TestController) {
  const audio = await uploadTone(ctl, '新闻', 1)
  await ctl.api('PUT', '/api/templates/working', {
    items: [
      { start: '08:00:00', audioId: audio.id, title: '早间新闻' },
      { start: '09:00:00', audioId: audio.id, title: '政策解读' },
    ],
  })
  await ctl.plansPublished()
  const a = await rawNode(ctl, '西海路 1号音柱', '西海路社区')
  const b = await rawNode(ctl, '工具厂 1号音柱', '工具厂社区')
  for (const node of [a, b]) {
    await node.birth()
    await waitFor(
      async () => (await ctl.api<{ online: boolean }>('GET', `/api/nodes/${node.id}`)).body.online,
      'the birth stored',
    )
  }
  await send(a, [
    ...played('t080000', audio.id, 40),
    { type: 'play.missed', itemId: `${DAY}/t090000`, scheduledAt: iso('09:00:00'), reason: 'down' },
    ...played('t090000', audio.id, 12, {
      makeGood: true,
      makeGoodAt: iso('09:20:00'),
      at: iso('09:20:00'),
    }),
  ])
  await send(b, [
    ...played('t080000', audio.id, 300),
    {
      type: 'play.failed',
      itemId: `${DAY}/t090000`,
      audioId: audio.id,
      scheduledAt: iso('09:00:00'),
      reason: 'download',
      error: 'HTTP 503',
    },
  ])
  await waitFor(async () => {
    const r = await ctl.api<{ totals: { madeGood: number; played: number; failed: number } }>(
      'GET',
      `/api/reports/day?date=${DAY}`,
    )
    return r.body.totals.madeGood === 1 && r.body.totals.played === 2 && r.body.totals.failed === 1
  }, 'the events stored')
  const zones = (await ctl.api<{ id: string; name: string }[]>('GET', '/api/zones')).body
  const zoneId = (name: string) => zones.find((z) => z.name === name)?.id ?? ''
  return { audio, a, b, west: zoneId('西海路社区') }
}

/** A page with `username`'s session cookie, as the login form would leave it. */
async function openAs(browser: Browser, ctl: TestController, username: string, password: string) {
  const session = await loginCookie(ctl, username, password)
  const [name = '', ...rest] = session.cookie.split('=')
  const opened = await openPage(browser, ctl.url, { viewport: DESKTOP })
  await opened.page.context().addCookies([{ name, value: rest.join('='), url: ctl.url }])
  return opened
}

const rowsText = async (page: Page) =>
  (await page.locator('.plays-table tbody tr').allTextContents()).map((r) => r.trim())

describe('web UI: plays and reports', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('shows a technician titles, not ids, live; a zone-limited one only its zone', async () => {
    const ctl = await startController({ clock: clockWithNow(() => at('12:00:00')) })
    const { audio, b, west } = await playedDay(ctl)
    await createUser(ctl, {
      username: 'zhao',
      password: 'technician-pw-2026',
      roles: ['technician'],
    })
    await createUser(ctl, {
      username: 'qian',
      password: 'technician-pw-2026',
      roles: ['technician'],
      zones: [west],
    })

    const { page, problems } = await openAs(browser, ctl, 'zhao', 'technician-pw-2026')
    await page.goto(`${ctl.url}/#/plays?date=${DAY}`)
    await page.locator('.plays-total', { hasText: '共 8 条播放事件' }).waitFor(WAIT)
    const rows = await rowsText(page)
    expect(rows).toHaveLength(8)
    // Titles, never item ids, for a technician too (who may not read running orders).
    expect(rows.some((r) => r.includes('早间新闻') && r.includes('西海路 1号音柱'))).toBe(true)
    expect(rows.some((r) => r.includes('政策解读') && r.includes('工具厂 1号音柱'))).toBe(true)
    expect(rows.join('\n')).not.toContain(`${DAY}/t0`)
    const failed = page.locator('.plays-table tr.outcome-failed')
    expect(await failed.locator('.cell-reason').textContent()).toBe('下载失败')
    expect(await failed.locator('.cell-scheduled').textContent()).toBe('09:00')
    const started = page.locator('.plays-table tr.outcome-started', { hasText: '工具厂' })
    expect(await started.first().locator('.cell-deviation').textContent()).toBe('300 毫秒')
    expect(await page.locator('.plays-table tr.outcome-madeGood .cell-outcome').textContent()).toBe(
      '补播',
    )
    expect(await page.locator('.plays-summary').textContent()).toContain('失败 1 · 未播 1')
    await page.screenshot({ path: '/tmp/chorus-next-plays.png', fullPage: true })

    // Only failures: one row, the address keeps the filter.
    await page.click('.plays-outcome')
    await page.locator('.el-select-dropdown__item:visible', { hasText: '失败' }).click()
    await page.locator('.plays-total', { hasText: '共 1 条播放事件' }).waitFor(WAIT)
    expect(new URL(page.url()).hash).toContain('outcome=failed')
    expect(await rowsText(page)).toHaveLength(1)

    // A play arrives while the page is open: it appears (a segment since edited away: the
    // recording's title).
    await page.goto(`${ctl.url}/#/plays?date=${DAY}`)
    await page.locator('.plays-total', { hasText: '共 8 条播放事件' }).waitFor(WAIT)
    await send(b, [
      {
        type: 'play.started',
        itemId: `${DAY}/t093000`,
        audioId: audio.id,
        scheduledAt: iso('09:30:00'),
        deviationMs: 8,
      },
    ])
    await page.locator('.plays-total', { hasText: '共 9 条播放事件' }).waitFor(WAIT)
    await page.locator('.plays-table .cell-title', { hasText: /^新闻$/ }).waitFor(WAIT)
    // English: results and reasons in words too (labels from contract/).
    await page.click('.lang-switch [data-lang="en"]')
    await page
      .locator('.plays-table tr.outcome-failed .cell-reason', { hasText: 'download failed' })
      .waitFor(WAIT)
    expect(await page.locator('.plays-total').textContent()).toBe('9 play events')
    await page.screenshot({ path: '/tmp/chorus-next-plays-en.png' })
    expect(problems).toEqual({ errors: [], external: [] })

    // Limited to 西海路社区: only that community's speaker.
    const limited = await openAs(browser, ctl, 'qian', 'technician-pw-2026')
    await limited.page.goto(`${ctl.url}/#/plays?date=${DAY}`)
    await limited.page.locator('.plays-total', { hasText: '共 5 条播放事件' }).waitFor(WAIT)
    const own = await rowsText(limited.page)
    expect(own).toHaveLength(5)
    expect(own.every((r) => r.includes('西海路 1号音柱'))).toBe(true)
    expect(own.join('\n')).not.toContain('工具厂')
    expect(limited.problems).toEqual({ errors: [], external: [] })
  })

  it('reports a date with 补播 and reasons, draws the summary chart, and downloads the CSV', async () => {
    const ctl = await startController({ clock: clockWithNow(() => at('12:00:00')) })
    const { a } = await playedDay(ctl)
    const { page, problems } = await openAs(browser, ctl, 'admin', ctl.adminPassword ?? '')
    await page.goto(`${ctl.url}/#/reports?date=${DAY}&from=2026-11-23&to=${DAY}`)
    await page.locator('.ready .ready-headline').waitFor(WAIT)
    expect(await page.locator('.ready').textContent()).toContain('明日播出准备')

    // The date: one 补播 apart from the two played; the failure and the stop in words.
    await page.locator('.rp-card-madeGood .count-value', { hasText: /^1$/ }).waitFor(WAIT)
    expect(await page.locator('.rp-card-madeGood .count-label').textContent()).toBe('补播')
    expect(await page.locator('.rp-card-played .count-value').textContent()).toBe('2')
    expect(await page.locator('.rp-reasons').textContent()).toContain('下载失败×1')
    const zones = await page.locator('.rp-zones tbody tr').allTextContents()
    expect(zones.some((z) => z.includes('西海路社区'))).toBe(true)
    const rowA = page.locator('.rp-nodes > .el-table__inner-wrapper tbody tr', {
      has: page.locator(`.node-name[data-node-id="${a.id}"]`),
    })
    expect(await rowA.textContent()).toContain('40 毫秒')
    await rowA.locator('.el-table__expand-icon').click()
    const item = page.locator('.rp-items tr', { hasText: '政策解读' })
    await item.waitFor(WAIT)
    expect(await item.locator('.item-status').textContent()).toBe('补播')
    expect(await item.locator('.item-reason').textContent()).toBe('停机')
    expect(await item.locator('.item-mg').textContent()).toBe('补播于 09:20')

    // The summary: the district figure and the chart, drawn on a canvas of non-zero size.
    const working = page.locator('.rp-figure-working .rp-figure-value')
    await working.waitFor(WAIT)
    expect(await page.locator('.rp-range-totals').textContent()).toContain('期间共播放 2 / 4 段')
    const canvas = page.locator('.rp-chart canvas')
    await canvas.waitFor(WAIT)
    const box = await canvas.boundingBox()
    expect(box?.width ?? 0).toBeGreaterThan(100)
    expect(box?.height ?? 0).toBeGreaterThan(100)
    // The layout scrolls inside its main area: a tall window shows the whole page.
    await page.setViewportSize({ width: 1280, height: 2200 })
    await page.screenshot({ path: '/tmp/chorus-next-reports.png' })
    await page.setViewportSize(DESKTOP)

    // The CSV downloads through its link (the session cookie goes along), in Chinese.
    const href = await page.locator('.rp-day-csv').getAttribute('href')
    expect(href).toBe(`../api/reports/day?date=${DAY}&format=csv&lang=zh`)
    const csv = await page.evaluate(async (url) => {
      const res = await fetch(url)
      return { status: res.status, type: res.headers.get('content-type'), text: await res.text() }
    }, href ?? '')
    expect(csv.status).toBe(200)
    expect(csv.type).toMatch(/^text\/csv/)
    expect(csv.text).toMatch(/^\uFEFF?日期,节点ID,节点名称/)
    expect(csv.text).toContain('西海路 1号音柱')
    const sumHref = await page.locator('.rp-sum-csv').getAttribute('href')
    expect(sumHref).toBe(`../api/reports/summary?from=2026-11-23&to=${DAY}&format=csv&lang=zh`)
    expect(unexpected(problems)).toEqual({ errors: [], external: [] })
  })
})
