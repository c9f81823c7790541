import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { spawnAgentProcess, startAgentProcess } from '../helpers/agent-process.js'
import { startController } from '../helpers/controller.js'
import { waitForPresence } from '../helpers/presence.js'
import { tmpDir } from '../helpers/tmp-dir.js'

describe('the agent process and its secret', () => {
  it('connects with the secret from --secret-file, which ps never shows', async () => {
    const ctl = await startController()
    const agent = await startAgentProcess(ctl)
    await waitForPresence(ctl, [agent.nodeId], true, 30_000).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\nagent output:\n${agent.output()}`)
    })
    const cmdline = readFileSync(`/proc/${agent.child.pid}/cmdline`, 'utf8')
    const fileArg = agent.child.spawnargs.find((a) => a.startsWith('--secret-file='))
    expect(fileArg).toBeDefined()
    const secret = readFileSync(fileArg!.slice('--secret-file='.length), 'utf8').trim()
    expect(secret.length).toBeGreaterThan(20)
    expect(cmdline).not.toContain(secret)
    expect(cmdline).not.toMatch(/--secret(=|\0)/)
    expect(agent.output()).not.toMatch(/visible to every user/)
  })

  it('warns when --secret is on the command line, and refuses an unreadable --secret-file', async () => {
    const ctl = await startController()
    const warned = await startAgentProcess(ctl, { args: ['--secret=shown-in-ps'] })
    await waitForPresence(ctl, [warned.nodeId], true, 30_000)
    expect(warned.output()).toMatch(/--secret on the command line is visible to every user/)

    const { id } = await ctl.register('argv node')
    const p = spawnAgentProcess({
      nodeId: id,
      secret: 'unused',
      brokerUrl: ctl.brokerUrl,
      controllerUrl: ctl.url,
      dataDir: tmpDir('chorus-agent-argv-'),
      args: ['--secret-file=/nonexistent/chorus-secret'],
    })
    expect(await p.exited).not.toBe(0)
    expect(p.output()).toMatch(/--secret-file \/nonexistent\/chorus-secret/)
  })
})
