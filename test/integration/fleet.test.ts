import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { scheduleOneInstant } from '../../speaker-agent/fleet/one-instant.js'
import { deviationSummary, runFleet } from '../../speaker-agent/fleet.js'
import { ffmpegPath, makeTone } from '../helpers/audio.js'
import { startController } from '../helpers/controller.js'
import { quietLog } from '../helpers/log.js'
import { tmpDir } from '../helpers/tmp-dir.js'

describe('fleet simulator', () => {
  it('keeps identities per controller: another controller gets new nodes, said plainly; and reuses them against the same one', async () => {
    const dataDir = tmpDir('chorus-fleet-')
    const first = await startController()
    const notices: string[] = []
    const base = {
      nodes: 3,
      dataDir,
      log: quietLog(),
      ffmpegPath,
      summaryIntervalSec: 3600,
      onNotice: (line: string) => notices.push(line),
    }
    const a = await runFleet({
      ...base,
      controllerUrl: first.url,
      brokerUrl: first.brokerUrl,
      token: first.token,
    })
    onTestFinished(() => a.stop())
    await vi.waitFor(() => expect(a.counts().connected).toBe(3), { timeout: 20_000 })
    const firstIds = a.agents.map((x) => x.nodeId)
    await a.stop()
    await first.stop()

    // Another controller (another signing key): the stored identities are not offered to it.
    const second = await startController()
    notices.length = 0
    const b = await runFleet({
      ...base,
      controllerUrl: second.url,
      brokerUrl: second.brokerUrl,
      token: second.token,
    })
    onTestFinished(() => b.stop())
    await vi.waitFor(() => expect(b.counts().connected).toBe(3), { timeout: 20_000 })
    expect(b.agents.map((x) => x.nodeId).filter((id) => firstIds.includes(id))).toEqual([])
    expect(notices.join('\n')).toMatch(
      /no identities of controller [0-9a-f]{16} .*registering 3 nodes; identities of controller\(s\) [0-9a-f]{16} are kept/,
    )
    expect(b.counts()).toMatchObject({ refused: 0, connected: 3 })
    // Against the same controller again, they are reused.
    await b.stop()
    notices.length = 0
    const c = await runFleet({
      ...base,
      controllerUrl: second.url,
      brokerUrl: second.brokerUrl,
      token: second.token,
      batchSize: 1,
    })
    onTestFinished(() => c.stop())
    expect(c.agents.map((x) => x.nodeId)).toEqual(b.agents.map((x) => x.nodeId))
    expect(notices.join('\n')).toMatch(/reusing 3 identities of controller/)
    await vi.waitFor(() => expect(c.counts().connected).toBe(3), { timeout: 20_000 })
  })

  it('stops a node whose credentials the broker refuses (retired) and says so, instead of retrying forever', async () => {
    const ctl = await startController()
    const notices: string[] = []
    const fleet = await runFleet({
      nodes: 2,
      dataDir: tmpDir('chorus-fleet-'),
      controllerUrl: ctl.url,
      brokerUrl: ctl.brokerUrl,
      token: ctl.token,
      log: quietLog(),
      ffmpegPath,
      summaryIntervalSec: 3600,
      onNotice: (line: string) => notices.push(line),
    })
    onTestFinished(() => fleet.stop())
    await vi.waitFor(() => expect(fleet.counts().connected).toBe(2), { timeout: 20_000 })
    const retired = fleet.agents[0]!.nodeId
    const r = await ctl.api('POST', `/api/nodes/${retired}/retire`, {})
    expect(r.status).toBe(200)
    // Five refusals with the normal backoff (full jitter, 1 s doubling): under 31 s of waits.
    await vi.waitFor(() => expect(fleet.counts().refused).toBe(1), { timeout: 90_000 })
    expect(notices.join('\n')).toContain(
      `node ${retired} (fleet-001): the broker refused its credentials 5 times in a row`,
    )
    expect(fleet.counts()).toMatchObject({ connected: 1, refused: 1 })
  }, 120_000)

  it('20 nodes with clocks wrong by up to ±2 s play one segment at one instant: all played, none late', async () => {
    const ctl = await startController()
    const dir = tmpDir('chorus-fleet-')
    const audio = await ctl.upload(await makeTone(dir, 'instant', 3, 523), 'instant')
    const fleet = await runFleet({
      nodes: 20,
      dataDir: dir,
      controllerUrl: ctl.url,
      brokerUrl: ctl.brokerUrl,
      token: ctl.token,
      log: quietLog(),
      ffmpegPath,
      clockErrorMs: 2000,
      summaryIntervalSec: 3600,
    })
    onTestFinished(() => fleet.stop())
    expect(Math.max(...fleet.clockErrorsMs.map(Math.abs))).toBeGreaterThan(500)
    await vi.waitFor(() => expect(fleet.counts().connected).toBe(20), { timeout: 20_000 })

    const { outcome } = await scheduleOneInstant({
      fleet,
      controllerUrl: ctl.url,
      token: ctl.token,
      audioId: audio.id,
      durationMs: audio.durationMs,
      leadMs: 12_000,
    })
    expect(outcome).toMatchObject({ nodes: 20, finished: 20, late: 0, failed: 0 })
    expect(outcome.deviationsMs).toHaveLength(20)
    // Generous: the simulated outputs' first samples on the true clock, on a loaded machine.
    expect(deviationSummary(outcome.deviationsMs).max).toBeLessThan(250)
    // One decode of the file for the whole fleet.
    expect(fleet.audio?.stats()).toMatchObject({ files: 1, decodes: 1 })
  })
})
