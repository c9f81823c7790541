import { describe, expect, it } from 'vitest'
import { startAgentProcess } from '../helpers/agent-process.js'
import { startController } from '../helpers/controller.js'
import { transitionsOf, waitForPresence } from '../helpers/presence.js'

describe('fault: agent process killed', () => {
  it('marks a node offline within 2 s when its agent process is SIGKILLed', async () => {
    const ctl = await startController()
    const agent = await startAgentProcess(ctl)
    await waitForPresence(ctl, [agent.nodeId], true, 20_000).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\nagent output:\n${agent.output()}`)
    })

    const killedAt = Date.now()
    agent.child.kill('SIGKILL')
    await expect(agent.exited).resolves.toBe('SIGKILL')
    const nodes = await waitForPresence(ctl, [agent.nodeId], false, killedAt + 2000 - Date.now())
    const node = nodes.get(agent.nodeId)!
    expect(node.state).toBe('offline')
    expect(Date.parse(node.stateSince!) - killedAt).toBeLessThan(2000)

    const transitions = await transitionsOf(ctl, agent.nodeId)
    const last = transitions.at(-1)
    expect(last?.to, JSON.stringify(transitions)).toBe('offline')
    // The socket closes at once: `closed` (FIN), or `error` when the kernel answered with a reset
    // (ECONNRESET: the dead process left unread data), or the will if it came first.
    expect(['closed', 'error', 'will'], JSON.stringify(transitions)).toContain(last?.reason)
  })
})
