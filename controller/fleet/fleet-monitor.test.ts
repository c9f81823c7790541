import { describe, expect, it } from 'vitest'
import type { Transition } from '../platform/events.js'
import { serviceFixture } from '../testing/service-fixture.js'
import { createFleetMonitor, FLUSH_MS } from './fleet-monitor.js'
import { createRestartPresence, rebirthWaitSec } from './restart-presence.js'

const iso = (ms: number) => new Date(ms).toISOString()

describe('fleet monitor on a manual clock', () => {
  it('shows a node online at its birth, offline at its will, and online again', async () => {
    const f = serviceFixture()
    const seen: Transition[] = []
    f.bus.on('transition', (t) => seen.push(t))
    const id = f.addNode('西海路 1号')
    const t0 = f.clock.now()

    f.birth(id)
    expect(f.repos.nodes.get(id)).toMatchObject({ online: true, stateSince: iso(t0) })
    await f.clock.advance(60_000)
    f.will(id)
    expect(f.repos.nodes.get(id)).toMatchObject({ online: false, stateSince: iso(t0 + 60_000) })
    await f.clock.advance(30_000)
    f.birth(id, 'boot-2')
    expect(f.repos.nodes.get(id)).toMatchObject({ online: true, stateSince: iso(t0 + 90_000) })
    expect(seen.map((t) => [t.to, t.reason])).toEqual([
      ['online', 'birth'],
      ['offline', 'will'],
      ['online', 'birth'],
    ])
    // Each one is on record (a birth writes the row and its transition in one commit).
    const stored = f.repos.telemetry.transitions(id, iso(t0))
    expect(stored.map((t) => [t.from, t.to, t.at, t.reason])).toEqual([
      ['offline', 'online', iso(t0), 'birth'],
      ['online', 'offline', iso(t0 + 60_000), 'will'],
      ['offline', 'online', iso(t0 + 90_000), 'birth'],
    ])
    // A rebirth while online is no transition.
    f.birth(id, 'boot-2')
    expect(f.repos.telemetry.transitions(id, iso(t0))).toHaveLength(3)
  })

  it('writes last-seen times on its flush timer, not per message', async () => {
    const f = serviceFixture()
    const id = f.addNode('工具厂 2号')
    f.birth(id)
    const bornAt = f.repos.nodes.get(id)?.lastSeen
    await f.clock.advance(2_000)
    f.fleet.seen(id)
    expect(f.repos.nodes.get(id)?.lastSeen).toBe(bornAt)
    await f.clock.advance(FLUSH_MS - 2_000)
    expect(f.repos.nodes.get(id)?.lastSeen).toBe(iso(f.clock.now() - FLUSH_MS + 2_000))
  })

  it('after a controller restart, shows a silent node offline once the grace is over', async () => {
    const f = serviceFixture()
    const back = f.addNode('大堡子 1号', '大堡子镇')
    const silent = f.addNode('大堡子 2号', '大堡子镇')
    f.birth(back)
    f.birth(silent)
    f.fleet.stop()
    const stoppedAt = f.clock.now()
    await f.clock.advance(120_000) // the controller is down for two minutes

    // The restarted controller: a new monitor and the start-up presence wait.
    const fleet = createFleetMonitor({
      repos: f.repos,
      registry: f.registry,
      bus: f.bus,
      clock: f.clock,
      log: f.log,
      flapWindowSec: 600,
      flapThreshold: 6,
      onBirth: async () => {},
    })
    fleet.start()
    fleet.resume(iso(stoppedAt))
    const presence = createRestartPresence({
      repos: f.repos,
      clock: f.clock,
      log: f.log,
      fleet,
      graceSec: 15,
      agentReconnectCapSec: 30,
      isConnected: () => false,
    })
    presence.start()
    const waitMs = rebirthWaitSec({ graceSec: 15, agentReconnectCapSec: 30, nodes: 2 }) * 1000
    await f.clock.advance(5_000)
    fleet.onStatus(back, {
      v: 1,
      state: 'online',
      nodeId: back,
      bootId: 'boot-1',
      agentVersion: 'test',
      planVersion: null,
      reason: 'rebirth',
    })
    // Within the grace, both are still shown online (the silent one may yet answer).
    await f.clock.advance(waitMs - 6_000)
    expect(f.repos.nodes.get(silent)?.online).toBe(true)
    expect(presence.pending()).toBe(1)
    await f.clock.advance(2_000)
    expect(f.repos.nodes.get(back)?.online).toBe(true)
    // Offline from when the previous run stopped watching: the whole outage counts.
    expect(f.repos.nodes.get(silent)).toMatchObject({ online: false, stateSince: iso(stoppedAt) })
    expect(presence.pending()).toBe(0)
    presence.stop()
    fleet.stop()
  })
})
