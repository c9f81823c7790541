import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { onTestFinished } from 'vitest'
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
