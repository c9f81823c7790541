import { describe, expect, it } from 'vitest'
import { startAgent } from '../helpers/agent.js'
import { startController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { freePorts, nodesById, transitionsOf, waitForPresence } from '../helpers/presence.js'
import { tmpDir } from '../helpers/tmp-dir.js'

describe('fault: controller restart (embedded broker)', () => {
  it('keeps every node online across a restart, recording no transition', async () => {
    const [httpPort, mqttPort] = await freePorts(2)
    const dataDir = tmpDir('chorus-ctl-')
    const args = ['--http-port', String(httpPort), '--mqtt-port', String(mqttPort)]
    const first = await startController({ dataDir, args })
    const agents = await Promise.all([1, 2, 3].map(() => startAgent(first, { sink: 'null' })))
    const ids = agents.map((a) => a.nodeId)
    await waitForPresence(first, ids, true)
    const before = await Promise.all(ids.map((id) => transitionsOf(first, id)))
    for (const t of before) expect(t.map((x) => `${x.to}/${x.reason}`)).toEqual(['online/birth'])

    const reconnected = new Set<string>()
    for (const { agent, nodeId } of agents) {
      agent.events.on('connected', () => reconnected.add(nodeId))
    }
    await first.stop()
    const second = await startController({ dataDir, args })
    expect(second.url).toBe(first.url)

    // Poll quickly until every agent is back and shown online; no poll may show one offline.
    const seenOffline = new Set<string>()
    await waitFor(
      async () => {
        const nodes = await nodesById(second)
        for (const id of ids) if (nodes.get(id)?.online === false) seenOffline.add(id)
        return reconnected.size === ids.length && ids.every((id) => nodes.get(id)?.online)
      },
      'the three agents reconnected and online',
      20_000,
      10,
    )
    expect([...seenOffline]).toEqual([])
    const after = await Promise.all(ids.map((id) => transitionsOf(second, id)))
    expect(after).toEqual(before)
  })
})
