import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chirp, writeRealTime } from '../../testing/live-audio.js'
import { createUser } from '../helpers/auth.js'
import { startController } from '../helpers/controller.js'
import { launch, openPage, signIn } from './browser.js'
import { DESKTOP, seedZones, unexpected, WAIT } from './programme-helpers.js'

// The Talk page's history (issue 13): an ended live session is listed with who spoke, how long
// and how many nodes sounded it, and its recording plays from the page (the browser fetches it
// with the user's session); a session outside the user's zones is not listed.

const PW = 'talk-history-Password-2026'

/** The page's <audio> element, as far as the test uses it (Node's types have no DOM). */
interface MediaLike {
  duration: number
  preload: string
  load(): void
  addEventListener(type: string, fn: () => void, opts: { once: boolean }): void
}

describe('web UI: Talk history', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it("lists the user's zones' past sessions with their recordings", async () => {
    const ctl = await startController()
    const { town, community } = await seedZones(ctl)
    const officer = await createUser(ctl, {
      username: 'town-officer',
      password: PW,
      roles: ['scheduler'],
      zones: [town],
    })
    const hub = ctl.controller.deps?.services.live
    if (!hub) throw new Error('no live hub')
    const speak = async (zones: string[]) => {
      const s = hub.open({
        kind: 'voice',
        zones,
        by: officer,
        maxMs: 60_000,
        source: { pcm: true },
      })
      await writeRealTime(s, chirp(1))
      s.end('ended')
      await hub.settled(s.id)
      return s.id
    }
    const mine = await speak([town])
    const elsewhere = await speak([community])

    const { page, problems } = await openPage(browser, ctl.url, { viewport: DESKTOP })
    await signIn(page, ctl, { username: 'town-officer', password: PW })
    await page.goto(`${ctl.url}/#/talk`)
    const row = page.locator(`.th-row[data-session="${mine}"]`)
    await row.waitFor(WAIT)
    expect(await row.textContent()).toMatch(/喊话.*town-officer.*时长 0:0\d · 0\/0 个节点播出/)
    expect(await page.locator(`.th-row[data-session="${elsewhere}"]`).count()).toBe(0)
    // The recording plays in the page: the browser loads it with the user's session.
    const duration = await row.locator('audio').evaluate(
      (a: MediaLike) =>
        new Promise<number>((resolve, reject) => {
          a.addEventListener('loadedmetadata', () => resolve(a.duration), { once: true })
          a.addEventListener('error', () => reject(new Error('audio error')), { once: true })
          a.preload = 'metadata'
          a.load()
        }),
    )
    expect(duration).toBeGreaterThan(0.5)
    await page.screenshot({ path: '/tmp/chorus-livereport-talk-history-zh.png' })
    expect(unexpected(problems)).toEqual({ errors: [], external: [] })
  })
})
