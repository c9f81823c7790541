/**
 * Shared steps of the agent fault tests: put items on the controller's running order of the
 * day(s) a few seconds ahead, and wait for what a real agent reports.
 */
import { once } from 'node:events'
import { onTestFinished } from 'vitest'
import { instantToLocalDate, instantToLocalTime } from '../../schedules/index.js'
import { type Agent, createAgent } from '../../speaker-agent/agent.js'
import { loadNodeConfig } from '../../speaker-agent/config.js'
import type { TestAgent } from '../helpers/agent.js'
import { ffmpegPath } from '../helpers/audio.js'
import type { TestController } from '../helpers/controller.js'
import { quietLog } from '../helpers/log.js'

const TZ = 'Asia/Shanghai'

/** One item to schedule: an instant (epoch ms) and an uploaded audio. */
export interface ScheduledItem {
  at: number
  audioId: string
  title: string
}

/** The first whole second at least `aheadMs` from now. */
export function wholeSecondAhead(aheadMs: number): number {
  return Math.ceil((Date.now() + aheadMs) / 1000) * 1000
}

/**
 * Replaces the running order of each date the items fall on (PUT /api/days/{date}) and waits
 * until `agent` applied the resulting plan (when given).
 */
export async function scheduleItems(
  ctl: TestController,
  items: readonly ScheduledItem[],
  agent?: Agent,
): Promise<void> {
  const byDate = new Map<string, { start: string; audioId: string; title: string }[]>()
  for (const i of items) {
    const date = instantToLocalDate(i.at, TZ)
    const list = byDate.get(date) ?? []
    list.push({ start: instantToLocalTime(i.at, TZ), audioId: i.audioId, title: i.title })
    byDate.set(date, list)
  }
  // An agent just started may not hold its first plan yet (plans go out through the controller's
  // send queue after the birth): wait for it, so that the plan awaited below is the new one.
  if (agent && agent.status().planVersion === null) await once(agent.events, 'planApplied')
  const applied = agent ? once(agent.events, 'planApplied') : Promise.resolve()
  for (const [date, list] of byDate) {
    const r = await ctl.api('PUT', `/api/days/${date}`, { items: list })
    if (r.status !== 200)
      throw new Error(`PUT /api/days/${date}: ${r.status} ${JSON.stringify(r.body)}`)
  }
  await applied
}

/** A second agent process-equivalent on the same node identity and data directory. */
export async function restartAgent(
  ctl: TestController,
  a: TestAgent,
  opts: { start?: boolean } = {},
): Promise<Agent> {
  const config = loadNodeConfig({
    flags: {
      nodeId: a.nodeId,
      secret: a.secret,
      brokerUrl: ctl.brokerUrl,
      controllerUrl: ctl.url,
      sink: `wav:${a.wavDir}`,
      dataDir: a.dataDir,
    },
  })
  const agent = createAgent({ config, log: quietLog().child({ nodeId: a.nodeId }), ffmpegPath })
  onTestFinished(() => agent.stop())
  if (opts.start !== false) await agent.start()
  return agent
}
