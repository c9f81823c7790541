import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMonths } from '../../controller/web/src/views/calendar-data.js'
import { instantToLocalDate } from '../../schedules/index.js'
import { startController } from '../helpers/controller.js'
import { launch } from './browser.js'
import { openLoggedIn, overflowsX, PHONE, text, unexpected, WAIT } from './programme-helpers.js'

const TZ = 'Asia/Shanghai'

interface CalendarDay {
  date: string
  type: 'working' | 'rest'
  source: 'override' | 'official' | 'weekday'
  note: string | null
  targetCount: number
}

describe('web UI: holiday calendar', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('marks a working day of next month as a holiday, shows it in its editor, and clears it again', async () => {
    const ctl = await startController()
    const month = addMonths(instantToLocalDate(Date.now(), TZ).slice(0, 7), 1)
    const cal = await ctl.api<{ days: CalendarDay[] }>('GET', `/api/calendar?month=${month}`)
    const day = cal.body.days.find((d) => d.type === 'working')
    if (!day) throw new Error(`no working day in ${month}`)
    const { page, problems } = await openLoggedIn(browser, ctl)

    // The month: each date working or rest, with its count against its template's target.
    await page.goto(`${ctl.url}/#/calendar?month=${month}`)
    const cell = page.locator(`.cal-day[data-date="${day.date}"]`)
    await cell.and(page.locator('[data-type="working"]')).waitFor(WAIT)
    expect(await cell.locator('.cal-type').textContent()).toBe('工作日')
    expect(await cell.locator('.cal-count').textContent()).toBe('0/15')
    expect(await page.locator('.cal-day').count()).toBe(cal.body.days.length)

    // Pick it, name the holiday, mark it a rest day.
    await cell.click()
    await page.locator(`.cal-day-panel[data-date="${day.date}"]`).waitFor(WAIT)
    expect(await text(page, '.cal-day-line')).toMatch(/^工作日 · (官方日历|按星期推算)$/)
    await page.fill('#cal-note', '社区文化节')
    await page.getByRole('button', { name: '设为休息日' }).click()
    const rest = cell.and(page.locator('[data-type="rest"][data-source="override"]'))
    await rest.waitFor(WAIT)
    expect(await cell.locator('.cal-name').textContent()).toBe('社区文化节')
    expect(await cell.locator('.cal-count').textContent()).toBe('0/10')
    expect(await cell.locator('.cal-override').count()).toBe(1)
    expect(await text(page, '.cal-day-line')).toBe('休息日 · 社区文化节 · 办公室设定')
    const saved = await ctl.api<CalendarDay>('GET', `/api/calendar/${day.date}`)
    expect(saved.body).toMatchObject({ type: 'rest', source: 'override', note: '社区文化节' })
    // The choice is in the address, so a reload shows the same.
    expect(page.url()).toContain(`date=${day.date}`)
    await page.screenshot({ path: '/tmp/chorus-calendar.png', fullPage: true })
    await page.setViewportSize(PHONE)
    expect(await overflowsX(page)).toBe(false)
    await page.screenshot({ path: '/tmp/chorus-calendar-phone.png', fullPage: true })

    // Its running order is now the rest-day template's, and says why.
    await page.getByRole('link', { name: '编辑这一天的节目单' }).click()
    await page.waitForURL(`**/#/programme/${day.date}`, WAIT)
    await page.locator('.or-meta', { hasText: '休息日' }).waitFor(WAIT)
    expect(await text(page, '.or-meta')).toBe('休息日 · 办公室设定')
    expect(await text(page, '.or-count')).toBe('已排 0 段 / 目标 10 段 · 10 个空位')
    expect(await page.locator('li.or-row[data-origin="template"]').count()).toBe(10)
    expect(await page.locator('li.or-row .or-time:disabled').count()).toBe(10)

    // Its own order: replace the template, starting from a copy; a drill day; then back.
    await page.locator('.or-modes [data-mode="replace"]').click()
    await page.locator('.or-save[data-save="saved"]').waitFor(WAIT)
    expect(await page.locator('li.or-row[data-origin="date"] .or-time:enabled').count()).toBe(10)
    await page.locator('li.or-row').first().getByRole('button', { name: /^删除/ }).click()
    await page.check('#or-drill')
    await page.locator('.or-count', { hasText: '9 个空位' }).waitFor(WAIT)
    await page.locator('.or-save[data-save="saved"]').waitFor(WAIT)
    await page.locator('.or-day-issues [data-code="COUNT_MISMATCH"]').waitFor(WAIT)
    expect(await text(page, '.or-day-issues')).toBe('这一天排了 9 段，目标是 10 段')
    const own = await ctl.api<{ mode: string; drill: boolean; items: unknown[] }>(
      'GET',
      `/api/days/${day.date}`,
    )
    expect(own.body).toMatchObject({ mode: 'replace', drill: true })
    expect(own.body.items).toHaveLength(9)
    await page.locator('.or-modes [data-mode="template"]').click()
    await page.locator('dialog').getByRole('button', { name: '恢复为模板' }).click()
    await page.locator('li.or-row[data-origin="template"]').nth(9).waitFor(WAIT)
    await page.locator('.or-save[data-save="saved"]').waitFor(WAIT)
    const back = await ctl.api<{ hasOwnOrder: boolean }>('GET', `/api/days/${day.date}`)
    expect(back.body.hasOwnOrder).toBe(false)

    // Back in the calendar, the override is cleared: the official calendar again.
    await page.goto(`${ctl.url}/#/calendar?month=${month}&date=${day.date}`)
    await page.getByRole('button', { name: '清除设定，恢复官方日历' }).click()
    await cell.and(page.locator('[data-type="working"]')).waitFor(WAIT)
    expect(await cell.getAttribute('data-source')).not.toBe('override')
    expect(await cell.locator('.cal-count').textContent()).toBe('0/15')
    expect((await ctl.api<CalendarDay>('GET', `/api/calendar/${day.date}`)).body.type).toBe(
      'working',
    )

    // Months move back and forth; English names the weekdays.
    const [y, m] = addMonths(month, 1).split('-')
    await page.getByRole('button', { name: '下月 ›' }).click()
    await page.locator('.cal-month', { hasText: `${y} 年 ${Number(m)} 月` }).waitFor(WAIT)
    await page.getByRole('button', { name: 'Switch to English' }).click()
    await page.locator('.cal-grid th', { hasText: 'Mon' }).waitFor(WAIT)
    expect(await text(page, '.cal-day-panel .panel-note')).toContain('Pick a date')

    expect(unexpected(problems)).toEqual({ errors: [], external: [] })
  })
})
