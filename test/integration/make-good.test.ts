import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { clockWithNow } from '../../controller/platform/time.js'
import { type Agent, createAgent } from '../../speaker-agent/agent.js'
import { loadNodeConfig, type NodeConfig } from '../../speaker-agent/config.js'
import type { PlayFinishedEvent, PlayMissedEvent } from '../../speaker-agent/events.js'
import { createManualClock, type ManualClock } from '../../testing/manual-clock.js'
import { ffmpegPath } from '../helpers/audio.js'
import { startController } from '../helpers/controller.js'
import { quietLog } from '../helpers/log.js'
import { tmpDir } from '../helpers/tmp-dir.js'
import { planOf, uploadTone } from './programme-fixtures.js'

const DAY = '2026-12-07' // a Monday: a working day
const iso = (time: string) => new Date(at(time)).toISOString()
const MIN = 60_000
/** How plans and events write a local instant. */
const local = (time: string) => `${DAY}T${time}.000+08:00`
const at = (time: string) => Date.parse(local(time))

/**
 * Stops an agent while its manual clock moves on, so that what it bounds on that clock (the last
 * outbox drain, the shutdown status) cannot wait forever.
 */
async function stopOn(clock: ManualClock, agent: Agent): Promise<void> {
  // Everything reported so far reaches the controller first (the drain at stop is bounded): the
  // outbox empties when the controller's receipts come. A node the broker cut off (telemetry
  // violations while this clock races ahead) keeps its events for its next run instead.
  if (agent.status().connected) {
    await vi.waitFor(
      () => {
        const s = agent.status()
        expect(s.outboxDepth === 0 || !s.connected).toBe(true)
      },
      { timeout: 15_000 },
    )
  }
  let done = false
  const stopping = agent.stop().finally(() => {
    done = true
  })
  // The agent's stop waits on timers of the manual clock: move it on until the stop resolves,
  // letting pending I/O run between steps.
  while (!done) {
    await clock.advance(500)
    await new Promise((r) => setImmediate(r))
  }
  await stopping
}

/** One run of the node's agent (same identity and data directory), events recorded. */
async function run(config: NodeConfig, clock: ManualClock) {
  const agent: Agent = createAgent({ config, log: quietLog(), clock, ffmpegPath })
  onTestFinished(() => stopOn(clock, agent))
  const missed: PlayMissedEvent[] = []
  const played: PlayFinishedEvent[] = []
  let started = 0
  let ready = false
  agent.events.on('missed', (e) => missed.push(e))
  agent.events.on('played', (e) => played.push(e))
  agent.events.on('started', () => started++)
  agent.events.on('readiness', (e) => {
    ready ||= e.dates.some((d) => d.date === DAY && d.ready)
  })
  await agent.start()
  await vi.waitFor(() => expect(agent.status().connected).toBe(true), { timeout: 15_000 })
  return { agent, missed, played, started: () => started, ready: () => ready }
}

describe('make-good (补播)', () => {
  it('replays a segment missed while down within its window, not after it, not into quiet hours, never a time-bound one; the report counts 补播 apart', async () => {
    const clock = createManualClock(at('07:59:00'))
    // The controller reads the agents' manual time; its own timers (event batches, presence
    // flushes) run on the system's, so the HTTP reads below see them without advancing the clock.
    const ctl = await startController({ clock: clockWithNow(() => clock.now()) })
    const tone = await uploadTone(ctl, '新闻', 1)
    const column = async (name: string, body: Record<string, unknown>) =>
      (
        await ctl.api<{ id: string }>('POST', '/api/columns', {
          name,
          colour: '#aa0000',
          ...body,
        })
      ).body.id
    const news = await column('新闻', { makeGood: true, makeGoodWindowMin: 120 })
    const weather = await column('天气', { timeBound: true })
    const policy = await column('政策', { makeGood: true, makeGoodWindowMin: 5 })
    const refused = await ctl.api('POST', '/api/columns', {
      name: '预警',
      colour: '#aa0000',
      makeGood: true,
      timeBound: true,
    })
    expect(refused.status).toBe(422)
    const item = (start: string, columnId: string) => ({ start, audioId: tone.id, columnId })
    const put = await ctl.api('PUT', '/api/templates/working', {
      items: [
        item('08:02:00', news),
        item('08:03:00', weather),
        item('08:30:00', policy),
        item('21:50:00', news),
      ],
    })
    expect(put.status).toBeLessThan(300)

    const { id, secret } = await ctl.register('西海路 1', '西海路社区')
    const dataDir = tmpDir('chorus-agent-')
    const wavDir = join(dataDir, 'played')
    const config = loadNodeConfig({
      flags: {
        nodeId: id,
        secret,
        brokerUrl: ctl.brokerUrl,
        controllerUrl: ctl.url,
        sink: `wav:${wavDir}`,
        dataDir,
      },
    })
    const plan = await planOf(ctl, id)
    const itemAt = (time: string) => plan.items.find((i) => i.startAt === local(time))
    // The plan carries each segment's make-good limit, clipped to the window and quiet hours.
    expect(itemAt('08:02:00')?.makeGoodUntil).toBe(local('10:02:00'))
    expect(itemAt('08:03:00')?.makeGoodUntil).toBeUndefined()
    expect(itemAt('08:30:00')?.makeGoodUntil).toBe(local('08:35:00'))
    expect(itemAt('21:50:00')?.makeGoodUntil).toBe(local('22:00:00'))

    // Run 1 takes the plan and its audio, then the node goes down across 08:02 and 08:03.
    const first = await run(config, clock)
    await vi.waitFor(() => expect(first.ready()).toBe(true), { timeout: 15_000 })
    await stopOn(clock, first.agent)
    await clock.advance(at('08:05:00') - clock.now())

    // Run 2, back at 08:05: both misses reported; the news is made good in the first free gap.
    const second = await run(config, clock)
    await vi.waitFor(() => expect(second.missed).toHaveLength(2), { timeout: 15_000 })
    expect(second.missed.map((e) => [e.scheduledAt, e.reason, e.makeGoodUntil])).toEqual([
      [local('08:02:00'), 'down', local('10:02:00')],
      [local('08:03:00'), 'down', undefined],
    ])
    await clock.advance(5000)
    await vi.waitFor(() => expect(second.played).toHaveLength(1), { timeout: 15_000 })
    expect(second.played[0]).toMatchObject({
      itemId: itemAt('08:02:00')?.itemId,
      scheduledAt: local('08:02:00'),
      makeGood: true,
    })
    expect(Date.parse(second.played[0]?.makeGoodAt ?? '')).toBeGreaterThan(at('08:05:00'))
    expect(
      (await readdir(wavDir)).filter((f) => f.includes('make-good') && f.endsWith('.wav')),
    ).toHaveLength(1)
    await clock.advance(20 * MIN) // nothing else is owed: the weather is time-bound
    expect(second.started()).toBe(1)
    await stopOn(clock, second.agent)

    // Run 3, back at 08:40, after the policy segment's 5-minute window: reported, not replayed.
    await clock.advance(at('08:40:00') - clock.now())
    const third = await run(config, clock)
    await vi.waitFor(() => expect(third.missed).toHaveLength(1), { timeout: 15_000 })
    expect(third.missed[0]).toMatchObject({ scheduledAt: local('08:30:00'), reason: 'down' })
    expect(third.missed[0]?.makeGoodUntil).toBeUndefined()
    await clock.advance(60 * MIN)
    expect(third.started()).toBe(0)
    await stopOn(clock, third.agent)

    // Run 4, back at 22:01: the 21:50 news would be made good only before the quiet hours.
    await clock.advance(at('22:01:00') - clock.now())
    const fourth = await run(config, clock)
    await vi.waitFor(() => expect(fourth.missed).toHaveLength(1), { timeout: 15_000 })
    expect(fourth.missed[0]).toMatchObject({ scheduledAt: local('21:50:00') })
    await clock.advance(60 * MIN)
    expect(fourth.started()).toBe(0)
    await stopOn(clock, fourth.agent)

    // Proof of play: one 补播 (never counted as played), three misses with the node's reason.
    const report = async () =>
      (
        await ctl.api<{
          totals: { played: number; madeGood: number; missed: number }
          nodes: {
            nodeId: string
            items: { scheduledAt: string; status: string; reason: string }[]
          }[]
        }>('GET', `/api/reports/day?date=${DAY}`)
      ).body
    const r = await vi.waitFor(
      async () => {
        const body = await report()
        expect(body.totals).toMatchObject({ madeGood: 1, missed: 3 })
        return body
      },
      { timeout: 15_000 },
    )
    expect(r.totals).toMatchObject({ played: 0, madeGood: 1, missed: 3 })
    const items = r.nodes.find((n) => n.nodeId === id)?.items ?? []
    expect(items.map((i) => [i.scheduledAt, i.status, i.reason])).toEqual([
      [iso('08:02:00'), 'madeGood', 'down'],
      [iso('08:03:00'), 'missed', 'down'],
      [iso('08:30:00'), 'missed', 'down'],
      [iso('21:50:00'), 'missed', 'down'],
    ])
    const csv = await fetch(`${ctl.url}/api/reports/day?date=${DAY}&format=csv`, {
      headers: ctl.headers,
    })
    const lines = (await csv.text()).replace(/^\uFEFF/, '').split('\r\n')
    expect(lines[0]).toContain(',已播,补播,')
    expect(lines.find((l) => l.includes(id))).toContain(',4,0,1,0,0,0,3,0,')
  })
})
