import { once } from 'node:events'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { MessageRejected } from '../../controller/platform/events.js'
import type { PlanMessage } from '../../protocol/index.js'
import { startAgent } from '../helpers/agent.js'
import { makeTone } from '../helpers/audio.js'
import { startController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { tmpDir } from '../helpers/tmp-dir.js'
import { restartAgent, scheduleItems, wholeSecondAhead } from './schedule.js'

describe('fault: plan.json edited on the node', () => {
  it('is refused at load, reported, and the plan is fetched again from the controller', async () => {
    const ctl = await startController()
    const audio = await ctl.upload(await makeTone(tmpDir(), 'news', 1, 440), 'news')
    const a = await startAgent(ctl, { sink: 'wav' })
    const at = wholeSecondAhead(120_000)
    await scheduleItems(ctl, [{ at, audioId: audio.id, title: 'news' }], a.agent)
    const version = a.agent.status().planVersion
    await a.agent.stop()

    // Someone moves the item 20 s later in the node's plan.json: still well-formed JSON.
    const path = join(a.dataDir, 'plan.json')
    const plan = JSON.parse(await readFile(path, 'utf8')) as PlanMessage
    const mine = plan.items.find((i) => Date.parse(i.startAt) === at)
    expect(mine).toBeDefined()
    const moved = new Date(at + 20_000).toISOString()
    for (const i of plan.items) if (i === mine) i.startAt = moved
    await writeFile(path, JSON.stringify(plan))

    const bus = ctl.controller.deps!.bus
    const rejected: MessageRejected[] = []
    bus.on('messageRejected', (r) => rejected.push(r))
    const b = await restartAgent(ctl, a, { start: false })
    const refused: string[] = []
    b.events.on('refused', (channel, reason) => refused.push(`${channel}:${reason}`))
    const applied = once(b.events, 'planApplied')
    await b.start()
    expect(refused).toEqual(['plan:bad-signature'])
    // The birth named no version, so the controller sent the plan again.
    expect(await applied).toEqual([version])
    const again = JSON.parse(await readFile(path, 'utf8')) as PlanMessage
    expect(again.items.map((i) => i.startAt)).not.toContain(moved)
    expect(again.items.some((i) => Date.parse(i.startAt) === at)).toBe(true)
    expect((await readdir(a.dataDir)).some((n) => n.startsWith('plan.json.refused-'))).toBe(true)
    // The controller was told.
    const r = await waitFor(() => rejected[0], 'plan.rejected stored by the controller')
    expect(r).toMatchObject({
      nodeId: a.nodeId,
      channel: 'plan',
      id: version,
      reason: 'bad-signature',
      source: 'stored',
    })
  })
})
