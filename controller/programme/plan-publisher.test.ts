import { describe, expect, it } from 'vitest'
import type { PlanMessage } from '../../protocol/index.js'
import { createSigner } from '../platform/signer.js'
import { type ServiceFixture, serviceFixture } from '../testing/service-fixture.js'
import { createPlanPublisher, type Publish } from './plan-publisher.js'
import { PLAN_SENDS_AT_ONCE } from './plan-sends.js'

function publisherOn(f: ServiceFixture) {
  const publisher = createPlanPublisher({
    ...f,
    tz: 'Asia/Shanghai',
    horizonDays: 2,
    isConnected: () => true,
    sign: createSigner(f.dataDir, f.clock).sign,
  })
  f.answerBirths(publisher.onBirth)
  return publisher
}

const plansSent = (f: ServiceFixture) =>
  f.published
    .filter((p) => p.topic.endsWith('/plan'))
    .map((p) => JSON.parse(p.payload) as PlanMessage)

describe('plan publisher on a manual clock', () => {
  it('sends a plan at a birth holding another version, and none when it holds the current one', async () => {
    const f = serviceFixture()
    const publisher = publisherOn(f)
    const online = f.addNode('工具厂 1号', '工具厂社区')
    const offline = f.addNode('工具厂 2号', '工具厂社区')
    f.birth(online)
    await f.clock.advance(0)
    const firstPlan = plansSent(f)
    expect(firstPlan.map((p) => [p.nodeId, p.dates])).toEqual([
      [online, ['2026-11-27', '2026-11-28', '2026-11-29']],
    ])
    expect(firstPlan[0]?.sig).toBeDefined()

    // A refresh stores the offline node's plan; the online one already holds the same version.
    const { changed } = await publisher.refreshAll('programme changed')
    expect(changed).toEqual([offline])
    expect(plansSent(f)).toHaveLength(1)

    // The offline node comes up with no plan: it gets today's; a rebirth with it gets nothing.
    f.birth(offline, 'boot-1', null)
    await f.clock.advance(0)
    const sent = plansSent(f).at(-1)
    expect(sent).toMatchObject({
      nodeId: offline,
      version: firstPlan[0]?.version,
    })
    f.birth(offline, 'boot-2', sent?.version ?? '')
    await f.clock.advance(0)
    expect(plansSent(f)).toHaveLength(2)
  })

  it('sends the plan again at the next birth when the broker did not take it', async () => {
    const f = serviceFixture()
    publisherOn(f)
    const id = f.addNode('西海路 5号', '西海路社区')
    f.failNextPublishes(1)
    f.birth(id)
    await f.clock.advance(0)
    expect(plansSent(f)).toEqual([])
    f.will(id)
    f.birth(id, 'boot-2')
    await f.clock.advance(0)
    expect(plansSent(f).map((p) => p.nodeId)).toEqual([id])
  })

  it('hands at most PLAN_SENDS_AT_ONCE plans to the broker at once, in a birth storm and a re-plan', async () => {
    const f = serviceFixture()
    // A broker that takes its time: publishes finish when the test lets them.
    const open: (() => void)[] = []
    let most = 0
    const delivered: string[] = []
    const publish: Publish = (_topic, payload) =>
      new Promise((resolve) => {
        open.push(() => {
          delivered.push((JSON.parse(payload.toString()) as PlanMessage).nodeId)
          resolve()
        })
        most = Math.max(most, open.length)
      })
    const release = async () => {
      while (open.length > 0) {
        for (const done of open.splice(0)) done()
        await f.clock.advance(0)
      }
    }
    const publisher = createPlanPublisher({
      ...f,
      publish,
      tz: 'Asia/Shanghai',
      horizonDays: 2,
      isConnected: () => true,
      sign: createSigner(f.dataDir, f.clock).sign,
    })
    f.answerBirths(publisher.onBirth)
    const ids = Array.from({ length: 3 * PLAN_SENDS_AT_ONCE }, (_, i) =>
      f.addNode(`规模 ${i}`, i % 2 ? '工具厂社区' : '西海路社区'),
    )
    // Every node is born holding no plan: each is owed one.
    for (const id of ids) f.birth(id)
    await f.clock.advance(0)
    expect(open.length).toBe(PLAN_SENDS_AT_ONCE)
    await release()
    expect(most).toBe(PLAN_SENDS_AT_ONCE)
    expect([...delivered].sort()).toEqual([...ids].sort())

    // A change for every zone: every online node is sent its new plan, as few at once.
    delivered.length = 0
    most = 0
    const sha256 = 'a'.repeat(64)
    f.repos.audio.insert({
      ...{ id: 'news', sha256, sourceSha256: sha256, title: '新闻', originalName: null },
      ...{ durationMs: 2000, sizeBytes: 1000, sourceCodec: null, silent: false },
      ...{ loudnessBefore: null, loudnessAfter: null, createdAt: '2026-11-27T08:00:00.000Z' },
    })
    f.repos.days.put({
      date: '2026-11-28',
      mode: 'add',
      items: [{ id: 'n1', start: '08:00:00', audioId: 'news', title: '新闻' }],
      updatedAt: '2026-11-27T08:00:00.000Z',
    })
    const replan = publisher.refreshAll('a new day')
    await f.clock.advance(0)
    await release()
    const { changed } = await replan
    expect(changed.length).toBe(ids.length)
    expect(most).toBeLessThanOrEqual(PLAN_SENDS_AT_ONCE)
    expect([...delivered].sort()).toEqual([...ids].sort())
  })
})
