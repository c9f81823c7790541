import { describe, expect, it, onTestFinished } from 'vitest'
import { type ServiceFixture, serviceFixture } from '../testing/service-fixture.js'
import { createIncidents } from './incidents.js'
import { createNodeHealth } from './node-health.js'
import { createNodeViews } from './node-views.js'

/** The node views (and so the summary) over the fixture, with real health and incidents. */
function viewsOn(f: ServiceFixture) {
  const health = createNodeHealth({
    ...f,
    thresholds: {
      clockOffsetMaxMs: 1000,
      clockUncertaintyMaxMs: 1000,
      lateStartMaxMs: 3000,
      diskMinFreeMb: 100,
    },
    telemetryOf: f.fleet.telemetryOf,
  })
  const zoneLineage = f.provisioning.zoneLineage
  const incidents = createIncidents({ ...f, windowMs: 1000, minNodes: 50, zoneLineage })
  health.start()
  incidents.start()
  onTestFinished(() => {
    incidents.stop()
    health.stop()
  })
  const make = () =>
    createNodeViews({ repos: f.repos, fleet: f.fleet, health, incidents, zoneLineage, bus: f.bus })
  return { views: make(), make }
}

const play = (f: ServiceFixture, nodeId: string, type: string) =>
  f.bus.emit('playReported', {
    nodeId,
    eventId: `${nodeId}-${type}-${f.clock.now()}`,
    itemId: null,
    type,
    at: new Date(f.clock.now()).toISOString(),
    date: null,
    reason: null,
  })

describe('fleet summary kept up to date', () => {
  it('follows nodes going online and offline, playing, and being retired, read after read', () => {
    const f = serviceFixture()
    const { views } = viewsOn(f)
    const [a, b, c] = ['西海路 1号', '西海路 2号', '工具厂 1号'].map((n) => f.addNode(n))
    const counts = () => views.summary()
    expect(counts()).toEqual({
      total: 3,
      online: 0,
      offline: 3,
      degraded: 0,
      flapping: 0,
      playing: 0,
    })
    f.birth(a as string)
    f.birth(b as string)
    expect(counts()).toMatchObject({ total: 3, online: 2, offline: 1, playing: 0 })
    // A play report changes no state but the playing count, at once (no cache to wait out).
    play(f, a as string, 'play.started')
    expect(counts()).toMatchObject({ online: 2, playing: 1 })
    play(f, a as string, 'play.finished')
    expect(counts()).toMatchObject({ playing: 0 })
    play(f, b as string, 'play.started')
    f.will(b as string)
    expect(counts()).toMatchObject({ total: 3, online: 1, offline: 2, playing: 0 })
    f.provisioning.retireNode(c as string)
    expect(counts()).toMatchObject({ total: 2, online: 1, offline: 1 })
    f.addNode('工具厂 2号')
    expect(counts()).toMatchObject({ total: 3, online: 1, offline: 2 })
  })

  it('shows a flapping node as such, and no longer once its window has passed without an event', async () => {
    const f = serviceFixture()
    const { views } = viewsOn(f)
    const id = f.addNode('严小村 1号')
    for (let i = 0; i < 3; i++) {
      f.birth(id, `boot-${i}`)
      f.will(id, `boot-${i}`)
    }
    f.birth(id, 'boot-9')
    expect(views.summary()).toMatchObject({ total: 1, flapping: 1, online: 0 })
    // The fixture's flap window is 600 s; no event comes when it ends.
    await f.clock.advance(601_000)
    expect(views.summary()).toMatchObject({ total: 1, flapping: 0, online: 1 })
  })

  it('counts as a fresh walk of the fleet would, after many changes in any order', async () => {
    const f = serviceFixture()
    const { views, make } = viewsOn(f)
    const ids = Array.from({ length: 40 }, (_, i) =>
      f.addNode(`节点 ${i}`, i % 2 ? '严小村' : '西海路社区'),
    )
    views.summary()
    let seed = 7
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % n
    }
    for (let step = 0; step < 400; step++) {
      const id = ids[rand(ids.length)] as string
      const node = f.repos.nodes.get(id)
      if (node?.retiredAt) continue
      const r = rand(10)
      if (r < 4) f.birth(id, `boot-${step}`)
      else if (r < 7) f.will(id, node?.bootId ?? 'boot-1')
      else if (r < 9) play(f, id, r === 7 ? 'play.started' : 'play.finished')
      else if (step % 3 === 0) f.provisioning.retireNode(id)
      // Read now and then, as a dashboard would, so corrections pile up between reads.
      if (step % 17 === 0) views.summary()
      await f.clock.advance(rand(5_000))
    }
    const fresh = make().summary()
    expect(views.summary()).toEqual(fresh)
    expect(fresh.total).toBeGreaterThan(0)
  })
})
