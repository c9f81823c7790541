import { describe, expect, it } from 'vitest'
import type { PlanMessage } from '../../protocol/index.js'
import { createSigner } from '../platform/signer.js'
import { type ServiceFixture, serviceFixture } from '../testing/service-fixture.js'
import { createPlanPublisher } from './plan-publisher.js'

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
})
