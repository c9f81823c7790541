import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { expect } from 'vitest'
import { loginCookie } from '../helpers/auth.js'
import type { TestController } from '../helpers/controller.js'
import { openPage, type PageGlobals, type PageProblems } from './browser.js'

// Shared steps of the programme pages' browser tests (issue 3).

/** Bounded waits: every wait in these tests auto-waits up to this long, never sleeps. */
export const WAIT = { timeout: 20_000 }

/** Desktop and phone viewports. */
export const DESKTOP = { width: 1280, height: 860 }
export const PHONE = { width: 390, height: 844 }

/** The district → town → village tree of PRODUCT.md, plus a community. */
export async function seedZones(ctl: TestController) {
  const zone = async (name: string, parentId: string | null, code: string) => {
    const body = parentId ? { name, parentId, code } : { name, code }
    const r = await ctl.api<{ id: string }>('POST', '/api/zones', body)
    expect(r.status).toBe(201)
    return r.body.id
  }
  const district = await zone('城北区', null, '630105')
  const town = await zone('二十里铺镇', district, '630105100')
  const village = await zone('严小村', town, '630105100201')
  const community = await zone('西海路社区', district, '630105001001')
  return { district, town, village, community }
}

/**
 * A page logged in as the admin (the session cookie in its context, as the login page would
 * leave it), in Chinese, recording page errors and requests that leave the controller.
 */
export async function openLoggedIn(
  browser: Browser,
  ctl: TestController,
  options: BrowserContextOptions = {},
  /** Where the page is opened, if not at the controller itself (e.g. through a proxy). */
  origin = ctl.url,
): Promise<{ page: Page; problems: PageProblems }> {
  const session = await loginCookie(ctl)
  const [name = '', ...rest] = session.cookie.split('=')
  const opened = await openPage(browser, origin, { viewport: DESKTOP, ...options })
  await opened.page.context().addCookies([{ name, value: rest.join('='), url: origin }])
  return opened
}

/**
 * Whether the page scrolls sideways (a phone layout must not), once the layout settled after a
 * viewport change: false, or the page's scroll width.
 */
export async function overflowsX(page: Page): Promise<false | number> {
  const width = () =>
    page.evaluate(() => {
      const d = (globalThis as unknown as PageGlobals).document.documentElement
      return d.scrollWidth > d.clientWidth + 1 ? d.scrollWidth : false
    })
  // Charts redraw at the new width on their ResizeObserver's next callback.
  await expect
    .poll(width, { timeout: 5000 })
    .toBe(false)
    .catch(() => {})
  return width()
}

/**
 * Page problems without the browser's own log line for an answer the test provoked on purpose
 * (e.g. "Failed to load resource: … status of 409"), which Chromium prints as a console error.
 */
export function unexpected(problems: PageProblems, statuses: number[] = []) {
  const expected = (e: string) =>
    statuses.some((s) => e.includes('Failed to load resource') && e.includes(`status of ${s}`))
  return { errors: problems.errors.filter((e) => !expected(e)), external: problems.external }
}

/** Text of a locator, trimmed. */
export async function text(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').trim()
}
