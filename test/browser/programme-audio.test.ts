import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ffmpegPath, makeTone } from '../helpers/audio.js'
import { startController } from '../helpers/controller.js'
import { tmpDir } from '../helpers/tmp-dir.js'
import { launch } from './browser.js'
import { openLoggedIn, overflowsX, PHONE, text, unexpected, WAIT } from './programme-helpers.js'

/** Two seconds of digital silence, as a WAV file. */
function silence(dir: string): string {
  const file = join(dir, 'silence.wav')
  const r = spawnSync(ffmpegPath, [
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'anullsrc=r=44100:cl=mono',
    '-t',
    '2',
    '-y',
    file,
  ])
  if (r.status !== 0) throw new Error(`ffmpeg: ${r.stderr}`)
  return file
}

/** Uploads a file through the form; resolves with the states the status line went through. */
async function upload(page: Page, file: string, title = ''): Promise<string[]> {
  await page.evaluate(() => {
    const g = globalThis as unknown as {
      states: string[]
      document: { querySelector(s: string): unknown }
      MutationObserver: new (
        cb: () => void,
      ) => { observe(el: unknown, o: Record<string, unknown>): void }
    }
    g.states = []
    const el = g.document.querySelector('.up-status') as { dataset: { state?: string } }
    new g.MutationObserver(() => {
      const s = el.dataset.state ?? ''
      if (g.states[g.states.length - 1] !== s) g.states.push(s)
    }).observe(el, { attributes: true, attributeFilter: ['data-state'] })
  })
  await page.setInputFiles('#up-file', file)
  if (title) await page.fill('#up-title', title)
  await page.getByRole('button', { name: '上传', exact: true }).click()
  await page.locator('.up-status[data-state="done"], .up-status[data-state="error"]').waitFor(WAIT)
  return page.evaluate(() => (globalThis as unknown as { states: string[] }).states)
}

describe('web UI: audio library and columns', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('uploads with progress, lists, filters, edits, refuses bad files and deletes only what the programme does not use', async () => {
    const ctl = await startController()
    const dir = tmpDir()
    const { page, problems } = await openLoggedIn(browser, ctl)
    await page.goto(`${ctl.url}/#/audio`)
    await page.locator('.message', { hasText: '音频库还是空的' }).waitFor(WAIT)

    // Columns with colour and default priority.
    for (const [name, priority] of [
      ['新闻', '40'],
      ['天气', '30'],
    ] as const) {
      await page.fill('#col-new-name', name)
      await page.fill('#col-new-priority', priority)
      await page.getByRole('button', { name: '添加栏目' }).click()
      await page.locator('.col-item', { hasText: name }).waitFor(WAIT)
    }
    expect(await text(page, '.col-item:has-text("新闻") .col-priority')).toBe('优先级 40')

    // A recording: progress, then processing, then done, with its measured figures.
    await page.selectOption('#up-column', { label: '新闻' })
    const news = await makeTone(dir, 'news', 2, 440)
    expect(await upload(page, news, '早间新闻')).toEqual(['uploading', 'processing', 'done'])
    const row = page.locator('.audio-table tbody tr', { hasText: '早间新闻' })
    await row.waitFor(WAIT)
    expect(await row.locator('.au-col').textContent()).toBe('新闻')
    expect(await row.locator('td.num').first().textContent()).toBe('0:02')
    expect(await row.textContent()).toContain('news.wav')
    expect(await row.textContent()).toContain('admin') // the logged-in uploader
    // The same recording again is stored once.
    await upload(page, news)
    expect(await text(page, '.up-status')).toBe('这段录音已在音频库中：“早间新闻”（0:02）。')
    // Silence is stored, flagged, and said so.
    await upload(page, silence(dir), '静音测试')
    expect(await text(page, '.up-status')).toContain('几乎没有声音')
    const quiet = page.locator('.audio-table tbody tr', { hasText: '静音测试' })
    await quiet.and(page.locator('[data-silent="true"]')).waitFor(WAIT)
    expect(await quiet.locator('.au-silent').isVisible()).toBe(true)
    // Not audio: refused in words, nothing listed.
    const bad = join(dir, 'notes.mp3')
    writeFileSync(bad, 'these are meeting notes, not a recording\n'.repeat(50))
    expect(await upload(page, bad)).toContain('error')
    expect(await text(page, '.up-status')).toMatch(/^上传失败：不是可用的音频：/)
    expect(await page.locator('.audio-table tbody tr').count()).toBe(2)

    // Filters: column, silent flag, search; kept in the address.
    await page.selectOption('#au-column', { label: '新闻' })
    await page.locator('.audio-table tbody tr', { hasText: '静音测试' }).waitFor({
      state: 'detached',
      ...WAIT,
    })
    expect(await page.locator('.audio-table tbody tr').count()).toBe(1)
    expect(page.url()).toContain('column=c-')
    await page.selectOption('#au-column', '')
    await page.selectOption('#au-silent', 'true')
    await page.locator('.audio-table tbody tr', { hasText: '早间新闻' }).waitFor({
      state: 'detached',
      ...WAIT,
    })
    await page.selectOption('#au-silent', '')
    await page.fill('#au-q', 'news.w')
    await page.locator('.totals', { hasText: '共 1 段录音' }).waitFor(WAIT)
    await page.fill('#au-q', '')
    await page.locator('.totals', { hasText: '共 2 段录音' }).waitFor(WAIT)

    // Edit the title and the column.
    await row.getByRole('button', { name: '编辑“早间新闻”' }).click()
    await page.fill('#ae-title', '晨间新闻')
    await page.selectOption('#ae-column', { label: '天气' })
    await page.locator('dialog').getByRole('button', { name: '保存' }).click()
    const renamed = page.locator('.audio-table tbody tr', { hasText: '晨间新闻' })
    await renamed.waitFor(WAIT)
    expect(await renamed.locator('.au-col').textContent()).toBe('天气')

    // Used by the working-day template: the refusal says where.
    const id = (await renamed.getAttribute('data-audio-id')) as string
    const tpl = await ctl.api<{ items: { start: string; audioId: string | null }[] }>(
      'GET',
      '/api/templates/working',
    )
    const items = tpl.body.items.map((i, k) => (k === 0 ? { ...i, audioId: id } : i))
    expect((await ctl.api('PUT', '/api/templates/working', { items })).status).toBe(200)
    await renamed.getByRole('button', { name: '删除“晨间新闻”' }).click()
    await page.locator('dialog').getByRole('button', { name: '删除' }).click()
    await page.locator('.au-status[data-state="error"]').waitFor(WAIT)
    expect(await text(page, '.au-status')).toMatch(/^不能删除“晨间新闻”：仍在使用：工作日模板/)
    expect(await renamed.count()).toBe(1)
    // The silent one is used nowhere: deleted.
    await quiet.getByRole('button', { name: '删除“静音测试”' }).click()
    await page.locator('dialog').getByRole('button', { name: '删除' }).click()
    await quiet.waitFor({ state: 'detached', ...WAIT })
    expect(await text(page, '.au-status')).toBe('已删除“静音测试”')

    await page.screenshot({ path: '/tmp/chorus-audio.png', fullPage: true })
    await page.setViewportSize(PHONE)
    expect(await overflowsX(page)).toBe(false)
    await page.screenshot({ path: '/tmp/chorus-audio-phone.png', fullPage: true })
    expect(unexpected(problems, [409, 422])).toEqual({ errors: [], external: [] })
  })
})
