import { existsSync } from 'node:fs'
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core'
import { onTestFinished } from 'vitest'
import { loginCookie } from '../helpers/auth.js'
import type { TestController } from '../helpers/controller.js'

/** Debian's Chromium (`apt-get install chromium`); .ci/run installs it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Launches headless Chromium with no network side-traffic of its own; `extraArgs` add switches
 * (the Talk test's fake microphone: `--use-fake-device-for-media-stream` and its file).
 */
export function launch(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`)
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  })
}

/** Where a test keeps what the page did wrong; asserted empty at the end of a test. */
export interface PageProblems {
  errors: string[]
  external: string[]
}

/**
 * A fresh page in its own context (own localStorage), closed when the test finishes. Page errors,
 * console errors and any request that leaves `origin` are recorded: the UI must work offline.
 */
export async function openPage(
  browser: Browser,
  origin: string,
  options: BrowserContextOptions = {},
): Promise<{ page: Page; problems: PageProblems }> {
  const context = await browser.newContext({ locale: 'zh-CN', ...options })
  onTestFinished(() => context.close())
  const page = await context.newPage()
  const problems: PageProblems = { errors: [], external: [] }
  page.on('pageerror', (err) => problems.errors.push(err.message))
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.errors.push(msg.text())
  })
  page.on('request', (req) => {
    const url = req.url()
    if (!url.startsWith(origin) && !url.startsWith('data:')) problems.external.push(url)
  })
  return { page, problems }
}

/**
 * The browser globals the in-page callbacks use. The root tsconfig has no DOM lib (the server
 * code must not see one), so callbacks cast `globalThis` to this; the cast vanishes at run time.
 */
export interface PageGlobals {
  marker?: number
  document: {
    documentElement: { scrollWidth: number; clientWidth: number }
    querySelector(selector: string): unknown
    querySelectorAll(selector: string): { length: number }
  }
  getComputedStyle(el: unknown, pseudo?: string): { display: string; content: string }
  MutationObserver: new (
    callback: (records: { target: PageNode }[]) => void,
  ) => { observe(target: unknown, options: Record<string, boolean>): void }
  watch?: { rows: Set<string>; reordered: number }
}

/** A DOM node as PageGlobals sees it. */
export interface PageNode {
  nodeType: number
  parentElement: PageNode | null
  closest?(selector: string): { dataset: Record<string, string | undefined> } | null
}

/**
 * Logs in through the API (the admin by default) and puts the session cookie into the page's
 * context, as the login page would leave it; `origin` is where the page is opened (a proxy in
 * front of the controller shares the host, and so the cookie).
 */
export async function signIn(
  page: Page,
  ctl: TestController,
  opts: { origin?: string; username?: string; password?: string } = {},
): Promise<void> {
  const session = await loginCookie(ctl, opts.username, opts.password)
  const [name = '', ...value] = session.cookie.split('=')
  await page
    .context()
    .addCookies([{ name, value: value.join('='), url: opts.origin ?? ctl.url, sameSite: 'Strict' }])
}
