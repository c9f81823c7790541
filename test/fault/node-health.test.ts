import { describe, expect, it } from 'vitest'
import { startAgent } from '../helpers/agent.js'
import { startController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { type NodePresence, nodesById } from '../helpers/presence.js'

type Reason = NodePresence['degradedReasons'][number]

/** Waits until the node is degraded with a reason of `code`, and returns that reason. */
async function degradedBy(
  ctl: Awaited<ReturnType<typeof startController>>,
  nodeId: string,
  code: string,
): Promise<Reason> {
  return waitFor(
    async () => {
      const node = (await nodesById(ctl)).get(nodeId)
      if (node?.state !== 'degraded') return null
      return node.degradedReasons.find((r) => r.code === code) ?? null
    },
    `${nodeId} degraded by ${code}`,
    10_000,
  )
}

describe('fault: node health seen from the agent (telemetry right after connect)', () => {
  it('flags a node whose clock is 30 s behind the controller within seconds', async () => {
    const ctl = await startController({ clock: { now: () => Date.now() + 30_000 } })
    const { nodeId } = await startAgent(ctl, { sink: 'null' })
    const reason = await degradedBy(ctl, nodeId, 'clock')
    // The agent measured it against GET /api/time; it reports and never corrects its clock.
    expect(Math.abs(Number(reason.params?.offsetMs) - 30_000)).toBeLessThan(1000)
  })

  it('flags a node whose ALSA device is missing within seconds', async () => {
    const ctl = await startController()
    // Card 9 is listed in /proc/asound/cards on no ordinary machine (and there is none here).
    const { nodeId } = await startAgent(ctl, { sink: 'null', extra: { sink: 'alsa:hw:9,0' } })
    const reason = await degradedBy(ctl, nodeId, 'audio')
    expect(reason.params?.state).toBe('missing')
  })
})
