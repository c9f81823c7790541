import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { onTestFinished } from 'vitest'
import { writeMosquittoConfig } from '../../controller/mqtt/dynsec-config.js'
import { waitFor } from './mqtt.js'
import { freePorts } from './presence.js'
import { tmpDir } from './tmp-dir.js'

/** A Debian `mosquitto` 2.0 process on 127.0.0.1 that lets anyone in (an open external broker). */
export interface Mosquitto {
  url: string
  child: ChildProcess
}

/** Starts mosquitto with no authentication and no persistence; killed when the test finishes. */
export async function startMosquitto(): Promise<Mosquitto> {
  const [port] = await freePorts(1)
  const dir = tmpDir('chorus-mosquitto-')
  const conf = join(dir, 'mosquitto.conf')
  writeFileSync(
    conf,
    [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', ''].join('\n'),
  )
  const child = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = once(child, 'exit')
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  })
  const url = `mqtt://127.0.0.1:${port}`
  await waitFor(
    async () => {
      try {
        const c = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 1000 })
        await c.endAsync()
        return true
      } catch {
        return false
      }
    },
    'mosquitto listening',
    10_000,
  )
  return { url, child }
}

/** A mosquitto with dynamic security, configured by `npm run mosquitto:config`'s writer. */
export interface DynsecMosquitto extends Mosquitto {
  admin: { username: string; password: string }
}

/** Starts mosquitto from `writeMosquittoConfig` on a free loopback port; killed after the test. */
export async function startDynsecMosquitto(): Promise<DynsecMosquitto> {
  const [port] = await freePorts(1)
  if (port === undefined) throw new Error('no free port')
  const files = writeMosquittoConfig({
    out: tmpDir('chorus-mosquitto-dynsec-'),
    port,
    address: '127.0.0.1',
    adminUsername: 'chorus-controller',
    // Started as root, mosquitto would switch to the `mosquitto` account, which cannot read
    // the 0600 files; run it as whoever owns them.
    user: userInfo().username,
  })
  const child = spawn('mosquitto', ['-c', files.conf], { stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = once(child, 'exit')
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  })
  const url = `mqtt://127.0.0.1:${port}`
  const admin = { username: 'chorus-controller', password: files.password }
  await waitFor(
    async () => {
      try {
        const c = await mqtt.connectAsync(url, {
          ...admin,
          reconnectPeriod: 0,
          connectTimeout: 1000,
        })
        await c.endAsync()
        return true
      } catch {
        return false
      }
    },
    'mosquitto with dynamic security listening',
    10_000,
  )
  return { url, child, admin }
}
