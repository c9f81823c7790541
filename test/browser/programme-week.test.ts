import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clockWithNow } from '../../controller/platform/time.js'
import { makeTone } from '../helpers/audio.js'
import { startController } from '../helpers/controller.js'
import { tmpDir } from '../helpers/tmp-dir.js'
import { launch, openPage } from './browser.js'
import { DESKTOP, seedZones, unexpected, WAIT } from './programme-helpers.js'

// Issue 11's last part: a scheduler drags a whole week of a zone's running orders onto the
// following week with real mouse moves, is told how many days it overwrites, confirms, and the
// seven days are copied (the zone's, not the district's; an overwritten day keeps its history).
// Then a relay item (转播) is added through the editor's form, shown as its own kind, changed
// and deleted.

// Monday 30 November 2026, 09:00 in Xining.
const NOW = Date.parse('2026-11-30T01:00:00Z')
const SOURCE = [
  '2026-11-30',
  '2026-12-01',
  '2026-12-02',
  '2026-12-03',
  '2026-12-04',
  '2026-12-05',
  '2026-12-06',
]
const TARGET = [
  '2026-12-07',
  '2026-12-08',
  '2026-12-09',
  '2026-12-10',
  '2026-12-11',
  '2026-12-12',
  '2026-12-13',
]
const PASSWORD = 'Zq7-sch9-Xb93-kLp'

interface Item {
  id: string
  start: string
  audioId: string | null
  title: string
  relay?: { url: string; end: string } | null
}
interface Day {
  hasOwnOrder: boolean
  items: Item[]
}

const saved = (page: Page) => page.locator('.order-editor[data-state="saved"]').waitFor(WAIT)

describe('web UI: a week dragged onto another, and relay items', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it("copies a zone's week by dragging it onto the next, then adds, changes and deletes a relay", async () => {
    const ctl = await startController({ clock: clockWithNow(() => NOW) })
    const { town } = await seedZones(ctl)
    const news = await ctl.upload(await makeTone(tmpDir(), 'news', 1, 440), '早间新闻')
    const day = async (date: string, zone = town) =>
      (await ctl.api<Day>('GET', `/api/days/${date}${zone ? `?zone=${zone}` : ''}`)).body
    const put = async (date: string, titles: string[]) => {
      const items = titles.map((title, n) => ({
        id: `s${n}`,
        start: `0${7 + n}:00:00`,
        audioId: news.id,
        title,
      }))
      const r = await ctl.api('PUT', `/api/days/${date}?zone=${town}`, { items })
      expect(r.status).toBe(200)
    }
    // The town's week: each day its own titles; two days of the next week hold an older order.
    for (const [n, date] of SOURCE.entries()) await put(date, [`镇新闻${n + 1}`, `天气${n + 1}`])
    await put(TARGET[1] as string, ['旧节目'])
    await put(TARGET[4] as string, ['旧节目'])
    const user = await ctl.api('POST', '/api/users', {
      username: 'sched',
      password: PASSWORD,
      roles: ['scheduler'],
    })
    expect(user.status).toBe(201)

    // The scheduler logs in (in Chinese) and opens the town's week.
    const { page, problems } = await openPage(browser, ctl.url, { viewport: DESKTOP })
    await page.goto(`${ctl.url}/#/programme?zone=${town}&day=${SOURCE[0]}`)
    await page.locator('#login-user').waitFor(WAIT)
    await page.fill('#login-user', 'sched')
    await page.fill('#login-password', PASSWORD)
    await page.click('.login-submit')
    await page.locator(`.week-day[data-date="${SOURCE[6]}"].own`).waitFor(WAIT)
    await page.locator('.ws-source', { hasText: '11月30日–12月6日' }).waitFor(WAIT)

    // 1. The week is dragged onto the next with real mouse moves: down, move, up.
    const target = page.locator(`.ws-target[data-week="${TARGET[0]}"]`)
    await page.locator('.ws-source').hover()
    await page.mouse.down()
    const box = await target.boundingBox()
    if (!box) throw new Error('no target week')
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 12 })
    await page.mouse.move(box.x + box.width / 2 + 3, box.y + box.height / 2 + 2, { steps: 3 })
    await page.locator('.ws-target.over').waitFor(WAIT)
    await page.screenshot({ path: '/tmp/chorus-week-drag.png', fullPage: true })
    await page.mouse.up()

    // It asks first, naming both weeks and the two days it overwrites.
    const box2 = page.locator('.week-copy-confirm')
    await box2.waitFor(WAIT)
    expect(await box2.textContent()).toContain(
      '将 11月30日–12月6日 的节目单复制到 12月7日–12月13日？ 已有的 2 天将被覆盖',
    )
    await box2.locator('.el-message-box__btns .el-button--primary').click()
    await page.locator('.el-message', { hasText: '已复制到 7 天' }).waitFor(WAIT)

    // Every day of the town's next week holds its weekday's items; the district's holds nothing.
    const titles = (d: Day) => d.items.map((i) => i.title)
    for (const [n, date] of TARGET.entries()) {
      const copied = await day(date)
      expect([date, copied.hasOwnOrder, titles(copied)]).toEqual([
        date,
        true,
        [`镇新闻${n + 1}`, `天气${n + 1}`],
      ])
      expect((await day(date, '')).hasOwnOrder).toBe(false)
    }
    // An overwritten day keeps its history: its older order restores.
    const versions = (
      await ctl.api<{ version: number; items: Item[] }[]>(
        'GET',
        `/api/days/${TARGET[1]}/versions?zone=${town}`,
      )
    ).body
    const old = versions.find((v) => v.items.some((i) => i.title === '旧节目'))
    expect(old).toBeDefined()

    // The UI shows the copied week: a click on the strip's week goes there.
    await target.click()
    await page.locator('.week-title', { hasText: `${TARGET[0]} 至 ${TARGET[6]}` }).waitFor(WAIT)
    for (const [n, date] of TARGET.entries()) {
      await page
        .locator(`.week-day[data-date="${date}"].own`, { hasText: `镇新闻${n + 1}` })
        .waitFor(WAIT)
    }

    // 2. A relay (转播) through the form: a refused address first, then a good one.
    const date = TARGET[2] as string
    await page.click(`.week-day[data-date="${date}"]`)
    await page.locator('.order-title', { hasText: date }).waitFor(WAIT)
    await page.click('.add-relay')
    const form = page.locator('.relay-dialog')
    await form.waitFor(WAIT)
    await form.locator('.relay-url input').fill('file:///etc/passwd')
    await form.locator('.relay-start input').fill('19:00')
    await form.locator('.relay-end input').fill('20:30')
    await form.locator('.relay-title input').fill('县台新闻联播')
    await form.locator('.relay-ok').click()
    await form.locator('.el-form-item__error', { hasText: 'rtsp' }).waitFor(WAIT)
    await page.screenshot({ path: '/tmp/chorus-relay-form.png', fullPage: true })
    expect((await day(date)).items.some((i) => i.relay)).toBe(false)
    await form.locator('.relay-url input').fill('http://192.168.1.20:8000/county.mp3')
    await form.locator('.relay-ok').click()
    await form.waitFor({ state: 'hidden', ...WAIT })
    await saved(page)
    const relayOf = async () => (await day(date)).items.find((i) => i.relay)
    await expect.poll(relayOf, WAIT).toMatchObject({
      start: '19:00:00',
      audioId: null,
      title: '县台新闻联播',
      relay: { url: 'http://192.168.1.20:8000/county.mp3', end: '20:30:00' },
    })

    // Its own kind: a 转播 tag and the host in the row and the week view, a relay timeline mark.
    const row = page.locator('.order-row', { has: page.locator('.relay-tag') })
    expect(await row.locator('.item-relay').textContent()).toContain('192.168.1.20:8000')
    await page.locator('.tl-mark.relay').waitFor(WAIT)
    await page
      .locator(`.week-day[data-date="${date}"] .wd-item.relay`, { hasText: '192.168.1.20:8000' })
      .waitFor(WAIT)
    await page.screenshot({ path: '/tmp/chorus-relay-editor.png', fullPage: true })

    // Changed through the same form (end after start), then deleted like any item.
    await row.locator('.item-relay').click()
    await form.locator('.relay-end input').fill('18:00')
    await form.locator('.relay-ok').click()
    await form.locator('.el-form-item__error', { hasText: '晚于开始时间' }).waitFor(WAIT)
    await form.locator('.relay-end input').fill('21:00')
    await form.locator('.relay-url input').fill('rtsp://192.168.1.21/live')
    await form.locator('.relay-ok').click()
    await saved(page)
    await expect
      .poll(async () => (await relayOf())?.relay, WAIT)
      .toEqual({ url: 'rtsp://192.168.1.21/live', end: '21:00:00' })
    await row.locator('.item-remove').click()
    const ask = page.locator('.el-message-box', { hasText: '删除这一段？' })
    await ask.locator('.el-message-box__btns .el-button--primary').click()
    await saved(page)
    await expect.poll(async () => (await relayOf()) ?? null, WAIT).toBeNull()
    expect(titles(await day(date))).toEqual(['镇新闻3', '天气3'])

    // (401: the page asked who is logged in before the login.)
    expect(unexpected(problems, [401])).toEqual({ errors: [], external: [] })
  }, 180_000)
})
