import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createClockSync } from './clock-sync.js'
import { silentLogger } from './testing/tmp-dir.js'

describe('clockOffsetMs sign', () => {
  it('is the controller clock minus the node clock, in the code and in docs/protocol.md', async () => {
    // A real controller-like /api/time on loopback, answering the true time.
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ now: Date.now() }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())))
    const { port } = server.address() as AddressInfo
    // This node's clock runs 2 s fast.
    const sync = createClockSync({
      controllerUrl: `http://127.0.0.1:${port}`,
      clock: { now: () => Date.now() + 2000 },
      log: silentLogger(),
    })
    const offset = await sync.sample()
    expect(offset).not.toBeNull()
    // Loopback round trips are far below 500 ms even on a loaded machine.
    expect(Math.abs((offset as number) + 2000)).toBeLessThan(500)
    const doc = readFileSync(new URL('../docs/protocol.md', import.meta.url), 'utf8')
    expect(doc.replace(/\s+/g, ' ')).toContain(
      "`clockOffsetMs` is the controller's clock minus the node's system clock",
    )
  })
})
