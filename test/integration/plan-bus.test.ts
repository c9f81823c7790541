import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { nodeTopic, type PlanMessage } from '../../protocol/index.js'
import { startController, type TestController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { connectNode, type RawNode, rawNode } from '../helpers/node-client.js'
import { tmpDir } from '../helpers/tmp-dir.js'
import { horizon, uploadTone } from './programme-fixtures.js'

/** The plans the controller pushes to a raw node, in order of arrival. */
async function planInbox(node: RawNode) {
  const plans: PlanMessage[] = []
  const topic = nodeTopic(node.id, 'plan')
  node.client.on('message', (t, payload) => {
    if (t === topic) plans.push(JSON.parse(payload.toString()) as PlanMessage)
  })
  await node.client.subscribeAsync(topic, { qos: 1 })
  return plans
}

/** A raw node online with its first plan, and the inbox of the plans that follow. */
async function onlineNode(ctl: TestController, name: string, zone?: string) {
  const node = await rawNode(ctl, name, zone)
  const plans = await planInbox(node)
  await node.birth(null)
  await waitFor(() => plans.length > 0, `${name}'s first plan`)
  return { node, plans }
}

const storedVersion = (ctl: TestController, nodeId: string) =>
  ctl.controller.deps?.services.plans.currentPlan(nodeId)?.version

const item = (start: string, audioId: string, extra: Record<string, unknown> = {}) => ({
  id: `i${start.replaceAll(':', '')}`,
  start,
  audioId,
  title: '',
  ...extra,
})

describe('a programme save commits and answers; plans follow on the bus (issue 12)', () => {
  it('answers the PUT before re-planning; the node receives the new version after', async () => {
    // Coalescing for an hour: nothing is re-planned until the test asks.
    const hour = '3600000'
    const ctl = await startController({
      args: ['--plan-coalesce-ms', hour, '--plan-max-wait-ms', hour],
    })
    const news = await uploadTone(ctl, 'news', 1)
    const { node, plans } = await onlineNode(ctl, 'n1')
    const v0 = plans[0]?.version
    const date = (await horizon(ctl))[1]?.date as string
    const put = await ctl.api('PUT', `/api/days/${date}`, { items: [item('08:00:00', news.id)] })
    expect(put.status).toBe(200)
    // Answered, committed, and not re-planned: the stored plan and the node are as before.
    expect(storedVersion(ctl, node.id)).toBe(v0)
    expect(ctl.controller.planChanges()?.stats()).toMatchObject({ pending: true, replans: 0 })
    expect(plans).toHaveLength(1)
    ctl.controller.planChanges()?.publishNow()
    const next = await waitFor(() => plans[1], 'the new plan')
    expect(next.version).not.toBe(v0)
    expect(next.items.map((i) => i.itemId)).toEqual([`${date}/i080000`])
  })

  it('coalesces ten quick saves: the node receives few versions, the last with the final content', async () => {
    const ctl = await startController({
      args: ['--plan-coalesce-ms', '1500', '--plan-max-wait-ms', '60000'],
    })
    const news = await uploadTone(ctl, 'news', 1)
    const { plans } = await onlineNode(ctl, 'n1')
    const date = (await horizon(ctl))[1]?.date as string
    for (let i = 0; i < 10; i++) {
      const start = `08:0${i}:00`
      const r = await ctl.api('PUT', `/api/days/${date}`, { items: [item(start, news.id)] })
      expect(r.status).toBe(200)
    }
    await ctl.plansPublished()
    const last = await waitFor(() => {
      const p = plans[plans.length - 1]
      return p?.items[0]?.itemId === `${date}/i080900` ? p : null
    }, 'the final content')
    expect(last.items.map((i) => i.itemId)).toEqual([`${date}/i080900`])
    // Ten saves, at most a few re-plans (one per pause longer than 1.5 s between two saves).
    const received = plans.length - 1
    expect(received).toBeGreaterThanOrEqual(1)
    expect(received).toBeLessThanOrEqual(3)
    expect(ctl.controller.planChanges()?.stats().replans).toBe(received)
  })

  it('re-plans only the changed dates and zones: other nodes get no new version', async () => {
    const ctl = await startController()
    const news = await uploadTone(ctl, 'news', 1)
    const west = await onlineNode(ctl, 'west', '西海路社区')
    const east = await onlineNode(ctl, 'east', '工具厂社区')
    const zones = await ctl.api<{ id: string; name: string }[]>('GET', '/api/zones')
    const westZone = zones.body.find((z) => z.name === '西海路社区')?.id as string
    const days = await horizon(ctl)
    const date = days[1]?.date as string
    const eastBefore = storedVersion(ctl, east.node.id)
    await ctl.api('PUT', `/api/days/${date}`, {
      mode: 'add',
      items: [item('09:00:00', news.id, { zones: [westZone] })],
    })
    await waitFor(() => west.plans.length > 1, "west's new plan")
    await ctl.plansPublished()
    expect(east.plans).toHaveLength(1)
    expect(storedVersion(ctl, east.node.id)).toBe(eastBefore)
    // A date beyond the plans' horizon changes nobody's plan.
    const far = new Date(Date.parse(`${days[days.length - 1]?.date}T00:00:00Z`) + 30 * 86_400_000)
    const farDate = far.toISOString().slice(0, 10)
    const put = await ctl.api('PUT', `/api/days/${farDate}`, { items: [item('10:00:00', news.id)] })
    expect(put.status).toBe(200)
    await ctl.plansPublished()
    expect([west.plans.length, east.plans.length]).toEqual([2, 1])
  })

  it('a save is not lost when the controller stops before publishing it', async () => {
    const dataDir = tmpDir('chorus-planbus-')
    const hour = '3600000'
    const first = await startController({
      dataDir,
      args: ['--plan-coalesce-ms', hour, '--plan-max-wait-ms', hour],
    })
    const news = await uploadTone(first, 'news', 1)
    const { node, plans } = await onlineNode(first, 'n1')
    const v0 = plans[0]?.version as string
    const date = (await horizon(first))[1]?.date as string
    await first.api('PUT', `/api/days/${date}`, { items: [item('08:00:00', news.id)] })
    expect(plans).toHaveLength(1)
    node.client.end(true)
    await first.stop()
    const second = await startController({ dataDir })
    const again = await connectNode(second, node)
    const inbox = await planInbox(again)
    await again.birth(v0)
    const plan = await waitFor(() => inbox[0], 'the plan after the restart')
    expect(plan.version).not.toBe(v0)
    expect(plan.items.map((i) => i.itemId)).toEqual([`${date}/i080000`])
  })
})

describe('bus listeners are isolated', () => {
  it('a throwing listener is logged and counted in /metrics; ingestion goes on', async () => {
    const ctl = await startController()
    const deps = ctl.controller.deps
    if (!deps) throw new Error('not started')
    const { bus } = deps
    const failingReportWriter = () => {
      throw new Error('SQLITE_FULL: database or disk is full')
    }
    bus.on('playReported', failingReportWriter)
    const node = await rawNode(ctl, 'n1')
    const at = new Date().toISOString()
    const play = () => ({
      id: randomUUID(),
      type: 'play.failed',
      at,
      itemId: `${at.slice(0, 10)}/s1`,
      scheduledAt: at,
      reason: 'download',
    })
    const [a, b] = [play(), play()]
    await node.events([a])
    await node.events([b])
    const stored = () =>
      (deps.repos.events.recentPlays(node.id, 10) as { eventId: string }[]).map((r) => r.eventId)
    await waitFor(() => stored().length === 2, 'both events stored')
    expect(stored().sort()).toEqual([a.id, b.id].sort())
    const metrics = await ctl.api<string>('GET', '/metrics')
    expect(String(metrics.body)).toContain(
      'chorus_bus_listener_errors_total{event="playReported",listener="failingReportWriter"} 2',
    )
    bus.off('playReported', failingReportWriter)
  })
})
