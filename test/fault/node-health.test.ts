import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it, onTestFinished } from 'vitest'
import { clockWithNow } from '../../controller/platform/time.js'
import { startAgent } from '../helpers/agent.js'
import { startController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { type NodePresence, nodesById } from '../helpers/presence.js'

type Reason = NodePresence['degradedReasons'][number]

/**
 * A real HTTP forwarder in front of the controller that holds every `GET /api/time` answer for
 * `delayMs` (a slow, asymmetric link): the node's clock estimate becomes that uncertain.
 */
async function slowClockLink(target: string, delayMs: number): Promise<string> {
  const to = new URL(target)
  const server = createServer((req, res) => {
    const upstream = request(
      { host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        const answer = (): void => {
          res.writeHead(up.statusCode ?? 502, up.headers)
          up.pipe(res)
        }
        if (req.url === '/api/time') setTimeout(answer, delayMs)
        else answer()
      },
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

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
    const ctl = await startController({ clock: clockWithNow(() => Date.now() + 30_000) })
    const { nodeId } = await startAgent(ctl, { sink: 'null' })
    const reason = await degradedBy(ctl, nodeId, 'clock')
    // The agent measured it against GET /api/time (it schedules by the controller's clock, and
    // the controller still flags the node's own clock).
    expect(Math.abs(Number(reason.params?.offsetMs) - 30_000)).toBeLessThan(1000)
  })

  it('flags a node whose estimate of the controller clock is uncertain (slow round trip)', async () => {
    const ctl = await startController()
    const controllerUrl = await slowClockLink(ctl.url, 400)
    const { nodeId } = await startAgent(ctl, { sink: 'null', extra: { controllerUrl } })
    const reason = await degradedBy(ctl, nodeId, 'clock')
    // Half a round trip of at least 400 ms; the default threshold is 100 ms.
    expect(Number(reason.params?.uncertaintyMs)).toBeGreaterThanOrEqual(200)
    const timing = await ctl.api<{ clockUncertaintyMs: number | null }>(
      'GET',
      `/api/nodes/${nodeId}/timing`,
    )
    expect(timing.body.clockUncertaintyMs).toBeGreaterThanOrEqual(200)
  })

  it('flags a node whose ALSA device is missing within seconds', async () => {
    const ctl = await startController()
    // Card 9 is listed in /proc/asound/cards on no ordinary machine (and there is none here).
    const { nodeId } = await startAgent(ctl, { sink: 'null', extra: { sink: 'alsa:hw:9,0' } })
    const reason = await degradedBy(ctl, nodeId, 'audio')
    expect(reason.params?.state).toBe('missing')
  })
})
