import { describe, expect, it } from 'vitest'
import { createUser, loginCookie, tokenHeaders } from '../helpers/auth.js'
import { startController, type TestController } from '../helpers/controller.js'

/** District → two towns → one community each; an installer limited to the first town. */
async function district(ctl: TestController) {
  const zone = async (name: string, parentId?: string) =>
    (await ctl.api<{ id: string }>('POST', '/api/zones', { name, parentId })).body.id
  const root = await zone('城北区')
  const townA = await zone('二十里铺镇', root)
  const villageA = await zone('宋家寨村', townA)
  const townB = await zone('大堡子镇', root)
  const villageB = await zone('严小村', townB)
  await createUser(ctl, {
    username: 'installer-a',
    password: 'first-Pw-9k7q',
    roles: ['installer'],
    zones: [townA],
  })
  const s = await loginCookie(ctl, 'installer-a', 'first-Pw-9k7q')
  const nodeB = await ctl.api<{ id: string }>('POST', '/api/nodes', {
    name: '严小村 1',
    zone: villageB,
  })
  return { root, townA, villageA, townB, villageB, s, nodeB: nodeB.body.id }
}

describe('installer zone scope', () => {
  it('registers nodes only in the zones assigned (a zone reaches everything below it)', async () => {
    const ctl = await startController()
    const d = await district(ctl)
    const register = (zone: string) =>
      ctl.apiWith<{ id: string; code?: string }>(d.s.write, 'POST', '/api/nodes', {
        name: `node in ${zone}`,
        zone,
      })
    expect((await register(d.villageA)).status).toBe(201)
    expect((await register('宋家寨村')).status).toBe(201) // by name
    expect((await register(d.townA)).status).toBe(201)
    const outside = await register(d.villageB)
    expect(outside.status).toBe(403)
    expect(outside.body.code).toBe('OUT_OF_SCOPE')
    // An unknown name would create a new top-level zone: refused for a zone-limited installer.
    expect((await register('新村')).status).toBe(403)
    const zones = await ctl.api<{ name: string }[]>('GET', '/api/zones')
    expect(zones.body.map((z) => z.name)).not.toContain('新村')
  })

  it('sees and acts on its own nodes only', async () => {
    const ctl = await startController()
    const d = await district(ctl)
    const mine = await ctl.apiWith<{ id: string }>(d.s.write, 'POST', '/api/nodes', {
      name: '宋家寨 1',
      zone: d.villageA,
    })
    const listed = await ctl.apiWith<{ id: string }[]>(d.s.read, 'GET', '/api/nodes')
    expect(listed.body.map((n) => n.id)).toEqual([mine.body.id])
    expect((await ctl.apiWith(d.s.read, 'GET', `/api/nodes/${mine.body.id}`)).status).toBe(200)
    expect((await ctl.apiWith(d.s.read, 'GET', `/api/nodes/${d.nodeB}`)).status).toBe(403)
    for (const action of ['enrollment', 'replace', 'rotate', 'retire']) {
      const theirs = await ctl.apiWith(d.s.write, 'POST', `/api/nodes/${d.nodeB}/${action}`)
      expect(theirs.status, action).toBe(403)
      const own = await ctl.apiWith(d.s.write, 'POST', `/api/nodes/${mine.body.id}/${action}`)
      expect(own.status, action).toBeLessThan(300)
    }
    // The other town's node is untouched.
    const b = await ctl.api<{ retiredAt: string | null }>('GET', `/api/nodes/${d.nodeB}`)
    expect(b.body.retiredAt).toBeNull()
  })

  it('sends only commissioning commands, only to its own nodes', async () => {
    const ctl = await startController()
    const d = await district(ctl)
    const mine = await ctl.apiWith<{ id: string }>(d.s.write, 'POST', '/api/nodes', {
      name: '宋家寨 2',
      zone: d.villageA,
    })
    const send = (nodeId: string, kind: string) =>
      ctl.apiWith<{ code?: string }>(d.s.write, 'POST', `/api/nodes/${nodeId}/commands`, {
        kind,
        params: kind === 'testTone' ? { seconds: 1 } : undefined,
      })
    expect((await send(mine.body.id, 'testTone')).status).toBe(201)
    expect((await send(mine.body.id, 'ping')).status).toBe(201)
    expect((await send(mine.body.id, 'restart')).status).toBe(403)
    expect((await send(d.nodeB, 'testTone')).status).toBe(403)
    const zoneCmd = await ctl.apiWith(d.s.write, 'POST', `/api/zones/${d.townA}/commands`, {
      kind: 'ping',
    })
    expect(zoneCmd.status).toBe(403)
  })

  it('limits a technician token with zones to those zones as well', async () => {
    const ctl = await startController()
    const d = await district(ctl)
    const t = await tokenHeaders(ctl, ['technician'], [d.townA])
    const zoneB = await ctl.apiWith<{ code: string }>(t, 'POST', `/api/zones/${d.townB}/commands`, {
      kind: 'ping',
    })
    expect(zoneB.body.code).toBe('OUT_OF_SCOPE')
    const nodeB = await ctl.apiWith(t, 'POST', `/api/nodes/${d.nodeB}/commands`, { kind: 'ping' })
    expect(nodeB.status).toBe(403)
    const zoneA = await ctl.apiWith(t, 'POST', `/api/zones/${d.townA}/commands`, { kind: 'ping' })
    expect(zoneA.status).toBe(201)
  })
})
