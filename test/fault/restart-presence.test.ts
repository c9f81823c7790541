import { describe, expect, it } from 'vitest'
import {
  adminApi,
  type ProcessApi,
  spawnControllerProcess,
  withToken,
} from '../helpers/controller-process.js'
import { waitFor } from '../helpers/mqtt.js'
import { freePorts, type NodePresence, type Transition } from '../helpers/presence.js'
import { type ReconnectingNode, reconnectingNode } from '../helpers/reconnecting-node.js'
import { tmpDir } from '../helpers/tmp-dir.js'

const NODES = 200
/** The nodes' longest reconnect delay, told to the controller as the agents' backoff cap. */
const CAP_SEC = 30

async function transitions(ctl: ProcessApi, id: string): Promise<string[]> {
  const r = await ctl.api<Transition[]>('GET', `/api/nodes/${id}/transitions`)
  return r.body.map((t) => `${t.to}/${t.reason}`)
}

async function restartScenario(signal: 'SIGTERM' | 'SIGKILL') {
  const dataDir = tmpDir('chorus-restart-')
  const [httpPort, mqttPort] = await freePorts(2)
  const args = [
    '--http-port',
    String(httpPort),
    '--mqtt-port',
    String(mqttPort),
    '--agent-reconnect-cap-sec',
    String(CAP_SEC),
  ]
  const first = await spawnControllerProcess({ dataDir, args })
  const api = await adminApi(first.url)
  const creds = []
  for (let i = 0; i < NODES + 3; i++) creds.push(await api.register(`n${i}`))
  // Steady nodes retry every 0.5–CAP_SEC s, spread like the agents' full-jitter backoff.
  const steady = await Promise.all(
    creds.slice(0, NODES).map((c, i) =>
      reconnectingNode(first.brokerUrl, c, {
        reconnectMs: 500 + ((i * 7919) % (CAP_SEC * 1000 - 500)),
      }),
    ),
  )
  const [gone, rebooted, cut] = (await Promise.all(
    creds.slice(NODES).map((c) => reconnectingNode(first.brokerUrl, c, { reconnectMs: 1000 })),
  )) as [ReconnectingNode, ReconnectingNode, ReconnectingNode]
  await waitFor(
    async () => {
      const r = await api.api<NodePresence[]>('GET', '/api/nodes')
      return r.body.filter((n) => n.online).length === NODES + 3
    },
    'every node online',
    30_000,
    100,
  )

  // A node whose link is cut while the controller runs: its last will is recorded offline.
  cut.kill()
  await waitFor(async () => (await transitions(api, cut.id)).length === 2, 'cut node offline')

  const stoppedAt = Date.now()
  await first.stop(signal)
  // While the controller is down: one node dies for good, one reboots (a new boot id).
  gone.kill()
  rebooted.kill()
  const second = await spawnControllerProcess({ dataDir, args })
  const startedAt = Date.now()
  const ctl = withToken(second.url, api.headers)
  const rebootedAgain = await reconnectingNode(second.brokerUrl, creds[NODES + 1]!, {
    reconnectMs: 1000,
  })
  expect(rebootedAgain.bootId).not.toBe(rebooted.bootId)
  await waitFor(
    () => second.logs('rebirth wait over: silent nodes marked offline').length > 0,
    'the end of the start-up wait',
    (CAP_SEC + 30) * 1000,
    200,
  )
  // The cut node comes back only now: an outage across the restart.
  await reconnectingNode(second.brokerUrl, creds[NODES + 2]!, {
    reconnectMs: 1000,
    bootId: cut.bootId,
  })

  const nodes = new Map(
    (await ctl.api<NodePresence[]>('GET', '/api/nodes')).body.map((n) => [n.id, n]),
  )
  const falseOffline = []
  for (const n of steady) {
    const t = await transitions(ctl, n.id)
    if (t.join() !== 'online/birth' || !nodes.get(n.id)?.online) falseOffline.push(n.id)
  }
  expect(falseOffline).toEqual([])
  expect(steady.every((n) => n.connects() === 2)).toBe(true)
  expect(second.logs('rebirth wait over: silent nodes marked offline')[0]).toMatchObject({
    silent: 1,
  })

  // Real outages count: the dead node from when the first run stopped watching…
  const goneT = (await ctl.api<Transition[]>('GET', `/api/nodes/${gone.id}/transitions`)).body
  expect(goneT.map((t) => `${t.to}/${t.reason}`)).toEqual(['online/birth', 'offline/no-rebirth'])
  const goneAt = Date.parse(goneT[1]!.at)
  // The last heartbeat (every 5 s) or the clean stop; generous for a loaded machine.
  expect(goneAt).toBeGreaterThanOrEqual(stoppedAt - 30_000)
  expect(goneAt).toBeLessThanOrEqual(startedAt)
  // …the node that rebooted unseen, and the node cut before the restart and back after it.
  expect(await transitions(ctl, rebooted.id)).toEqual([
    'online/birth',
    'offline/reboot',
    'online/birth',
  ])
  await waitFor(async () => (await transitions(ctl, cut.id)).length === 3, 'cut node back')
  const cutT = await transitions(ctl, cut.id)
  expect(cutT[0]).toBe('online/birth')
  expect(['offline/will', 'offline/closed']).toContain(cutT[1])
  expect(cutT[2]).toBe('online/birth')
  // Two real outages are no mass disconnect.
  const incidents = await ctl.api<unknown[]>('GET', '/api/incidents')
  expect(incidents.body).toEqual([])
  await second.stop('SIGTERM')
}

describe('fault: controller process restart with 200 connected nodes', () => {
  it('SIGTERM: no false offline, no incident, real outages recorded', async () => {
    await restartScenario('SIGTERM')
  }, 180_000)

  it('SIGKILL: no false offline, no incident, real outages recorded', async () => {
    await restartScenario('SIGKILL')
  }, 180_000)
})
