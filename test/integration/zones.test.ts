import { describe, expect, it } from 'vitest'
import { startController } from '../helpers/controller.js'

interface Zone {
  id: string
  name: string
  parentId: string | null
  code: string | null
  depth?: number
  nodeCount?: number
  totalNodes?: number
}

describe('the zones page', () => {
  it('sets up a fresh install with its district from the catalogue, and the tree is listed in order', async () => {
    const ctl = await startController()
    expect((await ctl.api<Zone[]>('GET', '/api/zones')).body).toEqual([])
    const catalogue = await ctl.api<{ code: string; name: string; parentCode: string | null }[]>(
      'GET',
      '/api/zones/catalogue',
    )
    expect(catalogue.body).toContainEqual({ code: '630105', name: '城北区', parentCode: '630100' })

    const made = await ctl.api<Zone[]>('POST', '/api/zones/setup', {
      district: '630105',
      towns: ['630105100', '630105101'],
    })
    expect(made.status).toBe(200)
    const list = (await ctl.api<Zone[]>('GET', '/api/zones')).body
    expect(list.map((z) => `${'-'.repeat(z.depth ?? 0)}${z.name} ${z.code}`)).toEqual([
      '城北区 630105',
      '-大堡子镇 630105100',
      '-二十里铺镇 630105101',
    ])
    // Setting it up again creates nothing twice.
    expect(
      (await ctl.api<Zone[]>('POST', '/api/zones/setup', { district: '630105' })).body,
    ).toHaveLength(4)
    expect((await ctl.api<Zone[]>('GET', '/api/zones')).body).toHaveLength(7)
  })

  it('imports communities as code,name CSV under the town their code starts with', async () => {
    const ctl = await startController()
    await ctl.api('POST', '/api/zones/setup', { district: '630105', towns: ['630105101'] })
    const r = await ctl.api<Zone[]>('POST', '/api/zones/import', {
      csv: '代码,名称\n630105101201,严小村\n630105101202，新村\n\n',
    })
    expect(r.status).toBe(200)
    const list = (await ctl.api<Zone[]>('GET', '/api/zones')).body
    const town = list.find((z) => z.code === '630105101') as Zone
    expect(list.filter((z) => z.parentId === town.id).map((z) => z.name)).toEqual([
      '严小村',
      '新村',
    ])
    const bad = await ctl.api<{ code: string; message: string }>('POST', '/api/zones/import', {
      csv: '630105101203\n',
    })
    expect(bad.status).toBe(422)
    expect(bad.body.message).toMatch(/line 1: expected "code,name"/)
  })

  it('renames, recodes and moves a zone; refuses a move under itself and a code taken or misshapen', async () => {
    const ctl = await startController()
    await ctl.api('POST', '/api/zones/setup', {
      district: '630105',
      towns: ['630105100', '630105101'],
    })
    const zones = (await ctl.api<Zone[]>('GET', '/api/zones')).body
    const [district, dbz, ershi] = zones as [Zone, Zone, Zone]
    const village = (
      await ctl.api<Zone>('POST', '/api/zones', {
        name: '严小村',
        parentId: ershi.id,
        code: '630105101201',
      })
    ).body

    const renamed = await ctl.api<Zone>('PATCH', `/api/zones/${village.id}`, {
      name: '严小村村委会',
    })
    expect(renamed.body).toMatchObject({ name: '严小村村委会', code: '630105101201' })
    // Accept ids and codes alike.
    const byCode = await ctl.api<Zone>('PATCH', '/api/zones/630105101201', { code: '630105101202' })
    expect(byCode.body.code).toBe('630105101202')

    const loop = await ctl.api<{ code: string }>('PATCH', `/api/zones/${district.id}`, {
      parentId: ershi.id,
    })
    expect(loop.status).toBe(422)
    const taken = await ctl.api<{ code: string }>('PATCH', `/api/zones/${ershi.id}`, {
      code: '630105100',
    })
    expect(taken.status).toBe(409)
    expect(taken.body.code).toBe('ZONE_EXISTS')
    const shape = await ctl.api<{ message: string }>('PATCH', `/api/zones/${village.id}`, {
      parentId: dbz.id,
    })
    // 630105101202 does not start with the new parent's code 630105100.
    expect(shape.status).toBe(422)
    expect(shape.body.message).toMatch(/starts with it/)
    const moved = await ctl.api<Zone>('PATCH', `/api/zones/${village.id}`, {
      parentId: dbz.id,
      code: '630105100201',
    })
    expect(moved.body).toMatchObject({ parentId: dbz.id, code: '630105100201' })
  })

  it('refuses to delete a zone in use, saying what uses it, and deletes an empty one', async () => {
    const ctl = await startController()
    await ctl.api('POST', '/api/zones/setup', { district: '630105', towns: ['630105100'] })
    const town = (await ctl.api<Zone[]>('GET', '/api/zones')).body[1] as Zone
    const node = await ctl.register('广播1', town.id)
    const used = await ctl.api<{ code: string; message: string; details: unknown }>(
      'DELETE',
      `/api/zones/${town.id}`,
    )
    expect(used.status).toBe(409)
    expect(used.body.code).toBe('ZONE_IN_USE')
    expect(used.body.message).toBe('大堡子镇 is used by 1 speakers')
    // The reason as a code and parameters, for the UI to say in the reader's language.
    expect(used.body.details).toEqual({
      zoneId: town.id,
      zoneName: '大堡子镇',
      children: 0,
      nodes: 1,
      retiredNodes: 0,
      users: 0,
      tokens: 0,
      announcements: 0,
      runningOrders: 0,
      calendarOverrides: 0,
    })
    const counted = (await ctl.api<Zone[]>('GET', '/api/zones')).body
    expect(counted.map((z) => [z.name, z.nodeCount, z.totalNodes])).toEqual([
      ['城北区', 0, 1],
      ['大堡子镇', 1, 1],
    ])
    expect(node.id).toBeTruthy()
    const empty = await ctl.api<Zone>('POST', '/api/zones', { name: '临时片区' })
    expect((await ctl.api('DELETE', `/api/zones/${empty.body.id}`)).status).toBe(204)
    expect((await ctl.api('DELETE', `/api/zones/${empty.body.id}`)).status).toBe(404)
  })

  it('never creates a zone when a node is registered into an unknown one', async () => {
    const ctl = await startController()
    const r = await ctl.api<{ code: string; message: string }>('POST', '/api/nodes', {
      name: '广播1',
      zone: '不存在的村',
    })
    expect(r.status).toBe(404)
    expect(r.body.code).toBe('ZONE_NOT_FOUND')
    expect(r.body.message).toMatch(/zones page/)
    expect((await ctl.api<Zone[]>('GET', '/api/zones')).body).toEqual([])
  })

  it('takes zone codes where zone ids are taken: user scopes and announcements', async () => {
    const ctl = await startController()
    await ctl.api('POST', '/api/zones/setup', { district: '630105', towns: ['630105100'] })
    const town = (await ctl.api<Zone[]>('GET', '/api/zones')).body[1] as Zone
    const user = await ctl.api<{ zones: string[] }>('POST', '/api/users', {
      username: 'town-office',
      password: 'a-Long-enough-pw-2026',
      roles: ['scheduler'],
      zones: ['630105100'],
    })
    expect(user.status).toBe(201)
    expect(user.body.zones).toEqual([town.id])
  })
})
