import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clockWithNow } from '../../controller/platform/time.js'
import { startController, type TestController } from '../helpers/controller.js'
import { launch, openPage, signIn } from './browser.js'
import { overflowsX, PHONE, seedZones, text, unexpected, WAIT } from './programme-helpers.js'

// The office's daily pages walked by a scheduler at 1400 × 900 and the installer's on a 390 × 844
// phone, in Chinese and in English, as a user would meet them on an empty system: nothing scrolls
// sideways, no message key shows untranslated, an English table header never breaks inside a
// word, the words are the glossary's (音柱, 插播 / 紧急插播), week spans read month/day as the
// day cards do, and the Talk page says why its button is not yet usable.

// Monday 30 November 2026, 09:00 in Xining.
const NOW = Date.parse('2026-11-30T01:00:00Z')
const PASSWORD = 'Zq7-tw9-Xb93-kLp'
const OFFICE = ['programme', 'calendar', 'announcements', 'audio', 'reports', 'talk', 'plays']
const INSTALLER = ['install', 'map', 'nodes']

async function user(ctl: TestController, username: string, roles: string[]): Promise<void> {
  const r = await ctl.api('POST', '/api/users', { username, password: PASSWORD, roles })
  expect(r.status).toBe(201)
}

/** A page of `username`'s in `lang` (the language switch's stored choice). */
async function open(
  browser: Browser,
  ctl: TestController,
  username: string,
  lang: string,
  phone = false,
) {
  const opened = await openPage(browser, ctl.url, {
    viewport: phone ? PHONE : { width: 1400, height: 900 },
    ...(phone ? { isMobile: true, hasTouch: true } : {}),
  })
  await signIn(opened.page, ctl, { username, password: PASSWORD })
  await opened.page.goto(`${ctl.url}/#/account`)
  await opened.page.evaluate((l) => {
    const g = globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }
    g.localStorage.setItem('chorus.lang', l)
  }, lang)
  return opened
}

/** Shows a page afresh and waits until it asked for everything. */
async function show(page: Page, ctl: TestController, path: string): Promise<void> {
  await page.goto(`${ctl.url}/#/${path}`)
  await page.reload()
  await page.locator('.app-breadcrumb, .phone-frame').first().waitFor(WAIT)
  await page.waitForLoadState('networkidle')
}

/** Text on the page shaped like a message key (`orders.mode.add`), i.e. not translated. */
async function keysShown(page: Page): Promise<string[]> {
  const body = (await page.locator('body').allInnerTexts()).join('\n')
  return [...body.matchAll(/\b[a-z]+(?:\.[a-zA-Z]+){1,3}\b/g)]
    .map((m) => m[0])
    .filter((k) => !/\.(md|json|csv|wav|mp3)$/.test(k) && k !== 'e.g')
}

interface Cell {
  textContent: string | null
  clientWidth: number
  appendChild(n: unknown): void
}

/** Words of table headers wider than their cell, i.e. broken inside the word. */
function brokenHeaders(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const g = globalThis as unknown as {
      document: {
        querySelectorAll(s: string): Iterable<Cell>
        createElement(t: string): {
          textContent: string
          style: Record<string, string>
          getBoundingClientRect(): { width: number }
          remove(): void
        }
      }
      getComputedStyle(e: unknown): { paddingLeft: string; paddingRight: string }
    }
    const out: string[] = []
    for (const cell of g.document.querySelectorAll('.el-table__header th .cell')) {
      if (cell.clientWidth === 0) continue
      const style = g.getComputedStyle(cell)
      const room =
        cell.clientWidth -
        Number.parseFloat(style.paddingLeft) -
        Number.parseFloat(style.paddingRight)
      for (const word of (cell.textContent ?? '').split(/\s+/).filter(Boolean)) {
        const probe = g.document.createElement('span')
        probe.textContent = word
        Object.assign(probe.style, {
          whiteSpace: 'nowrap',
          position: 'absolute',
          visibility: 'hidden',
        })
        cell.appendChild(probe)
        const need = probe.getBoundingClientRect().width
        probe.remove()
        if (need > room + 0.5) out.push(word)
      }
    }
    return out
  })
}

describe("the office's and the installer's daily pages", () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('are usable on an empty system, in Chinese and English, on a desktop and a phone', async () => {
    const ctl = await startController({ clock: clockWithNow(() => NOW) })
    await seedZones(ctl)
    await user(ctl, 'office', ['scheduler'])
    await user(ctl, 'field', ['installer'])
    const found: Record<string, unknown> = {}
    const expected: Record<string, unknown> = {}

    for (const lang of ['zh', 'en']) {
      const { page, problems } = await open(browser, ctl, 'office', lang)
      for (const p of OFFICE) {
        await show(page, ctl, p)
        await page.screenshot({ path: `/tmp/chorus-walk-${lang}-${p}.png`, fullPage: true })
        found[`${lang} ${p}`] = {
          keys: await keysShown(page),
          overflow: await overflowsX(page),
          headers: lang === 'en' ? await brokenHeaders(page) : [],
        }
        expected[`${lang} ${p}`] = { keys: [], overflow: false, headers: [] }
      }
      found[`${lang} problems`] = unexpected(problems)
      expected[`${lang} problems`] = { errors: [], external: [] }

      // Words: the speakers are 音柱; the week chips read month/day like the day cards.
      await show(page, ctl, 'programme')
      if (lang === 'zh') {
        await page.locator('.plays-from', { hasText: '这里的音柱播放工作日模板' }).waitFor(WAIT)
        expect((await page.locator('body').allInnerTexts()).join('\n')).not.toContain('喇叭')
      } else {
        expect(await text(page, '.app-breadcrumb .page-title')).toBe('Running orders')
        expect(await text(page, '.ws-target')).toBe('12/7–12/13')
        expect(await text(page, '.week-day[data-date="2026-12-07"], .week-day')).toMatch(/^11\/30/)
      }
      // The levels of an announcement: 插播, and 紧急插播 only for an emergency.
      await show(page, ctl, 'announcements')
      const levels = await page.locator('.an-level .el-radio').allInnerTexts()
      expect(levels.map((l) => l.trim())).toEqual(
        lang === 'zh' ? ['插播', '紧急插播'] : ['Urgent', 'Emergency'],
      )
      // Talk: the button waits for zones, and says so until they are chosen.
      await show(page, ctl, 'talk')
      await page.locator('.talk-pick-zones').waitFor(WAIT)
      await page.click('.talk-district')
      await page.locator('.talk-pick-zones').waitFor({ state: 'detached', ...WAIT })
      expect(await page.locator('.talk-button').isEnabled()).toBe(true)
    }

    for (const lang of ['zh', 'en']) {
      const { page, problems } = await open(browser, ctl, 'field', lang, true)
      for (const p of INSTALLER) {
        await show(page, ctl, p)
        await page.screenshot({ path: `/tmp/chorus-walk-phone-${lang}-${p}.png`, fullPage: true })
        found[`phone ${lang} ${p}`] = {
          keys: await keysShown(page),
          overflow: await overflowsX(page),
        }
        expected[`phone ${lang} ${p}`] = { keys: [], overflow: false }
      }
      found[`phone ${lang} problems`] = unexpected(problems)
      expected[`phone ${lang} problems`] = { errors: [], external: [] }
    }
    expect(found).toEqual(expected)
  }, 300_000)
})
