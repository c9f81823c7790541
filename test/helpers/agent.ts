import { join } from 'node:path'
import { onTestFinished } from 'vitest'
import { type Agent, createAgent } from '../../speaker-agent/agent.js'
import { loadNodeConfig } from '../../speaker-agent/config.js'
import { ffmpegPath } from './audio.js'
import type { TestController } from './controller.js'
import { quietLog } from './log.js'
import { tmpDir } from './tmp-dir.js'

/** A real agent registered through the controller's API, with its own data directory. */
export interface TestAgent {
  agent: Agent
  nodeId: string
  secret: string
  dataDir: string
  /** Where the `wav` sink writes what was played (when that sink is used). */
  wavDir: string
}

/**
 * Registers a node through the API and starts a real agent for it (MQTT over TCP to the
 * controller's broker, HTTP downloads, ffmpeg playback), stopped when the test finishes.
 */
export async function startAgent(
  ctl: TestController,
  opts: {
    name?: string
    zone?: string
    sink?: 'wav' | 'null'
    start?: boolean
    extra?: Record<string, string>
  } = {},
): Promise<TestAgent> {
  const { id, secret } = await ctl.register(
    opts.name ?? `node ${Math.random().toString(36).slice(2, 6)}`,
    opts.zone,
  )
  const dataDir = tmpDir('chorus-agent-')
  const wavDir = join(dataDir, 'played')
  const config = loadNodeConfig({
    flags: {
      nodeId: id,
      secret,
      brokerUrl: ctl.brokerUrl,
      controllerUrl: ctl.url,
      sink: opts.sink === 'null' ? 'null' : `wav:${wavDir}`,
      dataDir,
      ...opts.extra,
    },
  })
  const agent = createAgent({ config, log: quietLog().child({ nodeId: id }), ffmpegPath })
  onTestFinished(() => agent.stop())
  if (opts.start !== false) await agent.start()
  return { agent, nodeId: id, secret, dataDir, wavDir }
}
