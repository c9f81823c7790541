/**
 * Issue 10: the node's system clock stepped forward and back under a REAL agent process (Debian
 * libfaketime, offset read from a file on every call) while segments are armed. The agent
 * schedules by fleet time (the controller's clock via `/api/time`, kept on the monotonic clock),
 * so every segment must play at its true instant, once.
 *
 * Truth does not come from the agent: the wav sink writes `<name>.start.json` when the recording
 * ends, and the kernel stamps its mtime on the real clock (libfaketime only fakes what the agent
 * process reads). The recording runs at real-time pace, so mtime − duration is when it started.
 * The stamp inside that file is on the agent's (faked) system clock, by design of the sink.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import type { WavStart } from '../../audio/index.js'
import { instantToLocalDate, instantToLocalTime } from '../../schedules/index.js'
import { spawnAgentProcess } from '../helpers/agent-process.js'
import { startController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { tmpDir } from '../helpers/tmp-dir.js'
import { planOf, uploadTone } from '../integration/programme-fixtures.js'

const TZ = 'Asia/Shanghai'
const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1'
/** The step under test is 60 s; a loaded 2-core machine gets 2.5 s of slack on the truth. */
const TRUTH_BOUND_MS = 2500
/** What the agent reports against fleet time (the same bound as the integration tests). */
const REPORT_BOUND_MS = 250
/** The faked system clock's offset while each segment plays (+60 s, then −60 s, then none). */
const OFFSETS_MS = [60_000, -60_000, 0]

interface Play {
  nodeId: string
  itemId: string
  type: string
  deviationMs?: number
  reason?: string
}

describe('fault: node clock stepped under a real agent process', () => {
  it('plays every armed segment at its true instant, once, while the clock steps +60 s, −120 s, +60 s', async () => {
    expect(existsSync(LIBFAKETIME), `${LIBFAKETIME} (Debian package faketime)`).toBe(true)
    const ctl = await startController()
    const tone = await uploadTone(ctl, '时钟跳变', 1, 660)
    const node = await ctl.register('clock step agent')
    const dir = tmpDir('chorus-agent-step-')
    const wavDir = join(dir, 'wav')
    const offsetFile = join(dir, 'faketime')
    writeFileSync(offsetFile, '+0s\n')
    const agent = spawnAgentProcess({
      nodeId: node.id,
      secret: node.secret,
      brokerUrl: ctl.brokerUrl,
      controllerUrl: ctl.url,
      dataDir: join(dir, 'data'),
      sink: `wav:${wavDir}`,
      env: {
        ...process.env,
        LD_PRELOAD: LIBFAKETIME,
        FAKETIME_TIMESTAMP_FILE: offsetFile,
        FAKETIME_NO_CACHE: '1',
        // The kernel never steps CLOCK_MONOTONIC; faked, a step back aborts Node (libuv asserts).
        FAKETIME_DONT_FAKE_MONOTONIC: '1',
      },
    })
    onTestFinished(async () => {
      if (agent.child.exitCode === null && agent.child.signalCode === null) {
        agent.child.kill('SIGKILL')
      }
      await agent.exited
    })
    const logs = (msg: string): Record<string, unknown>[] =>
      agent
        .output()
        .split('\n')
        .filter((l) => l.includes(`"msg":"${msg}"`))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
    const steps = (): number[] => logs('system clock stepped').map((l) => l.stepMs as number)
    // Fleet time adopted from the controller before anything is armed.
    await waitFor(() => logs('fleet time').length > 0, 'the first clock estimate', 30_000)

    const base = Math.ceil((Date.now() + 12_000) / 1000) * 1000
    const instants = [base, base + 8000, base + 16_000]
    const byDate = new Map<string, { start: string; audioId: string; title: string }[]>()
    for (const at of instants) {
      const date = instantToLocalDate(at, TZ)
      byDate.set(date, [
        ...(byDate.get(date) ?? []),
        { start: instantToLocalTime(at, TZ), audioId: tone.id, title: '时钟跳变' },
      ])
    }
    for (const [date, items] of byDate) {
      const put = await ctl.api('PUT', `/api/days/${date}`, { mode: 'add', items })
      expect(put.status).toBeLessThan(300)
    }
    await waitFor(
      () => logs('plan applied').some((l) => (l.items as number) >= 3),
      'the plan with three segments applied',
      20_000,
    )
    const planned = (await planOf(ctl, node.id)).items
    const itemIds = instants.map(
      (at) => planned.find((i) => Date.parse(i.startAt) === at)?.itemId as string,
    )
    expect(itemIds.every((id) => id !== undefined)).toBe(true)
    expect(Date.now()).toBeLessThan(base - 3000) // the steps below happen while all are armed

    const startFile = (i: number) =>
      join(wavDir, `${(itemIds[i] as string).replaceAll('/', '_')}.start.json`)
    const stepTo = async (offset: string, count: number) => {
      writeFileSync(offsetFile, `${offset}\n`)
      await waitFor(
        () => steps().length >= count,
        `the agent seeing its clock at ${offset}`,
        10_000,
      )
    }
    // Fails fast when a segment is given up (`late`) instead of waiting for its recording.
    const recorded = (i: number) =>
      waitFor(
        () => {
          const lost = logs('item not played')
          if (lost.length > 0) throw new Error(`not played: ${JSON.stringify(lost)}`)
          return existsSync(startFile(i))
        },
        `segment ${i + 1} recorded`,
        30_000,
      )
    await stepTo('+60s', 1) // forward 60 s: all three armed
    await recorded(0)
    await stepTo('-60s', 2) // back 120 s: segment 1 played, two armed
    await recorded(1)
    await stepTo('+0s', 3) // forward 60 s: one armed
    await recorded(2)

    const [forward, back, again] = steps() as [number, number, number]
    expect(Math.abs(forward - 60_000)).toBeLessThan(TRUTH_BOUND_MS)
    expect(Math.abs(back + 120_000)).toBeLessThan(TRUTH_BOUND_MS)
    expect(Math.abs(again - 60_000)).toBeLessThan(TRUTH_BOUND_MS)

    for (const [i, at] of instants.entries()) {
      const file = startFile(i)
      const stamp = JSON.parse(await readFile(file, 'utf8')) as WavStart
      // On the real clock (kernel mtime, not faked): when the recording ended, minus its length.
      const trueStart = statSync(file).mtimeMs - tone.durationMs
      expect(Math.abs(trueStart - at), `segment ${i + 1}: true start`).toBeLessThan(TRUTH_BOUND_MS)
      // The sink's stamp is on the process's system clock (`Date.now`, faked): the offset in
      // force when the segment played away from the instant, and no more.
      const skew = (OFFSETS_MS[i] as number) - (stamp.firstSampleAt - at)
      expect(Math.abs(skew), `segment ${i + 1}: stamp`).toBeLessThan(REPORT_BOUND_MS)
    }

    // The controller stored exactly one start and one finish per segment, none failed or late.
    const plays = async (): Promise<Play[]> => {
      const out: Play[] = []
      for (const date of byDate.keys()) {
        out.push(...(await ctl.api<Play[]>('GET', `/api/plays?date=${date}`)).body)
      }
      return out.filter((p) => p.nodeId === node.id)
    }
    const stored = await waitFor(
      async () => {
        const p = await plays()
        return p.filter((x) => x.type === 'play.finished').length >= 3 ? p : null
      },
      'three play.finished stored',
      20_000,
    )
    for (const type of ['play.started', 'play.finished']) {
      expect(
        stored
          .filter((p) => p.type === type)
          .map((p) => p.itemId)
          .sort(),
        type,
      ).toEqual([...itemIds].sort())
    }
    expect(stored.filter((p) => p.type === 'play.failed')).toEqual([])
    for (const p of stored.filter((x) => x.type === 'play.started')) {
      expect(Math.abs(p.deviationMs as number)).toBeLessThan(REPORT_BOUND_MS)
    }
    expect(logs('item not played')).toEqual([])
  }, 90_000)
})
