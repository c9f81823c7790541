import { describe, expect, it } from 'vitest'
import { tokenHeaders } from '../helpers/auth.js'
import { startController, type TestController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { rawNode } from '../helpers/node-client.js'

interface Alert {
  id: string
  kind: string
  nodeId: string | null
  resolvedAt: string | null
}
interface Incident {
  id: string
  zoneId: string | null
  nodeIds: string[]
}

const FAST = ['--health-interval-sec', '1', '--incident-window-ms', '400']

/** District → two towns → one village each, with `perVillage` online nodes in each village. */
async function district(ctl: TestController) {
  const zone = async (name: string, parentId?: string) =>
    (await ctl.api<{ id: string }>('POST', '/api/zones', { name, parentId })).body.id
  const root = await zone('城北区')
  const townA = await zone('二十里铺镇', root)
  const villageA = await zone('宋家寨村', townA)
  const townB = await zone('大堡子镇', root)
  const villageB = await zone('严小村', townB)
  return { root, townA, villageA, townB, villageB }
}

describe('a technician limited to one zone', () => {
  it("sees and acts on its own zones' alerts only, and cannot change alert rules", async () => {
    const ctl = await startController({ args: [...FAST, '--incident-min-nodes', '50'] })
    const d = await district(ctl)
    expect(
      (
        await ctl.api('PUT', '/api/alert-rules/nodeOffline', {
          enabled: true,
          params: { minutes: 0 },
        })
      ).status,
    ).toBe(200)
    const a = await rawNode(ctl, '宋家寨 1', d.villageA)
    const b = await rawNode(ctl, '严小村 1', d.villageB)
    await a.birth()
    await b.birth()
    await waitFor(
      async () =>
        (await ctl.api<{ online: number }>('GET', '/api/fleet/summary')).body.online === 2,
      'both online',
    )
    a.drop()
    b.drop()
    const all = await waitFor(async () => {
      const open = (await ctl.api<Alert[]>('GET', '/api/alerts')).body
      return open.filter((x) => x.kind === 'nodeOffline').length === 2 ? open : null
    }, 'two offline alerts')
    const alertA = all.find((x) => x.nodeId === a.id)!
    const alertB = all.find((x) => x.nodeId === b.id)!

    const tech = await tokenHeaders(ctl, ['technician'], [d.townA])
    const seen = await ctl.apiWith<Alert[]>(tech, 'GET', '/api/alerts?state=all')
    expect(seen.body.map((x) => x.id)).toEqual([alertA.id])

    for (const action of ['ack', 'resolve']) {
      const r = await ctl.apiWith<{ code: string }>(
        tech,
        'POST',
        `/api/alerts/${alertB.id}/${action}`,
      )
      expect(r.status, action).toBe(403)
      expect(r.body.code).toBe('OUT_OF_SCOPE')
    }
    const still = (await ctl.api<Alert[]>('GET', '/api/alerts?state=all')).body
    expect(still.find((x) => x.id === alertB.id)).toMatchObject({ resolvedAt: null, ackedAt: null })
    expect((await ctl.apiWith(tech, 'POST', `/api/alerts/${alertA.id}/ack`)).status).toBe(200)

    const rule = await ctl.apiWith<{ code: string }>(tech, 'PUT', '/api/alert-rules/nodeOffline', {
      enabled: false,
    })
    expect(rule.status).toBe(403)
    const rules = (await ctl.api<{ kind: string; enabled: boolean }[]>('GET', '/api/alert-rules'))
      .body
    expect(rules.find((r) => r.kind === 'nodeOffline')?.enabled).toBe(true)
    expect((await ctl.apiWith(tech, 'GET', '/api/webhook/deliveries')).status).toBe(403)
    // A technician for the whole district still may.
    const districtTech = await tokenHeaders(ctl, ['technician'])
    expect(
      (
        await ctl.apiWith(districtTech, 'PUT', '/api/alert-rules/nodeOffline', {
          enabled: true,
          params: { minutes: 0 },
        })
      ).status,
    ).toBe(200)
    expect((await ctl.apiWith(districtTech, 'POST', `/api/alerts/${alertB.id}/ack`)).status).toBe(
      200,
    )
  })

  it('sees only incidents that touch its zones, and only its own nodes in them', async () => {
    const ctl = await startController({ args: [...FAST, '--incident-min-nodes', '3'] })
    const d = await district(ctl)
    const nodes = []
    for (let i = 0; i < 3; i++) nodes.push(await rawNode(ctl, `严小村 ${i}`, d.villageB))
    for (const n of nodes) await n.birth()
    await waitFor(
      async () =>
        (await ctl.api<{ online: number }>('GET', '/api/fleet/summary')).body.online === 3,
      'all online',
    )
    for (const n of nodes) n.drop()
    await waitFor(
      async () => (await ctl.api<Incident[]>('GET', '/api/incidents')).body[0],
      'incident',
    )
    const techA = await tokenHeaders(ctl, ['technician'], [d.townA])
    expect((await ctl.apiWith<Incident[]>(techA, 'GET', '/api/incidents')).body).toEqual([])
    const techB = await tokenHeaders(ctl, ['technician'], [d.villageB])
    expect((await ctl.apiWith<Incident[]>(techB, 'GET', '/api/incidents')).body).toHaveLength(1)
  })

  it("cannot read another zone's command batch", async () => {
    const ctl = await startController()
    const d = await district(ctl)
    await ctl.register('严小村 1', d.villageB)
    const batch = await ctl.api<{ batchId: string; commands: unknown[] }>(
      'POST',
      `/api/zones/${d.villageB}/commands`,
      { kind: 'ping' },
    )
    expect(batch.status).toBe(201)
    expect(batch.body.commands).toHaveLength(1)
    const techA = await tokenHeaders(ctl, ['technician'], [d.townA])
    const r = await ctl.apiWith<{ code: string }>(
      techA,
      'GET',
      `/api/commands/batches/${batch.body.batchId}`,
    )
    expect(r.status).toBe(403)
    expect(r.body.code).toBe('OUT_OF_SCOPE')
    const techB = await tokenHeaders(ctl, ['technician'], [d.townB])
    const ok = await ctl.apiWith<{ commands: unknown[] }>(
      techB,
      'GET',
      `/api/commands/batches/${batch.body.batchId}`,
    )
    expect(ok.body.commands).toHaveLength(1)
  })
})
