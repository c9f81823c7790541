import { describe, expect, it, onTestFinished } from 'vitest'
import { type ServiceFixture, serviceFixture } from '../testing/service-fixture.js'
import { createIncidents } from './incidents.js'

const WINDOW_MS = 10_000

function incidentsOn(f: ServiceFixture) {
  const incidents = createIncidents({
    ...f,
    windowMs: WINDOW_MS,
    minNodes: 3,
    zoneLineage: f.provisioning.zoneLineage,
  })
  incidents.start()
  onTestFinished(() => incidents.stop())
  return incidents
}

describe('incidents on a manual clock', () => {
  it('groups a village going dark within the window into one zone outage, over when they return', async () => {
    const f = serviceFixture()
    const incidents = incidentsOn(f)
    const village = ['严小村 1号', '严小村 2号', '严小村 3号'].map((n) => f.addNode(n, '严小村'))
    const elsewhere = f.addNode('西海路 1号', '西海路社区')
    for (const id of [...village, elsewhere]) f.birth(id)
    const firstDrop = new Date(f.clock.now()).toISOString()

    for (const id of village) {
      f.will(id)
      await f.clock.advance(2_000)
    }
    expect(f.repos.alerts.openIncidents()).toEqual([]) // still gathering
    await f.clock.advance(WINDOW_MS - 6_000)
    const [incident] = f.repos.alerts.openIncidents()
    expect(incident).toMatchObject({
      cause: 'zone-outage',
      startedAt: firstDrop,
      nodeIds: [...village].sort(),
      zoneId: f.repos.nodes.get(village[0] ?? '')?.zoneId,
    })
    expect(incidents.incidentOf(village[1] ?? '')).toBe(incident?.id)

    for (const id of village) f.birth(id, 'boot-2')
    expect(f.repos.alerts.openIncidents()).toEqual([])
    expect(f.repos.alerts.incidents()[0]).toMatchObject({
      id: incident?.id,
      endedAt: new Date(f.clock.now()).toISOString(),
    })
  })

  it('opens none when the drops are further apart than the window', async () => {
    const f = serviceFixture()
    incidentsOn(f)
    const ids = ['晋家湾 1号', '晋家湾 2号', '晋家湾 3号'].map((n) => f.addNode(n, '晋家湾'))
    for (const id of ids) f.birth(id)
    f.will(ids[0] ?? '')
    f.will(ids[1] ?? '')
    await f.clock.advance(WINDOW_MS + 1)
    f.will(ids[2] ?? '')
    await f.clock.advance(WINDOW_MS + 1)
    expect(f.repos.alerts.incidents()).toEqual([])
  })
})
