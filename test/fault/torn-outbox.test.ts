/**
 * Issue 10: a torn outbox. With the agent process stopped, its outbox holds intact events, one
 * cut in the middle (a power loss), an empty file, random bytes and JSON that is no event. The
 * restarted agent must deliver every intact event (stored once by the controller), set the torn
 * files aside with a warning, and neither crash nor loop. Real controller, broker and agent process.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createSystemClock } from '../../speaker-agent/clock.js'
import { asReason, stampEvent } from '../../speaker-agent/events.js'
import { type AgentProcess, spawnAgentProcess } from '../helpers/agent-process.js'
import { startController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { tmpDir } from '../helpers/tmp-dir.js'

const DATE = '2026-11-27'

interface Play {
  nodeId: string
  itemId: string
  type: string
}

describe('fault: torn outbox files', () => {
  it('delivers every intact event once and sets the torn files aside, without crashing or looping', async () => {
    const ctl = await startController()
    const node = await ctl.register('torn outbox')
    const dataDir = tmpDir('chorus-agent-torn-')
    const outboxDir = join(dataDir, 'outbox')
    const spawn = (): AgentProcess => {
      const p = spawnAgentProcess({
        nodeId: node.id,
        secret: node.secret,
        brokerUrl: ctl.brokerUrl,
        controllerUrl: ctl.url,
        dataDir,
      })
      onTestFinished(async () => {
        if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL')
        await p.exited
      })
      return p
    }
    const logged = (p: AgentProcess, msg: string): Record<string, unknown>[] =>
      p
        .output()
        .split('\n')
        .filter((l) => l.includes(`"msg":"${msg}"`))
        .map((l) => JSON.parse(l) as Record<string, unknown>)

    // A first run enrols the node's signing key with the controller, then stops.
    const first = spawn()
    await waitFor(() => logged(first, 'plan applied').length > 0, 'the first run online', 30_000)
    first.child.kill('SIGTERM')
    expect(await first.exited).toBe(0)

    // What a crash and a power loss leave behind (names as the outbox makes them).
    const clock = createSystemClock()
    const ms = String(clock.now()).padStart(15, '0')
    const name = (n: number) => `${ms}-${String(n).padStart(6, '0')}.json`
    const event = (n: number) =>
      stampEvent(clock, {
        type: 'play.failed',
        itemId: `${DATE}/t08000${n}`,
        scheduledAt: `${DATE}T08:00:0${n}.000+08:00`,
        reason: asReason('late'),
      })
    const intact = [1, 2, 3].map((n) => event(n))
    for (const [i, e] of intact.entries())
      writeFileSync(join(outboxDir, name(i * 2)), JSON.stringify(e))
    const cut = JSON.stringify(event(4))
    const torn = new Map<string, string>([
      [name(1), cut.slice(0, Math.floor(cut.length / 2))],
      [name(3), ''],
      [name(5), '\u0000\u0000\u0000\u00ff{'],
      // JSON, but no event: the old agent published it beside the intact events, the controller
      // refused the whole message, nothing was receipted and the batch was resent forever.
      [name(7), '42'],
    ])
    for (const [file, text] of torn) writeFileSync(join(outboxDir, file), text)

    const second = spawn()
    const stored = async (): Promise<Play[]> =>
      (await ctl.api<Play[]>('GET', `/api/plays?date=${DATE}`)).body.filter(
        (p) => p.nodeId === node.id && p.type === 'play.failed',
      )
    await waitFor(
      async () => (await stored()).length >= intact.length,
      'the intact events stored',
      30_000,
    )
    // Receipted, so deleted: only the set-aside folder is left.
    await waitFor(
      () => readdirSync(outboxDir).every((f) => f === 'torn'),
      'the outbox emptied',
      30_000,
    )
    expect((await stored()).map((p) => p.itemId).sort()).toEqual(intact.map((e) => e.itemId))

    const warned = logged(second, 'torn outbox event set aside; not sent')
    expect(warned.map((l) => l.file).sort()).toEqual([...torn.keys()].sort())
    for (const [file, text] of torn) {
      // Kept as found, for a technician.
      expect(readFileSync(join(outboxDir, 'torn', file), 'utf8')).toBe(text)
    }
    expect(second.child.exitCode).toBeNull()

    // A restart does not read them again and delivers nothing twice.
    second.child.kill('SIGTERM')
    expect(await second.exited).toBe(0)
    const third = spawn()
    await waitFor(() => logged(third, 'connected').length > 0, 'the third run online', 30_000)
    expect(logged(third, 'torn outbox event set aside; not sent')).toEqual([])
    expect(existsSync(join(outboxDir, 'torn', name(1)))).toBe(true)
    expect(await stored()).toHaveLength(intact.length)
  }, 120_000)
})
