import { describe, expect, it } from 'vitest'
import { startController } from '../helpers/controller.js'
import { horizon, itemsOn, planOf, uploadTone } from './programme-fixtures.js'

interface Template {
  dayType: string
  items: { id: string; start: string; audioId: string | null }[]
  targetCount: number
  issues: { code: string; severity: string }[]
}

describe('GET|PUT /api/templates', () => {
  it('starts a new install with 15 working-day and 10 rest-day empty slots', async () => {
    const ctl = await startController()
    const r = await ctl.api<Template[]>('GET', '/api/templates')
    expect(r.body.map((t) => [t.dayType, t.items.length, t.targetCount])).toEqual([
      ['working', 15, 15],
      ['rest', 10, 10],
    ])
    expect(r.body.flatMap((t) => t.items).every((i) => i.audioId === null)).toBe(true)
    // Empty slots are warned about, nothing else is wrong with the seeded shape.
    expect(new Set(r.body.flatMap((t) => t.issues.map((i) => `${i.code} ${i.severity}`)))).toEqual(
      new Set(['MISSING_AUDIO warning']),
    )
  })

  it('drives plans by day type, and an office override turns a working day into a rest day', async () => {
    const ctl = await startController()
    const news = await uploadTone(ctl, '新闻', 1)
    const music = await uploadTone(ctl, '音乐', 1, 660)
    const node = await ctl.register('n1')
    const days = await horizon(ctl)
    const working = days.find((d) => d.type === 'working')?.date as string
    const rest = days.find((d) => d.type === 'rest')?.date as string
    expect(working && rest).toBeTruthy()

    const put = await ctl.api<Template>('PUT', '/api/templates/working', {
      items: [{ start: '10:00:00', audioId: news.id }],
    })
    expect(put.status).toBe(200)
    // Count mismatch is a warning shown with the template, never a refusal.
    expect(put.body.issues).toContainEqual(expect.objectContaining({ code: 'COUNT_MISMATCH' }))
    await ctl.api('PUT', '/api/templates/rest', {
      items: [{ start: '11:00:00', audioId: music.id }],
    })
    expect(await itemsOn(ctl, node.id, working)).toEqual([`${working}/t100000`])
    expect(await itemsOn(ctl, node.id, rest)).toEqual([`${rest}/t110000`])
    const item = (await planOf(ctl, node.id)).items.find((i) => i.itemId === `${working}/t100000`)
    expect(item).toMatchObject({ audioId: news.id, title: '新闻', priority: 50 })

    const over = await ctl.api<{ type: string; source: string }>(
      'PUT',
      `/api/calendar/${working}`,
      {
        type: 'rest',
        note: '临时休息',
      },
    )
    expect(over.body).toMatchObject({ type: 'rest', source: 'override', note: '临时休息' })
    expect(await itemsOn(ctl, node.id, working)).toEqual([`${working}/t110000`])
    const month = await ctl.api<{ days: { date: string; source: string; segmentCount: number }[] }>(
      'GET',
      `/api/calendar?month=${working.slice(0, 7)}`,
    )
    expect(month.body.days.find((d) => d.date === working)).toMatchObject({
      source: 'override',
      segmentCount: 1,
    })
    const cleared = await ctl.api<{ type: string }>('DELETE', `/api/calendar/${working}`)
    expect(cleared.body.type).toBe('working')
    expect(await itemsOn(ctl, node.id, working)).toEqual([`${working}/t100000`])
  })

  it('refuses unknown audio, columns, zones and priorities above the scheduled band', async () => {
    const ctl = await startController()
    for (const [item, re] of [
      [{ start: '08:00:00', audioId: 'a-nope' }, /unknown audio: a-nope/],
      [{ start: '08:00:00', audioId: null, columnId: 'c-nope' }, /unknown column/],
      [{ start: '08:00:00', audioId: null, zones: ['z-nope'] }, /unknown zone/],
    ] as const) {
      const r = await ctl.api<{ code: string; message: string }>('PUT', '/api/templates/rest', {
        items: [item],
      })
      expect(r.status).toBe(422)
      expect(r.body.code).toBe('TEMPLATE_INVALID')
      expect(r.body.message).toMatch(re)
    }
    const high = await ctl.api('PUT', '/api/templates/rest', {
      items: [{ start: '08:00:00', audioId: null, priority: 90 }],
    })
    expect(high.status).toBe(400)
    expect((await ctl.api<Template>('GET', '/api/templates/rest')).body.items).toHaveLength(10)
  })
})

describe('PUT /api/days/:date', () => {
  it('adds to or replaces the template, shows what will play, and falls back when removed', async () => {
    const ctl = await startController()
    const news = await uploadTone(ctl, 'news', 1)
    const extra = await uploadTone(ctl, 'extra', 1, 660)
    const node = await ctl.register('n1')
    const date = (await horizon(ctl)).find((d) => d.type === 'working')?.date as string
    await ctl.api('PUT', '/api/templates/working', {
      items: [{ id: 'morning', start: '09:00:00', audioId: news.id, title: '早间' }],
    })

    const add = await ctl.api<{
      effective: { id: string; origin: string }[]
      issues: { code: string; itemId?: string }[]
      dayType: { type: string }
    }>('PUT', `/api/days/${date}`, {
      mode: 'add',
      items: [{ start: '23:00:00', audioId: extra.id, title: '夜间' }],
    })
    expect(add.status).toBe(200)
    expect(add.body.dayType.type).toBe('working')
    expect(add.body.effective.map((i) => [i.id, i.origin])).toEqual([
      ['morning', 'template'],
      ['t230000', 'date'],
    ])
    // Saved, and the editor sees why 23:00 is a problem.
    expect(add.body.issues).toContainEqual(
      expect.objectContaining({ code: 'QUIET_HOURS', itemId: 't230000' }),
    )
    expect(await itemsOn(ctl, node.id, date)).toEqual([`${date}/morning`, `${date}/t230000`])

    await ctl.api('PUT', `/api/days/${date}`, {
      mode: 'replace',
      items: [{ start: '12:00:00', audioId: extra.id, title: '午间' }],
    })
    expect(await itemsOn(ctl, node.id, date)).toEqual([`${date}/t120000`])

    const removed = await ctl.api<{ hasOwnOrder: boolean }>('DELETE', `/api/days/${date}`)
    expect(removed.body.hasOwnOrder).toBe(false)
    expect(await itemsOn(ctl, node.id, date)).toEqual([`${date}/morning`])
  })

  it('changes only the plans of the nodes an edit reaches', async () => {
    const ctl = await startController()
    const news = await uploadTone(ctl, 'news', 1)
    const west = await ctl.register('west', '西海路社区')
    const east = await ctl.register('east', '工具厂社区')
    const zones = await ctl.api<{ id: string; name: string }[]>('GET', '/api/zones')
    const westZone = zones.body.find((z) => z.name === '西海路社区')?.id as string
    const before = {
      west: (await planOf(ctl, west.id)).version,
      east: (await planOf(ctl, east.id)).version,
    }
    const date = (await horizon(ctl))[1]?.date as string
    await ctl.api('PUT', `/api/days/${date}`, {
      mode: 'add',
      items: [{ start: '09:00:00', audioId: news.id, title: 'local', zones: [westZone] }],
    })
    expect((await planOf(ctl, west.id)).version).not.toBe(before.west)
    expect((await planOf(ctl, east.id)).version).toBe(before.east)
  })
})
