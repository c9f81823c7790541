import { describe, expect, it } from 'vitest'
import { startAgent } from '../helpers/agent.js'
import { startController } from '../helpers/controller.js'
import { transitionsOf, waitForPresence } from '../helpers/presence.js'
import { startTcpProxy } from '../helpers/tcp-proxy.js'

const KEEPALIVE_SEC = 5
/** aedes drops a client it has not heard from for 1.5 × keepalive; 2 s of slack on top. */
const DETECT_WITHIN_MS = 1.5 * KEEPALIVE_SEC * 1000 + 2000

describe('fault: agent frozen (link carries nothing, no socket closes)', () => {
  it('marks a node offline by keepalive within 1.5 × keepalive + 2 s', async () => {
    const ctl = await startController()
    const proxy = await startTcpProxy(Number(new URL(ctl.brokerUrl).port))
    const { nodeId } = await startAgent(ctl, {
      sink: 'null',
      extra: { keepaliveSec: String(KEEPALIVE_SEC), brokerUrl: `mqtt://127.0.0.1:${proxy.port}` },
    })
    await waitForPresence(ctl, [nodeId], true)
    expect(proxy.connections()).toBe(1)

    const frozenAt = Date.now()
    proxy.freeze()
    const nodes = await waitForPresence(ctl, [nodeId], false, DETECT_WITHIN_MS)
    const detectedMs = Date.parse(nodes.get(nodeId)!.stateSince!) - frozenAt
    expect(detectedMs).toBeLessThanOrEqual(DETECT_WITHIN_MS)
    // Nothing closed, so only the keepalive can tell: aedes counts 1.5 × keepalive from the last
    // packet it got, and the agent sends one at least every keepalive.
    expect(detectedMs).toBeGreaterThanOrEqual(0.5 * KEEPALIVE_SEC * 1000)

    const last = (await transitionsOf(ctl, nodeId)).at(-1)
    expect(last).toMatchObject({ to: 'offline', reason: 'keepalive' })
  })
})
