import { createHook } from 'node:async_hooks'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { loadConfig } from '../../controller/config.js'
import { createController } from '../../controller/controller.js'
import { openDatabase } from '../../controller/platform/database.js'
import { createRunsRepository } from '../../controller/platform/repositories/runs-repository.js'
import { captureLog } from '../helpers/log.js'
import { tmpDir } from '../helpers/tmp-dir.js'

/** A real listener holding a loopback port, so that the controller's HTTP listen fails. */
async function occupyPort(): Promise<{ port: number; server: Server }> {
  const server = createServer()
  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => ok())
  })
  const addr = server.address()
  if (!addr || typeof addr === 'string') throw new Error('no port')
  onTestFinished(() => new Promise<void>((ok) => server.close(() => ok())))
  return { port: addr.port, server }
}

/** Timers (refed or not) created while `track` runs and still pending or repeating. */
async function liveTimersAfter(track: () => Promise<unknown>): Promise<number> {
  const live = new Set<number>()
  const hook = createHook({
    init(id, type) {
      if (type === 'Timeout') live.add(id)
    },
    destroy(id) {
      live.delete(id)
    },
  })
  hook.enable()
  try {
    await track()
    // Node reports a cleared timer's end (its destroy hook) on a later turn of the event loop.
    for (let i = 0; i < 2; i++) await new Promise((ok) => setImmediate(ok))
  } finally {
    hook.disable()
  }
  return live.size
}

function configFor(dataDir: string, httpPort: number) {
  const config = loadConfig(
    [
      ...['--http-port', String(httpPort), '--http-host', '127.0.0.1'],
      ...['--mqtt-port', '0', '--mqtt-host', '127.0.0.1'],
      ...['--data-dir', dataDir, '--admin-password', 'test-only-Chorus-pw-2026'],
    ],
    {},
  )
  if ('help' in config) throw new Error('unexpected --help')
  return config
}

describe('a controller whose start fails halfway', () => {
  it('stops every part it had started, in reverse, and leaves no timer or socket behind', async () => {
    const { port } = await occupyPort()
    const dataDir = tmpDir('chorus-fail-')
    const { log, lines } = captureLog('info')
    const controller = createController({ config: configFor(dataDir, port), log })

    // Everything starts (broker, modules, MQTT, plans) before HTTP, the last part, fails.
    const left = await liveTimersAfter(() =>
      expect(controller.start()).rejects.toThrow(/EADDRINUSE/),
    )

    expect(controller.parts()).toEqual([])
    expect(left).toBe(0)
    const stopped = lines()
      .filter((l) => l.msg === 'stop failed' || l.msg === 'controller stopped')
      .map((l) => l.msg)
    expect(stopped).toEqual(['controller stopped'])
    // The platform stopped: the run was closed cleanly (its stop ran) and the database released.
    const db = openDatabase(join(dataDir, 'chorus.db'))
    const run = createRunsRepository(db).last()
    db.close()
    expect(run?.stoppedAt).not.toBeNull()

    // Nothing is held: the same data directory starts on a free port, and stops.
    const again = createController({ config: configFor(dataDir, 0), log })
    await again.start()
    expect(again.parts()).toContain('http')
    expect(again.parts()).toEqual([
      'platform',
      'provisioning',
      'broker',
      'accounts',
      'programme',
      'reports',
      'ingest',
      'fleet',
      'live',
      'metrics',
      'mqtt',
      'programme plans',
      'http',
    ])
    await again.stop()
    expect(again.parts()).toEqual([])
  })
})
