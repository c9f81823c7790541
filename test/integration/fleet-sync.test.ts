/**
 * Issue 8: every speaker starts the same segment at the same instant, even when the nodes' own
 * clocks are seconds off. Real controller, broker, agents, ffmpeg and wav sinks; each recording's
 * first sample is placed on the machine's (true) clock by the sink's `<name>.start.json`.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { WavStart } from '../../audio/index.js'
import { instantToLocalDate, instantToLocalTime } from '../../schedules/index.js'
import type { PlayStartedEvent } from '../../speaker-agent/events.js'
import { createSystemHostClock } from '../../speaker-agent/host-clock.js'
import { startController } from '../helpers/controller.js'
import { startNode, uploadTone } from './programme-fixtures.js'

const TZ = 'Asia/Shanghai'
/** Generous on purpose (a loaded 2-core machine); the benchmark measures the real figure. */
const BOUND_MS = 150

describe('one segment, one instant, nodes whose clocks are off', () => {
  it('starts within 150 ms of the instant on the true time line on every node', async () => {
    const ctl = await startController()
    const audio = await uploadTone(ctl, '同步测试', 2, 440)
    // System clocks 2 s ahead, 2 s behind, 1.5 s ahead and right.
    const skews = [2000, -2000, 1500, 0]
    const nodes = await Promise.all(
      skews.map((skew, i) =>
        startNode(ctl, { name: `同步 ${i}`, host: createSystemHostClock(skew) }),
      ),
    )
    const started = nodes.map(
      (n) => new Promise<PlayStartedEvent>((resolve) => n.agent.events.once('started', resolve)),
    )
    const played = nodes.map(
      (n) => new Promise((resolve) => n.agent.events.once('played', resolve)),
    )
    const at = Math.ceil((Date.now() + 8000) / 1000) * 1000
    const put = await ctl.api('PUT', `/api/days/${instantToLocalDate(at, TZ)}`, {
      mode: 'add',
      items: [{ start: instantToLocalTime(at, TZ), audioId: audio.id, title: '同步测试' }],
    })
    expect(put.status).toBeLessThan(300)
    const events = await Promise.all(started)
    await Promise.all(played)

    const truth = await Promise.all(
      nodes.map(async (n, i) => {
        const name = (events[i] as PlayStartedEvent).itemId.replaceAll('/', '_')
        const start = JSON.parse(
          await readFile(join(n.wavDir, `${name}.start.json`), 'utf8'),
        ) as WavStart
        return start.firstSampleAt - at
      }),
    )
    for (const [i, deviation] of truth.entries()) {
      expect(Math.abs(deviation), `node ${i} (clock ${skews[i]} ms off)`).toBeLessThan(BOUND_MS)
      // What the agent reports agrees with the truth.
      const reported = (events[i] as PlayStartedEvent).deviationMs
      expect(Math.abs(reported - deviation)).toBeLessThan(BOUND_MS)
    }
    expect(Math.max(...truth) - Math.min(...truth)).toBeLessThan(BOUND_MS)
  })
})
