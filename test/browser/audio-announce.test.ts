import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAgent } from '../helpers/agent.js'
import { makeTone } from '../helpers/audio.js'
import { createUser, loginCookie, tokenHeaders } from '../helpers/auth.js'
import { startController, type TestController } from '../helpers/controller.js'
import { tmpDir } from '../helpers/tmp-dir.js'
import { launch, openPage } from './browser.js'
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

// The new web UI's recordings and announcements pages (issue 11), porting the classic
// programme-audio and programme-announce journeys: several files uploaded at once, each with
// its progress and its own outcome; the library lists them with the uploading user; a preview
// plays the delivered file; a recording the programme uses is not deleted, and the page says
// where it is used. An announcement to one zone reaches the enrolled agent there and shows it
// acknowledged and played, live; a scheduler limited to a town can target only that town.

/** Records every state each upload row of the page goes through (by file name). */
async function watchUploads(page: Page): Promise<void> {
  await page.evaluate(() => {
    type El = { dataset: { state?: string; name?: string }; querySelectorAll(s: string): El[] }
    const g = globalThis as unknown as {
      document: { querySelector(s: string): unknown }
      uploadStates: Record<string, string[]>
      MutationObserver: new (cb: () => void) => { observe(el: unknown, o: object): void }
    }
    g.uploadStates = {}
    const root = g.document.querySelector('.upload-panel') as unknown as El
    const seen = () => {
      for (const el of root.querySelectorAll('.upload-item')) {
        const name = el.dataset.name ?? ''
        g.uploadStates[name] ??= []
        const list = g.uploadStates[name]
        const state = el.dataset.state ?? ''
        if (list[list.length - 1] !== state) list.push(state)
      }
    }
    new g.MutationObserver(seen).observe(root, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-state'],
    })
  })
}

/** A page logged in as `username` (not the admin), in Chinese. */
async function openAs(browser: Browser, ctl: TestController, username: string, password: string) {
  const session = await loginCookie(ctl, username, password)
  const [name = '', ...rest] = session.cookie.split('=')
  const opened = await openPage(browser, ctl.url, { viewport: DESKTOP })
  await opened.page.context().addCookies([{ name, value: rest.join('='), url: ctl.url }])
  return opened
}

/** Ticks a zone in the open tree select's dropdown. */
async function tickZone(page: Page, name: string): Promise<void> {
  await page
    .locator('.el-tree-select__popper:visible .el-tree-node__content', { hasText: name })
    .first()
    .click()
}

describe('web UI: recordings and announcements', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('uploads several files at once with progress, lists them with their author, previews, and refuses to delete what is used', async () => {
    const ctl = await startController()
    const dir = tmpDir()
    const column = await ctl.api<{ id: string }>('POST', '/api/columns', {
      name: '新闻',
      colour: '#3366cc',
    })
    expect(column.status).toBe(201)
    const { page, problems } = await openLoggedIn(browser, ctl)
    await page.goto(`${ctl.url}/#/audio`)
    await page.locator('.library-table', { hasText: '音频库还是空的' }).waitFor(WAIT)

    // Three files at once into 新闻: two recordings and one that is not audio.
    await page.click('.upload-column')
    await page.locator('.el-select-dropdown__item:visible', { hasText: '新闻' }).click()
    await watchUploads(page)
    // A newer login in this browser (another tab) makes the page's CSRF token stale: the uploads
    // ask for the new one and go through.
    const again = await page.evaluate(async (password) => {
      const res = await fetch('./api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      })
      return res.status
    }, ctl.adminPassword)
    expect(again).toBe(200)
    const bad = join(dir, 'notes.mp3')
    writeFileSync(bad, 'these are meeting notes, not a recording\n'.repeat(50))
    const files = [
      await makeTone(dir, 'morning-news', 2, 440),
      bad,
      await makeTone(dir, 'weather', 3, 550),
    ]
    await page.setInputFiles('.upload-drop input[type=file]', files)
    const item = (name: string) => page.locator(`.upload-item[data-name="${name}"]`)
    await item('morning-news.wav').and(page.locator('[data-state="done"]')).waitFor(WAIT)
    await item('weather.wav').and(page.locator('[data-state="done"]')).waitFor(WAIT)
    await item('notes.mp3').and(page.locator('[data-state="failed"]')).waitFor(WAIT)
    // Each file had its own progress bar and went up, then was processed, then stored.
    expect(await page.locator('.upload-item .el-progress').count()).toBe(3)
    const seen = await page.evaluate(
      () => (globalThis as unknown as { uploadStates: Record<string, string[]> }).uploadStates,
    )
    for (const name of ['morning-news.wav', 'weather.wav']) {
      expect(seen[name]?.slice(-3)).toEqual(['uploading', 'processing', 'done'])
    }
    expect(seen['notes.mp3']?.at(-1)).toBe('failed')
    // The refusal is the server's reason, in words, on that file only.
    expect(await item('notes.mp3').locator('.upload-outcome').textContent()).toMatch(
      /^上传失败：不是可用的音频：/,
    )
    expect(await item('morning-news.wav').locator('.upload-outcome').textContent()).toBe(
      '“morning-news”（0:02）已加入音频库。',
    )
    expect(await text(page, '.upload-summary')).toContain('3 / 3 个文件已完成')

    // The library: both recordings, with column, duration, loudness and the logged-in author.
    const row = (title: string) => page.locator('.library-table tbody tr', { hasText: title })
    await row('weather').waitFor(WAIT)
    await row('morning-news').waitFor(WAIT)
    expect(await page.locator('.library-table tbody tr').count()).toBe(2)
    expect(await row('morning-news').locator('.lib-column').textContent()).toContain('新闻')
    expect(await row('morning-news').locator('.lib-duration').textContent()).toBe('0:02')
    expect(await row('weather').locator('.lib-duration').textContent()).toBe('0:03')
    expect(await row('weather').locator('.lib-loudness').textContent()).toMatch(
      /-\d+\.\d → -\d+\.\d/,
    )
    expect(await row('weather').locator('.lib-by').textContent()).toBe('admin')
    expect(await row('weather').textContent()).toContain('weather.wav')

    // Preview: an audio element in the page playing the delivered file.
    await row('weather').locator('.lib-preview').click()
    const player = row('weather').locator('audio.lib-player')
    await player.waitFor(WAIT)
    const listed = await ctl.api<{ id: string; sha256: string; title: string }[]>(
      'GET',
      '/api/audio',
    )
    const weather = listed.body.find((a) => a.title === 'weather')
    expect(await player.getAttribute('src')).toBe(`../api/audio/files/${weather?.sha256}`)
    const fetched = await page.evaluate(async (src) => {
      const res = await fetch(src)
      return { status: res.status, type: res.headers.get('content-type') }
    }, `../api/audio/files/${weather?.sha256}`)
    expect(fetched).toEqual({ status: 200, type: 'audio/mpeg' })

    // Search narrows the list (and is kept in the address).
    await page.fill('.library-q input', 'weath')
    await page.locator('.library-table tbody tr', { hasText: 'morning-news' }).waitFor({
      state: 'detached',
      ...WAIT,
    })
    expect(page.url()).toContain('q=weath')
    await page.fill('.library-q input', '')
    await row('morning-news').waitFor(WAIT)

    // Rename.
    await row('morning-news').locator('.lib-edit').click()
    await page.locator('.audio-dialog .audio-title-input input').fill('早间新闻')
    await page.click('.audio-dialog .audio-save')
    await row('早间新闻').waitFor(WAIT)

    // Used by the working-day template: the refusal says where; the row stays.
    const news = listed.body.find((a) => a.title === 'morning-news')?.id as string
    const tpl = await ctl.api<{ items: { audioId: string | null }[] }>(
      'GET',
      '/api/templates/working',
    )
    const items = tpl.body.items.map((i, k) => (k === 0 ? { ...i, audioId: news } : i))
    expect((await ctl.api('PUT', '/api/templates/working', { items })).status).toBe(200)
    await row('早间新闻').locator('.lib-usage').click()
    await page.locator('.lib-usage-text:visible', { hasText: '工作日模板' }).waitFor(WAIT)
    await row('早间新闻').locator('.lib-delete').click()
    await page.click('.el-message-box__btns .el-button--primary')
    const refused = page.locator('.library-delete-refused')
    await refused.waitFor(WAIT)
    expect(await refused.textContent()).toMatch(/不能删除“早间新闻”：仍在使用：工作日模板/)
    expect(await row('早间新闻').count()).toBe(1)
    // The other is used nowhere: deleted.
    await row('weather').locator('.lib-delete').click()
    await page.click('.el-message-box__btns .el-button--primary')
    await row('weather').waitFor({ state: 'detached', ...WAIT })
    expect((await ctl.api<unknown[]>('GET', '/api/audio')).body).toHaveLength(1)

    await page.screenshot({ path: '/tmp/chorus-next-audio.png', fullPage: true })
    await page.setViewportSize(PHONE)
    expect(await overflowsX(page)).toBe(false)
    await page.screenshot({ path: '/tmp/chorus-next-audio-phone.png', fullPage: true })
    // 403: the stale CSRF token; 409: the refused delete; 422: the file that is not audio.
    expect(unexpected(problems, [403, 409, 422])).toEqual({ errors: [], external: [] })
  })

  it('sends an announcement to one zone that an enrolled agent acknowledges and plays, live; a town scheduler targets only the town', async () => {
    const ctl = await startController()
    const zones = await seedZones(ctl)
    const live = await startAgent(ctl, {
      name: '西海路 1号喇叭',
      zone: zones.community,
      sink: 'null',
    })
    const asleep = await ctl.register('西海路 2号喇叭', zones.community)
    const elsewhere = await ctl.register('严小村 村委会', zones.village)
    const audio = await ctl.upload(await makeTone(tmpDir(), 'water', 2, 660), '停水通知')
    const { page, problems } = await openLoggedIn(browser, ctl)
    await page.goto(`${ctl.url}/#/announcements`)
    await page.locator('.an-hint').waitFor(WAIT)

    // The recording, searched in the library; the zone, from the tree.
    await page.click('.an-audio')
    await page.keyboard.type('停水')
    await page.locator('.el-select-dropdown__item:visible', { hasText: '停水通知' }).click()
    await page.click('.an-preview')
    expect(await page.locator('audio.an-player').getAttribute('src')).toBe(
      `../api/audio/files/${audio.sha256}`,
    )
    await page.click('.an-zones')
    await tickZone(page, '西海路社区')
    await page.keyboard.press('Escape')
    await page.click('.an-send')
    const confirm = page.locator('.announce-confirm')
    await confirm.waitFor(WAIT)
    expect(await confirm.locator('.el-message-box__title').textContent()).toBe('发送插播？')
    expect(await confirm.locator('.el-message-box__message').textContent()).toBe(
      '“停水通知”将立即播给 西海路社区。',
    )
    await confirm.locator('.el-button--primary').click()

    // Live delivery: the two nodes of the zone, the live one acknowledged, the other pending.
    const panel = page.locator('.announce-detail[data-announcement-id]')
    await panel.waitFor(WAIT)
    const mine = panel.locator(`.ad-node[data-node-id="${live.nodeId}"]`)
    await mine.and(page.locator('[data-delivery="acknowledged"]')).waitFor(WAIT)
    const nodeRow = (id: string) =>
      panel.locator('tbody tr', { has: page.locator(`.ad-node[data-node-id="${id}"]`) })
    const mineRow = nodeRow(live.nodeId)
    expect(await mineRow.locator('.ad-delivery').textContent()).toContain('已确认')
    const other = panel.locator(`.ad-node[data-node-id="${asleep.id}"]`)
    expect(await other.getAttribute('data-delivery')).toBe('pending')
    expect(await nodeRow(asleep.id).textContent()).toContain('离线')
    expect(await panel.locator(`[data-node-id="${elsewhere.id}"]`).count()).toBe(0)
    expect(await panel.locator('tbody tr').count()).toBe(2)
    await panel.locator('.ad-counts', { hasText: '已确认 1 / 2 个节点' }).waitFor(WAIT)
    expect(await text(page, '.ad-pending')).toBe('1 个节点待确认：西海路 2号喇叭（离线）')
    await panel.and(page.locator('[data-status="delivered"]')).waitFor(WAIT)
    await mineRow.locator('.ad-play', { hasText: '已播' }).waitFor(WAIT)
    // The recent list has it, with its acknowledgements and its author.
    const listed = page.locator('.an-table tbody tr', { hasText: '停水通知' })
    await listed.locator('.an-ack', { hasText: '1 / 2' }).waitFor(WAIT)
    // The levels' words are the glossary's: 插播, and 紧急插播 only for an emergency.
    expect((await listed.locator('.an-row-level').textContent())?.trim()).toBe('插播')
    expect(await listed.textContent()).toContain('admin')
    const id = (await panel.getAttribute('data-announcement-id')) as string
    const view = await ctl.api<{ zones: string[]; level: string; createdBy: string }>(
      'GET',
      `/api/announcements/${id}`,
    )
    expect(view.body).toMatchObject({
      zones: [zones.community],
      level: 'urgent',
      createdBy: 'admin',
    })
    await page.screenshot({ path: '/tmp/chorus-next-announce.png', fullPage: true })
    expect(unexpected(problems)).toEqual({ errors: [], external: [] })

    // A scheduler limited to the town: the admin's announcement to the community is not shown;
    // a district-wide one reaches the town's nodes: shown, but not withdrawn from here. Only the
    // town and its village are offered; nothing chosen is refused before sending.
    const wide = await ctl.api<{ id: string }>('POST', '/api/announcements', {
      audioId: audio.id,
      priority: 'urgent',
      title: '全区防汛通知',
      at: new Date(Date.now() + 2 * 3600_000).toISOString(),
    })
    expect(wide.status).toBe(201)
    await createUser(ctl, {
      username: 'li',
      password: 'scheduler-pw-2026',
      roles: ['scheduler'],
      zones: [zones.town],
    })
    const li = await openAs(browser, ctl, 'li', 'scheduler-pw-2026')
    await li.page.goto(`${ctl.url}/#/announcements?id=${wide.body.id}`)
    await li.page.locator('.announce-detail', { hasText: '全区防汛通知' }).waitFor(WAIT)
    await li.page.locator('.an-table tbody tr', { hasText: '全区防汛通知' }).waitFor(WAIT)
    expect(await li.page.locator('.an-table tbody tr', { hasText: '停水通知' }).count()).toBe(0)
    expect(await li.page.locator('.ad-cancel').count()).toBe(0)
    expect(
      (
        await ctl.apiWith(
          await tokenHeaders(ctl, ['scheduler'], [zones.town]),
          'GET',
          `/api/announcements/${id}`,
        )
      ).status,
    ).toBe(403)
    await li.page.click('.an-zones')
    const offered = li.page.locator(
      '.el-tree-select__popper:visible .el-tree-node__content .el-select-dropdown__item',
    )
    await offered.first().waitFor(WAIT)
    expect(await offered.allTextContents()).toEqual(['二十里铺镇', '严小村'])
    await li.page.keyboard.press('Escape')
    await li.page.click('.an-audio')
    await li.page.locator('.el-select-dropdown__item:visible', { hasText: '停水通知' }).click()
    await li.page.click('.an-send')
    await li.page.locator('.an-problem', { hasText: '你只能向自己负责的区域插播' }).waitFor(WAIT)
    // Into the village, an emergency at a later time, from a fresh recording uploaded with it:
    // reaching the village's node; withdrawn.
    await li.page.locator('.an-source .el-radio', { hasText: '上传新录音' }).click()
    await li.page.setInputFiles(
      '.an-file input[type=file]',
      await makeTone(tmpDir(), 'fire', 2, 880),
    )
    await li.page.locator('.an-file-name', { hasText: 'fire.wav' }).waitFor(WAIT)
    await li.page.fill('.an-title input', '消防演练通知')
    await li.page.locator('.an-level .el-radio', { hasText: '紧急插播' }).click()
    await li.page.click('.an-zones')
    await tickZone(li.page, '严小村')
    await li.page.keyboard.press('Escape')
    await li.page.locator('.an-when .el-radio', { hasText: '指定时间' }).click()
    const later = new Date(Date.now() + 30 * 60_000)
    const [day = '', clock = ''] = later
      .toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' })
      .split(' ')
    const local = clock.slice(0, 5)
    await li.page.fill('.an-date input', day)
    await li.page.keyboard.press('Enter')
    await li.page.fill('.an-time input', local)
    await li.page.click('.an-send')
    await li.page.locator('.announce-confirm').waitFor(WAIT)
    expect(await li.page.locator('.announce-confirm .el-message-box__title').textContent()).toBe(
      '发送紧急插播？',
    )
    expect(await li.page.locator('.announce-confirm .el-message-box__message').textContent()).toBe(
      `“消防演练通知”将在 ${day} ${local} 播给 严小村。`,
    )
    await li.page.locator('.announce-confirm .el-button--primary').click()
    const mineNow = li.page
      .locator('.announce-detail', { hasText: '消防演练通知' })
      .and(li.page.locator('.announce-detail', { hasText: '严小村 村委会' }))
    await mineNow.waitFor(WAIT)
    // The village's node is offline: it will get it when it connects.
    expect(
      await mineNow
        .locator(`.ad-node[data-node-id="${elsewhere.id}"]`)
        .getAttribute('data-delivery'),
    ).toBe('pending')
    const scheduled = (await mineNow.getAttribute('data-announcement-id')) as string
    expect(await mineNow.locator('.ad-meta').textContent()).toContain('紧急插播')
    const sent = await ctl.api<{
      zones: string[]
      at: string
      createdBy: string
      level: string
      audioId: string
    }>('GET', `/api/announcements/${scheduled}`)
    expect(sent.body).toMatchObject({ zones: [zones.village], createdBy: 'li', level: 'emergency' })
    // The fresh recording is in the library, with li as its author.
    const fresh = await ctl.api<{ uploadedBy: string; originalName: string }>(
      'GET',
      `/api/audio/${sent.body.audioId}`,
    )
    expect(fresh.body).toMatchObject({ uploadedBy: 'li', originalName: 'fire.wav' })
    expect(Math.abs(Date.parse(sent.body.at) - later.getTime())).toBeLessThan(60_000)
    await li.page.click('.ad-cancel')
    await li.page.locator('.announce-cancel-confirm .el-button--primary').click()
    await li.page.locator('.announce-detail[data-status="cancelled"]').waitFor(WAIT)
    await li.page.screenshot({ path: '/tmp/chorus-next-announce-li.png', fullPage: true })
    await li.page.setViewportSize(PHONE)
    expect(await overflowsX(li.page)).toBe(false)
    await li.page.screenshot({ path: '/tmp/chorus-next-announce-phone.png', fullPage: true })
    expect(unexpected(li.problems)).toEqual({ errors: [], external: [] })
  })
})
