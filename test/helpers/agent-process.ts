import { onTestFinished } from 'vitest'
import { type AgentProcess, spawnAgentProcess } from '../../speaker-agent/testing/agent-process.js'
import type { TestController } from './controller.js'
import { tmpDir } from './tmp-dir.js'

export {
  type AgentProcess,
  type AgentProcessOptions,
  NODE_TSX,
  ROOT,
  spawnAgentProcess,
} from '../../speaker-agent/testing/agent-process.js'

/**
 * Registers a node through the controller's API and runs a real agent process for it, killed
 * (SIGKILL) when the test finishes if it is still running.
 */
export async function startAgentProcess(
  ctl: TestController,
  opts: { name?: string; args?: string[] } = {},
): Promise<AgentProcess> {
  const { id, secret } = await ctl.register(
    opts.name ?? `proc ${Math.random().toString(36).slice(2, 6)}`,
  )
  const p = spawnAgentProcess({
    nodeId: id,
    secret,
    brokerUrl: ctl.brokerUrl,
    controllerUrl: ctl.url,
    dataDir: tmpDir('chorus-agent-proc-'),
    ...(opts.args ? { args: opts.args } : {}),
  })
  onTestFinished(async () => {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL')
    await p.exited
  })
  return p
}
