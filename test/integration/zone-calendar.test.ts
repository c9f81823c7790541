import { describe, expect, it } from 'vitest'
import { clockWithNow } from '../../controller/platform/time.js'
import { tokenHeaders } from '../helpers/auth.js'
import { startController } from '../helpers/controller.js'
import { catalogueTowns } from '../helpers/zones.js'
import { itemsOn, uploadTone } from './programme-fixtures.js'

interface CalendarDay {
  date: string
  zone: string
  type: 'working' | 'rest'
  source: string
  typeFrom: { kind: string; zoneId: string; zoneName: string | null }
  ownOverride: boolean
  note: string | null
}

// Monday 30 November 2026 at 09:00 in Xining; Wednesday 2 December, an ordinary working day, is
// inside the plans' horizon.
const NOW = Date.parse('2026-11-30T01:00:00Z')
const DATE = '2026-12-02'
const NEXT = '2026-12-03'

describe('zone-level calendar overrides (分级管理)', () => {
  it("a town scheduler marks a town's rest day: the town's nodes rest, others work; nothing outside the town is writable", async () => {
    const ctl = await startController({ clock: clockWithNow(() => NOW) })
    const { town, otherTown, village } = await catalogueTowns(ctl)
    const register = async (name: string, zone: string) => {
      const r = await ctl.api<{ id: string }>('POST', '/api/nodes', { name, zone })
      expect(r.status).toBe(201)
      return r.body.id
    }
    const inVillage = await register('严小村1号', village)
    const inTown = await register('镇政府1号', town)
    const elsewhere = await register('大堡子1号', otherTown)
    const tone = await uploadTone(ctl, '新闻', 1)
    for (const type of ['working', 'rest']) {
      const put = await ctl.api('PUT', `/api/templates/${type}`, {
        items: [{ id: type, start: '08:00:00', audioId: tone.id, title: type }],
      })
      expect(put.status).toBe(200)
    }
    for (const node of [inVillage, inTown, elsewhere]) {
      expect(await itemsOn(ctl, node, DATE)).toEqual([`${DATE}/working`])
    }

    // The town's scheduler marks the date rest for the town (by its code): only the town's
    // subtree is re-planned, and its nodes (the village's too) play the rest-day template.
    const townScheduler = await tokenHeaders(ctl, ['scheduler'], [town])
    const changes: (readonly string[] | 'all')[] = []
    ctl.controller.deps?.bus.on('programmeChanged', (c) => changes.push(c.zones))
    const set = await ctl.apiWith<CalendarDay>(
      townScheduler,
      'PUT',
      `/api/calendar/${DATE}?zone=630105100`,
      { type: 'rest', note: '镇庙会' },
    )
    expect(set.status).toBe(200)
    expect(set.body).toMatchObject({
      zone: town,
      type: 'rest',
      source: 'override',
      ownOverride: true,
      note: '镇庙会',
      typeFrom: { kind: 'zone', zoneId: town },
    })
    expect(changes).toEqual([[town]])
    expect(await itemsOn(ctl, inTown, DATE)).toEqual([`${DATE}/rest`])
    expect(await itemsOn(ctl, inVillage, DATE)).toEqual([`${DATE}/rest`])
    expect(await itemsOn(ctl, elsewhere, DATE)).toEqual([`${DATE}/working`])

    // The village's month says the rest day is inherited from the town; the district's month
    // still has the official working day; what a village node plays says the same.
    const month = async (zone: string) =>
      (
        await ctl.api<{ zone: string; days: CalendarDay[] }>(
          'GET',
          `/api/calendar?month=2026-12&zone=${zone}`,
        )
      ).body.days.find((d) => d.date === DATE)
    expect(await month(village)).toMatchObject({
      zone: village,
      type: 'rest',
      ownOverride: false,
      note: '镇庙会',
      typeFrom: { kind: 'zone', zoneId: town, zoneName: expect.any(String) },
    })
    expect(await month('')).toMatchObject({
      zone: '',
      type: 'working',
      ownOverride: false,
      typeFrom: { kind: 'official', zoneId: '' },
    })
    const eff = await ctl.api<{
      dayType: { type: string; zoneId?: string }
      items: { id: string }[]
    }>('GET', `/api/days/${DATE}/effective?node=${inVillage}`)
    expect([eff.body.dayType, eff.body.items.map((i) => i.id)]).toEqual([
      { type: 'rest', source: 'override', zoneId: town },
      ['rest'],
    ])

    // Outside the town (another town, the district, a range without a zone): 403, nothing changes.
    const refused: [string, string, unknown][] = [
      ['PUT', `/api/calendar/${DATE}`, { type: 'rest' }],
      ['PUT', `/api/calendar/${DATE}?zone=${otherTown}`, { type: 'rest' }],
      ['PUT', `/api/calendar/${DATE}?zone=630105101`, { type: 'rest' }],
      ['DELETE', `/api/calendar/${DATE}`, undefined],
      ['DELETE', `/api/calendar/${DATE}?zone=${otherTown}`, undefined],
      ['PUT', '/api/calendar/range', { dates: [DATE, NEXT], type: 'rest' }],
      ['PUT', `/api/calendar/range?zone=${otherTown}`, { dates: [DATE, NEXT], type: 'rest' }],
    ]
    for (const [method, path, body] of refused) {
      const r = await ctl.apiWith<{ code: string }>(townScheduler, method, path, body)
      expect([method, path, r.status, r.body.code]).toEqual([method, path, 403, 'FORBIDDEN'])
    }
    expect(changes).toEqual([[town]])
    expect(await month('')).toMatchObject({ type: 'working', ownOverride: false })
    expect(await month(otherTown)).toMatchObject({ type: 'working', ownOverride: false })
    expect(await itemsOn(ctl, elsewhere, DATE)).toEqual([`${DATE}/working`])

    // A range inside the town is the town scheduler's to set and to clear.
    const range = await ctl.apiWith<{ days: CalendarDay[] }>(
      townScheduler,
      'PUT',
      `/api/calendar/range?zone=${village}`,
      { dates: [NEXT], type: 'rest' },
    )
    expect([range.status, range.body.days.map((d) => [d.zone, d.type, d.ownOverride])]).toEqual([
      200,
      [[village, 'rest', true]],
    ])
    expect(await itemsOn(ctl, inVillage, NEXT)).toEqual([`${NEXT}/rest`])
    expect(await itemsOn(ctl, inTown, NEXT)).toEqual([`${NEXT}/working`])
    await ctl.apiWith(townScheduler, 'PUT', `/api/calendar/range?zone=${village}`, {
      dates: [NEXT],
      type: null,
    })
    expect(await itemsOn(ctl, inVillage, NEXT)).toEqual([`${NEXT}/working`])

    // DELETE restores inheritance: the town works again, as the official calendar says.
    const removed = await ctl.apiWith<CalendarDay>(
      townScheduler,
      'DELETE',
      `/api/calendar/${DATE}?zone=${town}`,
    )
    expect(removed.status).toBe(200)
    expect(removed.body).toMatchObject({
      type: 'working',
      ownOverride: false,
      typeFrom: { kind: 'official' },
    })
    expect(await itemsOn(ctl, inTown, DATE)).toEqual([`${DATE}/working`])
    expect(await itemsOn(ctl, inVillage, DATE)).toEqual([`${DATE}/working`])

    // The district's override applies below unless a lower zone overrides it; a district-wide
    // scheduler (the admin) writes any zone's.
    expect((await ctl.api('PUT', `/api/calendar/${DATE}`, { type: 'rest' })).status).toBe(200)
    expect(
      (await ctl.api('PUT', `/api/calendar/${DATE}?zone=${village}`, { type: 'working' })).status,
    ).toBe(200)
    expect(await itemsOn(ctl, inTown, DATE)).toEqual([`${DATE}/rest`])
    expect(await itemsOn(ctl, elsewhere, DATE)).toEqual([`${DATE}/rest`])
    expect(await itemsOn(ctl, inVillage, DATE)).toEqual([`${DATE}/working`])
    expect(await month(town)).toMatchObject({
      type: 'rest',
      typeFrom: { kind: 'district', zoneId: '' },
    })

    // A zone with its own override is not deleted (the override would be orphaned), and says why.
    const hamlet = (await ctl.api<{ id: string }>('POST', '/api/zones', { name: '宋家寨' })).body.id
    await ctl.api('PUT', `/api/calendar/${DATE}?zone=${hamlet}`, { type: 'rest' })
    const refusedDelete = await ctl.api<{ code: string; message: string }>(
      'DELETE',
      `/api/zones/${hamlet}`,
    )
    expect([refusedDelete.status, refusedDelete.body.code]).toEqual([409, 'ZONE_IN_USE'])
    expect(refusedDelete.body.message).toContain('calendar overrides')
    await ctl.api('DELETE', `/api/calendar/${DATE}?zone=${hamlet}`)
    expect((await ctl.api('DELETE', `/api/zones/${hamlet}`)).status).toBeLessThan(300)

    const unknown = await ctl.api<{ code: string }>('PUT', `/api/calendar/${DATE}?zone=nowhere`, {
      type: 'rest',
    })
    expect([unknown.status, unknown.body.code]).toEqual([404, 'ZONE_NOT_FOUND'])
  })
})
