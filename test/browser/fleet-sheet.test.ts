import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAgent } from '../helpers/agent.js'
import { startController } from '../helpers/controller.js'
import { launch } from './browser.js'
import { nodeRow, pickTreeOption, rowInState, zone } from './fleet-helpers.js'
import { openLoggedIn, overflowsX, PHONE, WAIT } from './programme-helpers.js'

// The new UI's nodes page as the installers use it (issue 11 "Speakers"): bulk actions on a
// filtered list (move to a zone, retire; each confirmed with the count), the survey sheet
// exported and imported after a dry run; and the fleet pages on a phone.

interface ApiNode {
  id: string
  name: string
  zone: string
  retiredAt: string | null
}

describe('web UI: bulk actions and the survey sheet', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('moves and retires the speakers of a filtered list, exports the sheet and imports it after a dry run', async () => {
    const ctl = await startController()
    const district = await zone(ctl, '城北区', undefined, '630105')
    const dbz = await zone(ctl, '大堡子镇', district, '630105100')
    const esl = await zone(ctl, '二十里铺镇', district, '630105101')
    const reg = async (name: string) => {
      const r = await ctl.api<{ id: string }>('POST', '/api/nodes', { name, zone: dbz })
      expect(r.status).toBe(201)
      return r.body.id
    }
    const gate1 = await reg('村口 1号')
    const gate2 = await reg('村口 2号')
    const school = await reg('学校')
    const node = async (id: string) => (await ctl.api<ApiNode>('GET', `/api/nodes/${id}`)).body
    const { page, problems } = await openLoggedIn(browser, ctl)

    // The filtered list: 2 of 3. Move them, confirming with the count.
    await page.goto(`${ctl.url}/#/nodes?q=${encodeURIComponent('村口')}`)
    await page.locator('.matching', { hasText: '符合条件的节点共 2 个' }).waitFor(WAIT)
    await page.click('.bulk-open')
    await page.click('.bulk-move')
    const dialog = page.locator('.bulk-dialog')
    await dialog.locator('.el-dialog__title', { hasText: '把 2 个节点移到区域' }).waitFor(WAIT)
    await dialog.locator('.bulk-zone').click()
    await pickTreeOption(page, '二十里铺镇')
    await dialog.locator('.bulk-apply', { hasText: '对 2 个节点执行' }).click()
    await page.locator('.el-message', { hasText: '已处理 2 个节点' }).waitFor(WAIT)
    await nodeRow(page, gate1).locator('td', { hasText: '二十里铺镇' }).waitFor(WAIT)
    expect((await node(gate1)).zone).toBe(esl)
    expect((await node(gate2)).zone).toBe(esl)
    expect((await node(school)).zone).toBe(dbz)

    // A command to the same list: one per speaker, waiting for them (they are not online).
    await page.click('.bulk-open')
    await page.click('.bulk-command')
    await dialog.locator('.el-dialog__title', { hasText: '向 2 个节点发送命令' }).waitFor(WAIT)
    await dialog.locator('.bulk-apply', { hasText: '对 2 个节点执行' }).click()
    await page.locator('.el-message', { hasText: '已处理 2 个节点' }).nth(1).waitFor(WAIT)
    const sent = await ctl.api<{ kind: string; status: string }[]>(
      'GET',
      `/api/nodes/${gate2}/commands`,
    )
    expect(sent.body.map((c) => [c.kind, c.status])).toEqual([['ping', 'pending']])

    // Retire the one school speaker: confirmed, then gone from the list's state.
    await page.fill('.f-q input', '学校')
    await page.locator('.matching', { hasText: '符合条件的节点共 1 个' }).waitFor(WAIT)
    await page.click('.bulk-open')
    await page.click('.bulk-retire')
    await dialog.locator('.bulk-warn').waitFor(WAIT)
    await dialog.locator('.bulk-apply', { hasText: '对 1 个节点执行' }).click()
    await page.locator('.el-message', { hasText: '已处理 1 个节点' }).waitFor(WAIT)
    await rowInState(page, school, 'retired').waitFor(WAIT)
    expect((await node(school)).retiredAt).not.toBeNull()

    // The survey sheet: exported as the user sees it (a plain link with the session cookie).
    await page.fill('.f-q input', '')
    const href = await page.locator('a.export').getAttribute('href')
    const exported = await page.request.get(new URL(href ?? '', page.url()).toString())
    expect(exported.headers()['content-type']).toMatch(/text\/csv/)
    const lines = (await exported.text())
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
    expect(lines[0]).toBe('名称,区域代码,区域,序列号,纬度,经度,备注,节点ID')
    expect(lines).toHaveLength(3)
    // Rename one speaker in the sheet and add a new one; the dry run shows it, nothing changes.
    const sheet = [
      lines[0],
      ...lines.slice(1).map((l) => (l.endsWith(gate1) ? l.replace('村口 1号', '村口 东') : l)),
      '卫生院,630105100,大堡子镇,SN-9,36.61,101.75,新装,',
    ].join('\r\n')
    await page.click('.import')
    const imp = page.locator('.import-dialog')
    await imp.locator('.import-text textarea').fill(sheet)
    await imp.locator('.import-check').click()
    await imp
      .locator('.import-summary', { hasText: '新建 1，更新 1，不变 1，错误 0' })
      .waitFor(WAIT)
    expect(await imp.locator('.import-rows .import-create').count()).toBe(1)
    expect((await node(gate1)).name).toBe('村口 1号')
    await page.screenshot({ path: '/tmp/chorus-next-import.png' })
    await imp.locator('.import-apply', { hasText: '导入 2 处变更' }).click()
    await page.locator('.el-message', { hasText: '已导入：新建 1，更新 1' }).waitFor(WAIT)
    await page.locator('.nodes-table .node-name', { hasText: '卫生院' }).waitFor(WAIT)
    expect((await node(gate1)).name).toBe('村口 东')
    expect(problems).toEqual({ errors: [], external: [] })
  })

  it('fits a phone: nodes, node page and alerts without sideways scrolling', async () => {
    const ctl = await startController()
    const a = await startAgent(ctl, { name: '西海路 1号喇叭', sink: 'null' })
    const { page, problems } = await openLoggedIn(browser, ctl, {
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
    })
    await page.goto(`${ctl.url}/#/nodes`)
    await rowInState(page, a.nodeId, 'online').waitFor(WAIT)
    expect(await overflowsX(page)).toBe(false)
    await page.screenshot({ path: '/tmp/chorus-next-phone-nodes.png', fullPage: true })
    await page.goto(`${ctl.url}/#/nodes/${a.nodeId}`)
    await page.locator('.node-summary .state-tag', { hasText: '在线' }).waitFor(WAIT)
    await page.locator('.chart-card[data-metric="memory"] canvas').waitFor(WAIT)
    expect(await overflowsX(page)).toBe(false)
    await page.screenshot({ path: '/tmp/chorus-next-phone-node.png', fullPage: true })
    await page.goto(`${ctl.url}/#/alerts`)
    await page.locator('.rule').first().waitFor(WAIT)
    expect(await overflowsX(page)).toBe(false)
    await page.screenshot({ path: '/tmp/chorus-next-phone-alerts.png', fullPage: true })
    expect(problems).toEqual({ errors: [], external: [] })
  })
})
