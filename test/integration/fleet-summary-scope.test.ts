import { describe, expect, it } from 'vitest'
import { tokenHeaders } from '../helpers/auth.js'
import { startController, type TestController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { rawNode } from '../helpers/node-client.js'

interface Summary {
  total: number
  online: number
  offline: number
  degraded: number
  flapping: number
  playing: number
}

async function zone(ctl: TestController, name: string, parentId?: string): Promise<string> {
  const r = await ctl.api<{ id: string }>('POST', '/api/zones', { name, parentId })
  expect(r.status).toBe(201)
  return r.body.id
}

// GET /api/fleet/summary answered the district's counts to everyone (issue 9, item 5): a
// technician limited to a town now gets its town's subtree only, kept right as nodes come and
// go, move zone, are retired, and as zones move in the tree.
describe("a zone-limited principal's fleet summary", () => {
  it("counts the nodes of its zones' subtrees only, and stays right as they change", async () => {
    const ctl = await startController()
    const root = await zone(ctl, '城北区')
    const townA = await zone(ctl, '二十里铺镇', root)
    const villageA = await zone(ctl, '宋家寨村', townA)
    const townB = await zone(ctl, '大堡子镇', root)
    const villageB = await zone(ctl, '严小村', townB)
    const a1 = await rawNode(ctl, '宋家寨 1', villageA)
    const a2 = await rawNode(ctl, '二十里铺 1', townA)
    const b1 = await rawNode(ctl, '严小村 1', villageB)
    const b2 = await rawNode(ctl, '严小村 2', villageB)
    const tech = await tokenHeaders(ctl, ['technician'], [townA])
    const techB = await tokenHeaders(ctl, ['technician'], [villageB])
    const of = async (headers?: Record<string, string>) => {
      const r = headers
        ? await ctl.apiWith<Summary>(headers, 'GET', '/api/fleet/summary')
        : await ctl.api<Summary>('GET', '/api/fleet/summary')
      expect(r.status).toBe(200)
      return r.body
    }

    expect(await of()).toMatchObject({ total: 4, offline: 4, online: 0 })
    expect(await of(tech)).toEqual({
      total: 2,
      online: 0,
      offline: 2,
      degraded: 0,
      flapping: 0,
      playing: 0,
    })
    expect(await of(techB)).toMatchObject({ total: 2, offline: 2 })

    await a1.birth()
    await b1.birth()
    await waitFor(async () => (await of()).online === 2, 'two online')
    expect(await of(tech)).toMatchObject({ total: 2, online: 1, offline: 1 })
    expect(await of(techB)).toMatchObject({ total: 2, online: 1, offline: 1 })

    // Offline again: the town's count follows.
    a1.drop()
    await waitFor(async () => (await of(tech)).online === 0, 'town A node offline')
    expect(await of(tech)).toMatchObject({ total: 2, offline: 2 })
    expect(await of()).toMatchObject({ total: 4, online: 1, offline: 3 })

    // A speaker moved into town A counts there, and no longer in its old village.
    const moved = await ctl.api('PATCH', `/api/nodes/${b2.id}`, { zone: villageA })
    expect(moved.status).toBe(200)
    expect(await of(tech)).toMatchObject({ total: 3, offline: 3 })
    expect(await of(techB)).toMatchObject({ total: 1, online: 1, offline: 0 })

    // Retired: counted nowhere.
    expect((await ctl.api('POST', `/api/nodes/${a2.id}/retire`)).status).toBe(200)
    expect(await of(tech)).toMatchObject({ total: 2, offline: 2 })
    expect(await of()).toMatchObject({ total: 3 })

    // The village moves under town A: its node (online) is now in town A's subtree.
    const reparent = await ctl.api('PATCH', `/api/zones/${villageB}`, { parentId: townA })
    expect(reparent.status).toBe(200)
    expect(await of(tech)).toMatchObject({ total: 3, online: 1, offline: 2 })
    expect(await of(techB)).toMatchObject({ total: 1, online: 1 })
    expect(await of()).toMatchObject({ total: 3, online: 1, offline: 2 })
    b1.drop()
  })
})
