import { describe, expect, it } from 'vitest'
import { clockWithNow } from '../../controller/platform/time.js'
import { tokenHeaders } from '../helpers/auth.js'
import { startController } from '../helpers/controller.js'
import { catalogueTowns } from '../helpers/zones.js'
import { itemsOn, uploadTone } from './programme-fixtures.js'

interface Day {
  zone: string
  hasOwnOrder: boolean
  items: { id: string }[]
  playsFrom: { kind: string; zoneId: string; zoneName: string | null }
}
interface Effective {
  zone: string
  playsFrom: { kind: string; zoneId: string; zoneName: string | null }
  items: { id: string; title: string }[]
}

// Monday 30 November 2026 at 09:00 in Xining; 2 December is inside the plans' horizon.
const NOW = Date.parse('2026-11-30T01:00:00Z')
const DATE = '2026-12-02'

describe('zone-level running orders (分级管理)', () => {
  it("plays a town's own order in the town and the district's elsewhere; a town scheduler edits only the town's", async () => {
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

    const news = await uploadTone(ctl, '新闻', 1)
    const order = (id: string, title: string) => ({
      items: [{ id, start: '08:00:00', audioId: news.id, title }],
    })
    expect((await ctl.api('PUT', `/api/days/${DATE}`, order('district', '区新闻'))).status).toBe(
      200,
    )

    // The town's scheduler: the town's order (by code) yes, the district's and another town's no.
    const townScheduler = await tokenHeaders(ctl, ['scheduler'], [town])
    const changes: (readonly string[] | 'all')[] = []
    ctl.controller.deps?.bus.on('programmeChanged', (c) => changes.push(c.zones))
    const own = await ctl.apiWith<Day>(
      townScheduler,
      'PUT',
      `/api/days/${DATE}?zone=630105100`,
      order('town', '镇新闻'),
    )
    expect([own.status, own.body.zone, own.body.playsFrom.kind]).toEqual([200, town, 'zone'])
    // Only the town's subtree is re-planned for it.
    expect(changes).toEqual([[town]])
    for (const path of [`/api/days/${DATE}`, `/api/days/${DATE}?zone=${otherTown}`]) {
      const r = await ctl.apiWith<{ code: string }>(townScheduler, 'PUT', path, order('x', '越权'))
      expect([path, r.status, r.body.code]).toEqual([path, 403, 'FORBIDDEN'])
    }
    const copy = await ctl.apiWith(townScheduler, 'POST', '/api/days/copy', {
      pairs: [{ from: 'template:working', to: '2026-12-03' }],
    })
    expect(copy.status).toBe(403)

    // Nodes in the town (the village below it included) play the town's order, others the district's.
    expect(await itemsOn(ctl, inVillage, DATE)).toEqual([`${DATE}/town`])
    expect(await itemsOn(ctl, inTown, DATE)).toEqual([`${DATE}/town`])
    expect(await itemsOn(ctl, elsewhere, DATE)).toEqual([`${DATE}/district`])

    // The effective order of a village node says it comes from the town.
    const eff = await ctl.api<Effective>('GET', `/api/days/${DATE}/effective?node=${inVillage}`)
    expect([eff.body.playsFrom.kind, eff.body.playsFrom.zoneId, eff.body.items[0]?.title]).toEqual([
      'zone',
      town,
      '镇新闻',
    ])
    const byZone = await ctl.api<Effective>('GET', `/api/days/${DATE}/effective?zone=${village}`)
    expect(byZone.body.playsFrom.zoneId).toBe(town)
    const other = await ctl.api<Effective>('GET', `/api/days/${DATE}/effective?zone=630105101`)
    expect(other.body.playsFrom.kind).toBe('district')

    // The district's own order is untouched, and each order keeps its own history.
    const district = await ctl.api<Day>('GET', `/api/days/${DATE}`)
    expect(district.body.items.map((i) => i.id)).toEqual(['district'])
    const townVersions = await ctl.api<{ savedBy: string; zoneId: string }[]>(
      'GET',
      `/api/days/${DATE}/versions?zone=${town}`,
    )
    expect(townVersions.body.map((v) => v.zoneId)).toEqual([town])

    // Removing the town's order (its scheduler may): the town plays the district's again.
    const removed = await ctl.apiWith<Day>(
      townScheduler,
      'DELETE',
      `/api/days/${DATE}?zone=${town}`,
    )
    expect([removed.status, removed.body.hasOwnOrder, removed.body.playsFrom.kind]).toEqual([
      200,
      false,
      'district',
    ])
    expect(await itemsOn(ctl, inVillage, DATE)).toEqual([`${DATE}/district`])
    // A zone with its own order is not deleted (the order would be orphaned), and says why.
    const hamlet = await ctl.api<{ id: string }>('POST', '/api/zones', { name: '宋家寨' })
    await ctl.api('PUT', `/api/days/${DATE}?zone=${hamlet.body.id}`, order('h', '寨新闻'))
    const refused = await ctl.api<{ code: string; message: string }>(
      'DELETE',
      `/api/zones/${hamlet.body.id}`,
    )
    expect([refused.status, refused.body.code]).toEqual([409, 'ZONE_IN_USE'])
    expect(refused.body.message).toContain('running orders')
    await ctl.api('DELETE', `/api/days/${DATE}?zone=${hamlet.body.id}`)
    expect((await ctl.api('DELETE', `/api/zones/${hamlet.body.id}`)).status).toBeLessThan(300)
    const unknown = await ctl.api<{ code: string }>('GET', `/api/days/${DATE}?zone=nowhere`)
    expect([unknown.status, unknown.body.code]).toEqual([404, 'ZONE_NOT_FOUND'])
  })
})
