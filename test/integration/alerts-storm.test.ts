import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { AgentEvent } from '../../protocol/index.js'
import { startController, type TestController } from '../helpers/controller.js'

interface Alert {
  id: string
  kind: string
  nodeId: string | null
  message: string
  params: Record<string, unknown>
}

const NODES = 500
// No interval pass during the test: every evaluation seen comes from the events.
const ARGS = ['--health-interval-sec', '300']

/** NODES installed nodes (connected once, online) in one village under a town. */
function installNodes(ctl: TestController): string[] {
  const deps = ctl.controller.deps
  if (!deps) throw new Error('controller not started')
  const town = deps.services.provisioning.createZone({ name: '二十里铺镇' })
  const village = deps.services.provisioning.createZone({ name: '严小村', parentId: town.id })
  const at = new Date().toISOString()
  return Array.from({ length: NODES }, (_, i) => {
    const id = `node-storm${i}`
    deps.repos.nodes.insert({
      ...{ id, name: `喇叭${i}`, zoneId: village.id, lat: null, lon: null, isTest: false },
      ...{ secretHash: 'x'.repeat(64), createdAt: at, serial: null, notes: null },
    })
    deps.repos.nodes.markOnline({ id, at, bootId: 'b1', agentVersion: 't', planVersion: null })
    return id
  })
}

function play(type: 'play.failed' | 'play.finished', i: number): AgentEvent {
  const at = new Date().toISOString()
  const itemId = `${at.slice(0, 10)}/s${i % 15}`
  return (
    type === 'play.failed'
      ? { id: randomUUID(), type, at, itemId, scheduledAt: at, reason: 'decode' }
      : { id: randomUUID(), type, at, itemId }
  ) as AgentEvent
}

/** Lets the turn of the event loop the alerts scheduled themselves on run. */
const nextTurn = () => new Promise((r) => setImmediate(r))

describe('a failure storm', () => {
  it('opens one playFailed alert per node from one evaluation pass, and resolves them all from one more', async () => {
    const ctl = await startController({ args: ARGS })
    const deps = ctl.controller.deps
    if (!deps) throw new Error('controller not started')
    const { ingest, alerts } = deps.services
    const ids = installNodes(ctl)
    const before = alerts.stats()

    // 500 failures (one batch, one transaction); node 0 fails twice in the same batch.
    ingest.add(ids[0] as string, [play('play.failed', 0)])
    for (const [i, id] of ids.entries()) ingest.add(id, [play('play.failed', i)])
    ingest.flush()
    expect(alerts.stats().nodesDue).toBe(NODES)
    await nextTurn()
    // (Periodic ticks that found nothing changed may be counted as skipped meanwhile.)
    expect(alerts.stats()).toMatchObject({
      fullPasses: before.fullPasses,
      nodePasses: before.nodePasses + 1,
      nodesDue: 0,
    })
    const open = (await ctl.api<Alert[]>('GET', '/api/alerts?state=open')).body
    const failed = open.filter((a) => a.kind === 'playFailed')
    expect(failed).toHaveLength(NODES)
    expect(new Set(failed.map((a) => a.nodeId))).toEqual(new Set(ids))
    // Both of node 0's failures were counted before its alert opened.
    const first = failed.find((a) => a.nodeId === ids[0])
    expect(first?.params).toMatchObject({ count: 2, reason: 'decode' })
    expect(failed.find((a) => a.nodeId === ids[1])?.params).toMatchObject({ count: 1 })
    // The storm was per node: no zone or node-offline alert came out of it.
    expect(open.filter((a) => a.kind !== 'playFailed')).toEqual([])

    // A second failure changes nothing (one open alert per subject); a finished play clears.
    for (const [i, id] of ids.entries()) {
      ingest.add(id, [play(i === 1 ? 'play.failed' : 'play.finished', i)])
    }
    ingest.flush()
    await nextTurn()
    expect(alerts.stats().nodePasses).toBe(before.nodePasses + 2)
    const left = (await ctl.api<Alert[]>('GET', '/api/alerts?state=open')).body
    expect(left.map((a) => a.nodeId)).toEqual([ids[1]])
    // The API lists the latest 200; the store holds them all.
    const resolved = deps.repos.alerts.recent(2 * NODES).filter((a) => a.resolution === 'auto')
    expect(resolved).toHaveLength(NODES - 1)
  })

  it('keeps zone lineages right while they are cached', async () => {
    const ctl = await startController({ args: ARGS })
    const provisioning = ctl.controller.deps?.services.provisioning
    if (!provisioning) throw new Error('controller not started')
    const town = provisioning.createZone({ name: '大堡子镇' })
    const village = provisioning.createZone({ name: '晋家湾', parentId: town.id })
    const first = provisioning.zoneLineage(village.id)
    expect(first).toEqual([village.id, town.id])
    first.push('scribbled')
    expect(provisioning.zoneLineage(village.id)).toEqual([village.id, town.id])
    const hamlet = provisioning.createZone({ name: '一社', parentId: village.id })
    expect(provisioning.zoneLineage(hamlet.id)).toEqual([hamlet.id, village.id, town.id])
    expect(provisioning.zoneLineage('z-unknown')).toEqual([])
  })
})
