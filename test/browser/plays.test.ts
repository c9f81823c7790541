import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nodeTopic } from '../../protocol/index.js'
import { instantToLocalDate, instantToLocalTime } from '../../schedules/index.js'
import { startAgent } from '../helpers/agent.js'
import { makeTone } from '../helpers/audio.js'
import { startController } from '../helpers/controller.js'
import { connectRaw } from '../helpers/mqtt.js'
import { makeNodeKey, registerNodeKey, signedEvents } from '../helpers/signed-events.js'
import { tmpDir } from '../helpers/tmp-dir.js'
import { launch, openPage, type PageGlobals, signIn } from './browser.js'

const TZ = 'Asia/Shanghai'
const WAIT = { timeout: 20_000 }

describe('web UI: plays page', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it("shows today's plays live, with per-item counts and translated failure reasons", async () => {
    const ctl = await startController()
    const audio = await ctl.upload(await makeTone(tmpDir(), 'news', 1, 440), '新闻联播')
    const agent = await startAgent(ctl, {
      name: '西海路 1号喇叭',
      zone: '西海路社区',
      sink: 'null',
    })
    const broken = await ctl.register('严小村 2号喇叭', '严小村')

    // One item a few seconds ahead, on a whole second.
    const at = Math.ceil((Date.now() + 4000) / 1000) * 1000
    const date = instantToLocalDate(at, TZ)
    const start = instantToLocalTime(at, TZ)
    const put = await ctl.api('PUT', `/api/days/${date}`, {
      items: [{ start, audioId: audio.id, title: '新闻联播' }],
    })
    expect(put.status).toBe(200)
    const itemId = `${date}/t${start.replaceAll(':', '')}`

    const { page, problems } = await openPage(browser, ctl.url, {
      viewport: { width: 1280, height: 860 },
    })
    await signIn(page, ctl)
    // Today (in the district's time zone) by default.
    const before = instantToLocalDate(Date.now(), TZ)
    await page.goto(`${ctl.url}/#/plays`)
    const shown = await page.inputValue('#p-date')
    expect([before, instantToLocalDate(Date.now(), TZ)]).toContain(shown)
    expect(await page.locator('.tabs a[aria-current="page"]').textContent()).toBe('播放记录')

    // The item's date explicitly (the test may run just before midnight); nothing played yet.
    await page.goto(`${ctl.url}/#/plays?date=${date}`)
    const summary = page.locator(`.summary-table tr[data-item-id="${itemId}"]`)
    await summary.filter({ hasText: '新闻联播' }).waitFor(WAIT)
    await page.locator('.message', { hasText: '这一天还没有播放记录' }).waitFor(WAIT)

    // The agent plays it: started, then finished, arrive on the open page.
    const finished = page.locator('.plays-table tr[data-outcome="finished"]')
    await finished.waitFor(WAIT)
    expect(await finished.locator('.cell-node').textContent()).toBe('西海路 1号喇叭')
    expect(await finished.locator('.cell-item').textContent()).toBe(`${start.slice(0, 5)} 新闻联播`)
    expect(await finished.locator('.badge').textContent()).toBe('完成')
    await page.locator('.plays-table tr[data-outcome="started"]').waitFor(WAIT)
    expect(await page.locator('.plays-table tbody tr').count()).toBe(2)
    await summary.locator('.num.finished', { hasText: /^1$/ }).waitFor(WAIT)

    // Another node reports a failure: shown with its reason, in words.
    const raw = await connectRaw(ctl.brokerUrl, {
      clientId: broken.id,
      username: broken.id,
      password: broken.secret,
    })
    const failure = {
      v: 1,
      events: [
        {
          id: 'e-fail-1',
          at: new Date().toISOString(),
          type: 'play.failed',
          itemId,
          scheduledAt: new Date(at).toISOString(),
          reason: 'download',
          error: 'HTTP 503 from the controller',
        },
      ],
    }
    const key = makeNodeKey()
    registerNodeKey(ctl, broken.id, key)
    await raw.publishAsync(nodeTopic(broken.id, 'events'), signedEvents(key, failure.events), {
      qos: 1,
    })
    const failed = page.locator('.plays-table tr[data-outcome="failed"]')
    await failed.waitFor(WAIT)
    expect(await failed.locator('.cell-result').textContent()).toMatch(/失败\s*下载失败/)
    expect(await failed.locator('.cell-node').textContent()).toBe('严小村 2号喇叭')
    await summary.locator('.num.failed', { hasText: /^1$/ }).waitFor(WAIT)
    expect(await summary.locator('.cell-reasons').textContent()).toBe('下载失败 ×1')
    expect(await page.locator('.totals').textContent()).toBe('开始 1 · 完成 1 · 失败 1')
    await page.screenshot({ path: '/tmp/chorus-plays.png', fullPage: true })

    // Failures only; then English.
    await page.selectOption('#p-result', 'failed')
    await finished.waitFor({ state: 'detached', ...WAIT })
    expect(await page.locator('.plays-table tbody tr').count()).toBe(1)
    await page.getByRole('button', { name: 'Switch to English' }).click()
    await failed.locator('.reason', { hasText: 'download failed' }).waitFor(WAIT)
    expect(await page.inputValue('#p-date')).toBe(date)
    expect(await page.inputValue('#p-result')).toBe('failed')

    // A phone shows the same as cards.
    await page.setViewportSize({ width: 390, height: 844 })
    await page.getByRole('button', { name: '切换到中文' }).click()
    await page.selectOption('#p-result', '')
    await finished.waitFor(WAIT)
    const display = await finished.evaluate(
      (el) => (globalThis as unknown as PageGlobals).getComputedStyle(el).display,
    )
    expect(display).toBe('grid')
    await page.screenshot({ path: '/tmp/chorus-plays-phone.png', fullPage: true })

    expect(agent.agent.status().connected).toBe(true)
    expect(problems).toEqual({ errors: [], external: [] })
  })
})
