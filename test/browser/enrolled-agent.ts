import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'
import { type Agent, createAgent } from '../../speaker-agent/agent.js'
import { loadNodeConfig } from '../../speaker-agent/config.js'
import { loadCredentials, saveCredentials } from '../../speaker-agent/credentials.js'
import { enroll, parseEnrollArg } from '../../speaker-agent/enroll.js'
import { ffmpegPath } from '../helpers/audio.js'
import { quietLog } from '../helpers/log.js'
import { tmpDir } from '../helpers/tmp-dir.js'

/**
 * What `npm run agent -- --enroll bundle.json` does, in this process: save the bundle as the
 * installer would, exchange its one-time token for the node's credentials (`POST /api/enroll`),
 * store them in the data directory, and start a real agent from them (null sink: it decodes in
 * real time and discards). Stopped when the test finishes.
 */
export async function startEnrolledAgent(
  bundleJson: string,
): Promise<{ agent: Agent; nodeId: string }> {
  const dataDir = tmpDir('chorus-enrolled-')
  const file = join(dataDir, 'bundle.json')
  writeFileSync(file, bundleJson)
  const log = quietLog()
  const request = parseEnrollArg(file, {})
  await saveCredentials(dataDir, await enroll(request, { log, attempts: 1 }))
  const c = loadCredentials(dataDir)
  if (!c) throw new Error('enrollment stored no credentials')
  const config = loadNodeConfig({
    flags: { sink: 'null', dataDir },
    stored: {
      nodeId: c.nodeId,
      secret: c.secret,
      brokerUrl: c.brokerUrl,
      controllerUrl: c.controllerUrl,
      ...(c.controllerKey ? { controllerKey: c.controllerKey } : {}),
      // The key the node registered at enrollment: its events are signed with it.
      ...(c.nodeKey ? { nodeKey: c.nodeKey } : {}),
    },
  })
  const agent = createAgent({ config, log: log.child({ nodeId: c.nodeId }), ffmpegPath })
  onTestFinished(() => agent.stop())
  await agent.start()
  return { agent, nodeId: c.nodeId }
}
