import { execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { open, readdir, readFile, rm, statfs, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { instantToLocalDate } from '../../schedules/index.js'
import { type Agent, createAgent } from '../../speaker-agent/agent.js'
import { DISK_RESERVE_BYTES } from '../../speaker-agent/audio-cache.js'
import { loadNodeConfig } from '../../speaker-agent/config.js'
import type { PlayFailedEvent, PlayFinishedEvent } from '../../speaker-agent/events.js'
import { ffmpegPath, makeTone } from '../helpers/audio.js'
import { startController, type TestController } from '../helpers/controller.js'
import { quietLog } from '../helpers/log.js'
import { waitFor } from '../helpers/mqtt.js'
import { nodesById } from '../helpers/presence.js'
import { tmpDir } from '../helpers/tmp-dir.js'
import { scheduleItems, wholeSecondAhead } from './schedule.js'

/** A 2 MB tmpfs (the tests run as root), unmounted when the test finishes. */
function smallDisk(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-small-disk-'))
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir])
  onTestFinished(() => {
    execFileSync('umount', [dir])
    rmSync(dir, { recursive: true, force: true })
  })
  return dir
}

/** Fills the file system of `dir` to the last byte with one file; returns its path. */
async function fill(dir: string): Promise<string> {
  const path = join(dir, 'filler')
  const fh = await open(path, 'w')
  const chunk = Buffer.alloc(4096, 1)
  try {
    for (;;) await fh.write(chunk)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
  } finally {
    await fh.close()
  }
  expect((await statfs(dir)).bavail).toBe(0)
  return path
}

/** A real agent whose data directory is on the small disk (its wav output is elsewhere). */
async function agentOnSmallDisk(
  ctl: TestController,
): Promise<{ agent: Agent; dataDir: string; nodeId: string }> {
  const { id, secret } = await ctl.register(`disk ${Math.random().toString(36).slice(2, 6)}`)
  const dataDir = join(smallDisk(), 'node')
  const config = loadNodeConfig({
    flags: {
      nodeId: id,
      secret,
      brokerUrl: ctl.brokerUrl,
      controllerUrl: ctl.url,
      sink: `wav:${tmpDir('chorus-played-')}`,
      dataDir,
      // Health every 5 s (the controller below keeps every sample), not every minute.
      telemetryIntervalSec: '5',
    },
  })
  const agent = createAgent({ config, log: quietLog().child({ nodeId: id }), ffmpegPath })
  onTestFinished(() => agent.stop())
  return { agent, dataDir, nodeId: id }
}

interface Play {
  nodeId: string
  itemId: string | null
  type: string
}

describe('fault: disk full on the node', () => {
  it('keeps the reports of plays while the disk is full and delivers them once space frees', async () => {
    const ctl = await startController({ args: ['--telemetry-min-interval-sec', '0'] })
    const audio = await ctl.upload(await makeTone(tmpDir(), 'news', 1.5, 440), 'news')
    const n = await agentOnSmallDisk(ctl)
    const applied = once(n.agent.events, 'planApplied')
    await n.agent.start()
    await applied
    const at = wholeSecondAhead(8000)
    await scheduleItems(ctl, [{ at, audioId: audio.id, title: 'news' }], n.agent)
    await waitFor(
      async () =>
        (await readdir(join(n.dataDir, 'audio')).catch(() => [])).some(
          (f) => f.startsWith(audio.sha256) && !f.endsWith('.part'),
        ),
      'audio cached',
    )
    // Earlier reports receipted (their files gone), so the filler takes every last byte.
    await waitFor(() => n.agent.status().outboxDepth === 0, 'outbox empty before the fill')
    const filler = await fill(join(n.dataDir, '..'))
    expect(Date.now()).toBeLessThan(at)

    const [played] = (await once(n.agent.events, 'played')) as [PlayFinishedEvent]
    // The node says it is short of disk, with reports waiting in memory.
    const disk = await waitFor(
      async () =>
        (await nodesById(ctl))
          .get(n.nodeId)
          ?.degradedReasons.find((r) => r.code === 'disk' && Number(r.params?.unsavedEvents) > 0),
      'node degraded by disk with unsaved events',
      20_000,
    ).catch(async (err: unknown) => {
      const node = (await nodesById(ctl)).get(n.nodeId)
      throw new Error(`${err}: ${JSON.stringify(node)} ${JSON.stringify(n.agent.status())}`)
    })
    expect(disk.message).toContain('events not yet saved')
    expect(n.agent.status().outboxDepth).toBeGreaterThanOrEqual(2)
    const date = instantToLocalDate(at, 'Asia/Shanghai')
    const before = (await ctl.api<Play[]>('GET', `/api/plays?date=${date}`)).body
    expect(before.filter((p) => p.nodeId === n.nodeId && p.itemId === played.itemId)).toEqual([])

    // Space frees (a technician deletes the file): the reports are written, then delivered.
    await rm(filler)
    const delivered = await waitFor(
      async () => {
        const mine = (await ctl.api<Play[]>('GET', `/api/plays?date=${date}`)).body.filter(
          (p) => p.nodeId === n.nodeId && p.itemId === played.itemId,
        )
        return mine.length === 2 ? mine : null
      },
      'reports delivered after space freed',
      45_000,
    )
    expect(delivered.map((p) => p.type).sort()).toEqual(['play.finished', 'play.started'])
    await waitFor(() => n.agent.status().outboxDepth === 0, 'outbox drained')
  })

  it('does not let a download fill the disk: the plan is stored and the small item plays', async () => {
    const ctl = await startController()
    const small = await ctl.upload(await makeTone(tmpDir(), 'small', 1, 440), 'small')
    // About 360 kB once stored (96 kbps).
    const big = await ctl.upload(await makeTone(tmpDir(), 'big', 30, 660), 'big')
    expect(big.durationMs).toBeGreaterThan(29_000)
    const n = await agentOnSmallDisk(ctl)
    const applied = once(n.agent.events, 'planApplied')
    await n.agent.start()
    await applied
    // Someone else's file leaves 200 kB above the agent's 1 MiB reserve: the small audio fits,
    // the big one does not.
    const s = await statfs(n.dataDir)
    const spare = Number(s.bavail) * Number(s.bsize) - DISK_RESERVE_BYTES - 200 * 1024
    await writeFile(join(n.dataDir, '..', 'other'), Buffer.alloc(spare, 1))
    const failed: PlayFailedEvent[] = []
    n.agent.events.on('failed', (e) => failed.push(e))
    const at = wholeSecondAhead(5000)
    await scheduleItems(
      ctl,
      [
        { at, audioId: small.id, title: 'small' },
        { at: at + 1000, audioId: big.id, title: 'big' },
      ],
      n.agent,
    )
    const version = n.agent.status().planVersion
    const stored = JSON.parse(await readFile(join(n.dataDir, 'plan.json'), 'utf8')) as {
      version: string
    }
    expect(stored.version).toBe(version)
    const [played] = (await once(n.agent.events, 'played')) as [PlayFinishedEvent]
    expect(played.audioId).toBe(small.id)
    await waitFor(() => failed.find((e) => e.audioId === big.id), 'big item failed', 30_000)
    const f = failed.find((e) => e.audioId === big.id) as PlayFailedEvent
    expect(f.reason).toBe('download')
    expect(f.error).toContain('not enough disk')
    expect(existsSync(join(n.dataDir, 'audio', `${big.sha256}.part`))).toBe(false)
    expect((await statfs(n.dataDir)).bavail).toBeGreaterThan(0)
  })
})
