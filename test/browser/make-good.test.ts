import { randomUUID } from 'node:crypto'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clockWithNow } from '../../controller/platform/time.js'
import { startController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { type RawNode, rawNode } from '../helpers/node-client.js'
import { uploadTone } from '../integration/programme-fixtures.js'
import { launch, openPage, signIn } from './browser.js'

const WAIT = { timeout: 20_000 }
const DAY = '2026-11-27' // a Friday: a working day
const at = (time: string) => Date.parse(`${DAY}T${time}+08:00`)
const iso = (time: string) => new Date(at(time)).toISOString()

async function send(node: RawNode, events: Record<string, unknown>[]) {
  const payload = {
    v: 1,
    events: events.map((e) => ({ id: randomUUID(), at: iso('12:00:00'), ...e })),
  }
  await node.events(payload.events)
}

/** A started and a finished event of `item` (`t080000`), deviation and extra fields given. */
function played(item: string, deviationMs: number, extra: Record<string, unknown> = {}) {
  const scheduledAt = iso(`${item.slice(1, 3)}:${item.slice(3, 5)}:00`)
  const base = { itemId: `${DAY}/${item}`, audioId: 'a-x', scheduledAt, ...extra }
  return [
    { type: 'play.started', ...base, deviationMs },
    {
      type: 'play.finished',
      ...base,
      startedAt: scheduledAt,
      endedAt: scheduledAt,
      playedMs: 1000,
      sha256: 'a'.repeat(64),
      volume: 80,
      rmsDb: -20,
      peakDb: -3,
    },
  ]
}

describe('web UI: make-goods and start deviation', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('shows 补播 apart from played, and start deviation on the report, the dashboard and the node page', async () => {
    const ctl = await startController({ clock: clockWithNow(() => at('12:00:00')) })
    const audio = await uploadTone(ctl, '新闻', 1)
    await ctl.api('PUT', '/api/templates/working', {
      items: [
        { start: '08:00:00', audioId: audio.id, title: '早间新闻' },
        { start: '09:00:00', audioId: audio.id, title: '政策解读' },
      ],
    })
    await ctl.plansPublished()
    const a = await rawNode(ctl, '西海路 1号喇叭', '西海路社区')
    const b = await rawNode(ctl, '工具厂 1号喇叭', '工具厂社区')
    // Installed (first online) nodes answer for the day's segments in the report.
    for (const node of [a, b]) {
      await node.birth()
      await waitFor(
        async () =>
          (await ctl.api<{ online: boolean }>('GET', `/api/nodes/${node.id}`)).body.online,
        'the birth stored',
      )
    }
    await send(a, [
      ...played('t080000', 40),
      {
        type: 'play.missed',
        itemId: `${DAY}/t090000`,
        scheduledAt: iso('09:00:00'),
        reason: 'down',
      },
      ...played('t090000', 12, { makeGood: true, makeGoodAt: iso('09:20:00') }),
    ])
    await send(b, [...played('t080000', 300), ...played('t090000', 1500)])
    await waitFor(async () => {
      const r = await ctl.api<{ totals: { madeGood: number; played: number } }>(
        'GET',
        `/api/reports/day?date=${DAY}`,
      )
      return r.body.totals.madeGood === 1 && r.body.totals.played === 3
    }, 'the events stored')

    const { page, problems } = await openPage(browser, ctl.url, {
      viewport: { width: 1280, height: 900 },
    })
    await signIn(page, ctl)

    // Proof of play: one 补播, three played; deviations of on-time starts only (40, 300, 1500).
    await page.goto(`${ctl.url}/#/reports?date=${DAY}`)
    await page.locator('.rp-card-madeGood .count-value', { hasText: /^1$/ }).waitFor(WAIT)
    expect(await page.locator('.rp-card-madeGood .count-label').textContent()).toBe('补播')
    expect(await page.locator('.rp-card-played .count-value').textContent()).toBe('3')
    const line = page.locator('.rp-day .deviation-line')
    await line.filter({ hasText: '中位 300 毫秒' }).waitFor(WAIT)
    expect(await line.textContent()).toContain('最大 1.5 秒（3 次开始）')
    const segments = page.locator('.rp-day .deviation-segments tbody tr')
    expect(await segments.count()).toBe(2)
    expect(await segments.first().textContent()).toContain('早间新闻')
    const rowA = page.locator(`.rp-nodes tr[data-node-id="${a.id}"]`)
    expect(await rowA.locator('td').first().textContent()).toBe('40 毫秒')
    await page.screenshot({ path: '/tmp/chorus-make-good-report.png', fullPage: true })
    await rowA.locator('.rp-more').click()
    const item = page.locator(`.rp-items li[data-item-id="${DAY}/t090000"]`)
    await item.waitFor(WAIT)
    expect(await item.locator('.rp-status').textContent()).toBe('补播')
    expect(await item.locator('.reason').textContent()).toBe('停机')
    await page.keyboard.press('Escape')

    // The dashboard: how in step the fleet was today, and the worst segment first.
    await page.goto(`${ctl.url}/#/nodes`)
    const today = page.locator('.page-nodes .deviation-line')
    await today.filter({ hasText: '今日全网节目开始偏差' }).waitFor(WAIT)
    expect(await today.textContent()).toContain('P95 1.5 秒')
    const worst = page.locator('.page-nodes .deviation-segments tbody tr')
    expect(await worst.first().textContent()).toContain('政策解读')
    await page.screenshot({ path: '/tmp/chorus-make-good-dashboard.png' })

    // A node's page: its own figures.
    await page.goto(`${ctl.url}/#/nodes/${encodeURIComponent(b.id)}`)
    const own = page.locator('.page-node .deviation-line')
    await own.filter({ hasText: '今日本节点节目开始偏差' }).waitFor(WAIT)
    expect(await own.textContent()).toContain('最大 1.5 秒（2 次开始）')
    expect(problems).toEqual({ errors: [], external: [] })
  })
})
