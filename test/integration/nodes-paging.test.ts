import { describe, expect, it, vi } from 'vitest'
import { lightNode } from '../../scripts/light-fleet.js'
import { startController } from '../helpers/controller.js'

type Page<T> = { items: T[]; total: number; limit: number; offset: number }
type Node = { id: string; name: string; zone: string; state: string; serial: string | null }
type Play = { nodeId: string; eventId: string; type: string; at: string }

describe('server-side paging, filtering and sorting (issue 9)', () => {
  it('pages, filters and sorts GET /api/nodes, and keeps the old list when asked for none', async () => {
    const ctl = await startController()
    const deps = ctl.controller.deps
    if (!deps) throw new Error('no deps')
    const { provisioning } = deps.services
    const street = provisioning.createZone({ name: '分页社区' })
    const town = provisioning.createZone({ name: '分页镇' })
    const village = provisioning.createZone({ name: '分页村', parentId: town.id })
    const made: { id: string; secret: string }[] = []
    for (let i = 0; i < 30; i++) {
      const zone = i < 10 ? street.id : i < 20 ? town.id : village.id
      const serial = i === 7 ? 'SN-FIND-ME' : null
      const { node, secret } = provisioning.registerNode({
        name: `n${String(29 - i).padStart(2, '0')}`,
        zone,
        ...(serial ? { serial } : {}),
      })
      made.push({ id: node.id, secret })
    }

    // No parameter: the old answer, every node, sorted by name.
    const old = await ctl.apiWith<Node[]>(ctl.headers, 'GET', '/api/nodes')
    expect(old.body).toHaveLength(30)
    expect(old.headers.get('x-total-count')).toBe('30')
    expect(old.body.map((n) => n.name)).toEqual([...old.body.map((n) => n.name)].sort())

    const first = await ctl.api<Page<Node>>('GET', '/api/nodes?limit=10&sort=name')
    expect(first.body.total).toBe(30)
    expect(first.body.items.map((n) => n.name)).toEqual(old.body.slice(0, 10).map((n) => n.name))
    const last = await ctl.api<Page<Node>>('GET', '/api/nodes?limit=10&offset=25&order=desc')
    expect(last.body.items.map((n) => n.name)).toEqual(['n04', 'n03', 'n02', 'n01', 'n00'])

    // A zone includes the zones under it.
    const inTown = await ctl.api<Page<Node>>('GET', `/api/nodes?zone=${town.id}&limit=500`)
    expect(inTown.body.total).toBe(20)
    const inVillage = await ctl.api<Page<Node>>('GET', `/api/nodes?zone=${village.id}`)
    expect(inVillage.body.total).toBe(10)
    const bySerial = await ctl.api<Page<Node>>('GET', '/api/nodes?q=find-me')
    expect(bySerial.body.items.map((n) => n.serial)).toEqual(['SN-FIND-ME'])
    const target = made[3]?.id ?? ''
    const byId = await ctl.api<Page<Node>>('GET', `/api/nodes?q=${target.slice(-6)}`)
    expect(byId.body.items.map((n) => n.id)).toContain(target)
    const like = await ctl.api<Page<Node>>('GET', '/api/nodes?q=%25')
    expect(like.body.total).toBe(0)

    // State: one node online, the rest offline; sorting by state puts offline first.
    const node = lightNode(ctl.brokerUrl, made[0] as { id: string; secret: string })
    await node.connect()
    await vi.waitFor(
      async () => {
        const r = await ctl.api<Page<Node>>('GET', '/api/nodes?state=online')
        expect(r.body.items.map((n) => n.id)).toEqual([made[0]?.id])
      },
      { timeout: 20_000, interval: 100 },
    )
    const summary = await ctl.api<{ online: number; offline: number }>('GET', '/api/fleet/summary')
    expect(summary.body).toMatchObject({ online: 1, offline: 29 })
    const offline = await ctl.api<Page<Node>>('GET', '/api/nodes?state=offline&limit=5')
    expect(offline.body.total).toBe(29)
    const byState = await ctl.api<Page<Node>>('GET', '/api/nodes?sort=state&order=desc&limit=1')
    expect(byState.body.items[0]?.state).toBe('online')
    const bySeen = await ctl.api<Page<Node>>('GET', '/api/nodes?sort=lastSeen&order=desc&limit=1')
    expect(bySeen.body.items[0]?.id).toBe(made[0]?.id)
    node.drop()

    // Bad input: a clear 400, nothing else.
    for (const q of ['limit=501', 'limit=0', 'offset=-1', 'sort=secret', 'state=lost', 'x=1']) {
      expect((await ctl.api('GET', `/api/nodes?${q}`)).status).toBe(400)
    }
  })

  it('pages and filters GET /api/plays, and caps the unpaged day', async () => {
    const ctl = await startController()
    const deps = ctl.controller.deps
    if (!deps) throw new Error('no deps')
    const { provisioning } = deps.services
    const street = provisioning.createZone({ name: '播放社区' })
    const town = provisioning.createZone({ name: '播放镇' })
    const a = provisioning.registerNode({ name: 'a', zone: street.id }).node
    const b = provisioning.registerNode({ name: 'b', zone: town.id }).node
    const date = '2026-12-07'
    const events = Array.from({ length: 40 }, (_, i) => {
      const nodeId = i % 2 === 0 ? a.id : b.id
      const type = i % 4 === 3 ? 'play.failed' : 'play.finished'
      const at = `2026-12-07T08:${String(i).padStart(2, '0')}:00.000+08:00`
      return {
        nodeId,
        id: `e${i}`,
        type,
        at,
        date,
        itemId: `${date}/i${i}`,
        reason: null,
        body: JSON.stringify({ type, at, itemId: `${date}/i${i}` }),
        receivedAt: at,
      }
    })
    deps.repos.events.insertBatch(events)

    const old = await ctl.apiWith<Play[]>(ctl.headers, 'GET', `/api/plays?date=${date}`)
    expect(old.body).toHaveLength(40)
    expect(old.headers.get('x-total-count')).toBe('40')
    const page = await ctl.api<Page<Play>>('GET', `/api/plays?date=${date}&limit=15&offset=30`)
    expect(page.body.total).toBe(40)
    expect(page.body.items.map((p) => p.eventId)).toEqual(
      Array.from({ length: 10 }, (_, i) => `e${30 + i}`),
    )
    const failed = await ctl.api<Page<Play>>('GET', `/api/plays?date=${date}&outcome=failed`)
    expect(failed.body.total).toBe(10)
    expect(new Set(failed.body.items.map((p) => p.type))).toEqual(new Set(['play.failed']))
    const ofB = await ctl.api<Page<Play>>('GET', `/api/plays?date=${date}&node=${b.id}`)
    expect(ofB.body.total).toBe(20)
    const inTown = await ctl.api<Page<Play>>('GET', `/api/plays?date=${date}&zone=${town.id}`)
    expect(inTown.body.items.every((p) => p.nodeId === b.id)).toBe(true)
    expect(inTown.body.total).toBe(20)
    for (const q of ['limit=501', 'outcome=DROP%20TABLE', 'node=', 'y=1']) {
      expect((await ctl.api('GET', `/api/plays?date=${date}&${q}`)).status).toBe(400)
    }
  })
})
