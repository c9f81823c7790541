import { describe, expect, it } from 'vitest'
import {
  type CommandMessage,
  createPayloadDecoder,
  FLEET_TOPICS,
  nodeTopic,
  type PlanMessage,
} from '../protocol/index.js'
import { createRouter } from './router.js'
import { silentLogger } from './testing/tmp-dir.js'

const PLAN: PlanMessage = {
  v: 1,
  nodeId: 'n1',
  version: 'v1',
  generatedAt: '2026-11-27T00:00:00.000Z',
  tz: 'Asia/Shanghai',
  dates: [],
  items: [],
}

function setup() {
  const seen: string[] = []
  const router = createRouter({
    nodeId: 'n1',
    decoder: createPayloadDecoder(),
    log: silentLogger(),
    handlers: {
      plan: async (p) => {
        seen.push(`plan ${p.version}`)
        if (p.version === 'boom') throw new Error('handler bug')
      },
      cmd: async (c: CommandMessage) => {
        seen.push(`cmd ${c.id}`)
      },
      receipt: async (r) => {
        seen.push(`receipt ${r.stored.join(',')}`)
      },
      rebirth: async () => {
        seen.push('rebirth')
      },
    },
  })
  return { router, seen }
}

describe('router', () => {
  it('dispatches valid plan, cmd and rebirth messages to their handlers', async () => {
    const { router, seen } = setup()
    router.dispatch(nodeTopic('n1', 'plan'), Buffer.from(JSON.stringify(PLAN)))
    const cmd = {
      v: 1,
      id: 'c1',
      kind: 'ping',
      issuedAt: '2026-11-27T00:00:00Z',
      expiresAt: '2026-11-27T00:01:00Z',
    }
    router.dispatch(nodeTopic('n1', 'cmd'), Buffer.from(JSON.stringify(cmd)))
    const rebirth = { v: 1, requestId: 'r1', at: '2026-11-27T00:00:00Z' }
    router.dispatch(FLEET_TOPICS.rebirth, Buffer.from(JSON.stringify(rebirth)))
    const receipt = { v: 1, nodeId: 'n1', at: '2026-11-27T00:00:00Z', stored: ['e1'], rejected: [] }
    router.dispatch(nodeTopic('n1', 'receipt'), Buffer.from(JSON.stringify(receipt)))
    router.dispatch(nodeTopic('n1', 'receipt'), Buffer.from(JSON.stringify({ ...receipt, v: 2 })))
    await router.idle()
    expect(seen.sort()).toEqual(['cmd c1', 'plan v1', 'rebirth', 'receipt e1'])
    expect(router.stats).toEqual({ handled: 4, rejected: 1, failed: 0 })
  })

  it('counts and drops payloads that are not JSON, break the schema or use a foreign topic', async () => {
    const { router, seen } = setup()
    router.dispatch(nodeTopic('n1', 'plan'), Buffer.from('{not json'))
    router.dispatch(nodeTopic('n1', 'plan'), Buffer.from(JSON.stringify({ ...PLAN, items: 'x' })))
    router.dispatch(nodeTopic('n2', 'plan'), Buffer.from(JSON.stringify(PLAN)))
    router.dispatch(nodeTopic('n1', 'status'), Buffer.from('{}'))
    router.dispatch('somewhere/else', Buffer.from('{}'))
    await router.idle()
    expect(seen).toEqual([])
    expect(router.stats.rejected).toBe(5)
  })

  it('keeps going after a handler throws', async () => {
    const { router, seen } = setup()
    router.dispatch(
      nodeTopic('n1', 'plan'),
      Buffer.from(JSON.stringify({ ...PLAN, version: 'boom' })),
    )
    router.dispatch(
      nodeTopic('n1', 'plan'),
      Buffer.from(JSON.stringify({ ...PLAN, version: 'v2' })),
    )
    await router.idle()
    expect(seen).toEqual(['plan boom', 'plan v2'])
    expect(router.stats.failed).toBe(1)
  })
})
