import { once } from 'node:events'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { SEQ_FILE } from '../../controller/platform/signer.js'
import { createAgent } from '../../speaker-agent/agent.js'
import { loadNodeConfig } from '../../speaker-agent/config.js'
import type { CommandAckEvent } from '../../speaker-agent/events.js'
import { ffmpegPath } from '../helpers/audio.js'
import {
  adminApi,
  type ProcessApi,
  spawnControllerProcess,
  withToken,
} from '../helpers/controller-process.js'
import { quietLog } from '../helpers/log.js'
import { waitFor } from '../helpers/mqtt.js'
import { freePorts } from '../helpers/presence.js'
import { tmpDir } from '../helpers/tmp-dir.js'

/** Debian's libfaketime: the controller process sees a clock `FAKETIME` away from the real one. */
const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1'
const stepped = (offset: string) => ({
  LD_PRELOAD: LIBFAKETIME,
  FAKETIME: offset,
  // Only the wall clock steps; timers (the monotonic clock) run on.
  FAKETIME_DONT_FAKE_MONOTONIC: '1',
})

function floorOf(dataDir: string): number {
  return (JSON.parse(readFileSync(join(dataDir, 'keys', SEQ_FILE), 'utf8')) as { reserved: number })
    .reserved
}

describe('fault: controller clock stepped back', () => {
  it('agents still accept new plans and commands; the sequence floor never goes down, even when its file is lost', async () => {
    expect(existsSync(LIBFAKETIME), `${LIBFAKETIME} (Debian package faketime)`).toBe(true)
    const dataDir = tmpDir('chorus-clock-')
    const [httpPort, mqttPort] = await freePorts(2)
    const args = ['--http-port', String(httpPort), '--mqtt-port', String(mqttPort)]
    const first = await spawnControllerProcess({ dataDir, args })
    const api = await adminApi(first.url)
    const node = await api.register('clock step')
    const config = loadNodeConfig({
      flags: {
        nodeId: node.id,
        secret: node.secret,
        brokerUrl: first.brokerUrl,
        controllerUrl: first.url,
        sink: 'null',
        dataDir: tmpDir('chorus-agent-'),
      },
    })
    const agent = createAgent({ config, log: quietLog(), ffmpegPath })
    onTestFinished(() => agent.stop())
    const refusals: string[] = []
    agent.events.on('refused', (channel: string, reason: string) =>
      refusals.push(`${channel}:${reason}`),
    )
    const planned = once(agent.events, 'planApplied')
    await agent.start()
    await planned

    // A command and a fresh copy of the plan (resync) must be taken, with no refusal.
    const exchange = async (ctl: ProcessApi) => {
      await waitFor(() => agent.status().connected, 'agent connected', 60_000)
      const replanned = once(agent.events, 'planApplied')
      const acks: CommandAckEvent[] = []
      const acked = new Promise<void>((resolve) => {
        agent.events.on('ack', (e: CommandAckEvent) => {
          acks.push(e)
          if (acks.length === 2) resolve()
        })
      })
      // A long lifetime: this test is about replay checks, not about command expiry.
      for (const kind of ['ping', 'resync']) {
        const r = await ctl.api('POST', `/api/nodes/${node.id}/commands`, {
          kind,
          ttlSec: 86_400,
        })
        expect(r.status).toBe(201)
      }
      const refused = once(agent.events, 'refused').then(() => {
        throw new Error(`refused: ${refusals.join(', ')}`)
      })
      await Promise.race([acked, refused])
      agent.events.removeAllListeners('ack')
      expect(acks.map((a) => a.status)).toEqual(['ok', 'ok'])
      await Promise.race([replanned, refused])
      expect(refusals).toEqual([])
    }
    await exchange(api)
    const floor1 = floorOf(dataDir)

    // Restarted with its wall clock an hour behind (an NTP correction, an operator's fix).
    await first.stop('SIGTERM')
    const second = await spawnControllerProcess({ dataDir, args, env: stepped('-1h') })
    const time = (await (await fetch(`${second.url}/api/time`)).json()) as { now: number }
    expect(Date.now() - time.now).toBeGreaterThan(3_500_000)
    await exchange(withToken(second.url, api.headers))
    const floor2 = floorOf(dataDir)
    expect(floor2).toBeGreaterThan(floor1)

    // Killed, and back two hours behind: the persisted floor still holds.
    await second.stop('SIGKILL')
    const third = await spawnControllerProcess({ dataDir, args, env: stepped('-2h') })
    await exchange(withToken(third.url, api.headers))
    expect(floorOf(dataDir)).toBeGreaterThan(floor2)
    await third.stop('SIGTERM')

    // The floor file lost (a hand-made migration, a deleted damaged file) and the clock still
    // behind: the agent's birth tells the highest number it accepted and the controller goes on
    // above it.
    rmSync(join(dataDir, 'keys', SEQ_FILE))
    const fourth = await spawnControllerProcess({ dataDir, args, env: stepped('-3h') })
    await waitFor(
      () => fourth.logs('signing above the sequence a node reported').length > 0,
      'the agent birth raising the floor',
      60_000,
    )
    await exchange(withToken(fourth.url, api.headers))
    expect(floorOf(dataDir)).toBeGreaterThan(floor2)
    await fourth.stop('SIGTERM')
  }, 240_000)
})
