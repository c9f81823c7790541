import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createSystemClock } from './clock.js'
import { createClockSync } from './clock-sync.js'
import { silentLogger } from './testing/tmp-dir.js'

type Answer = (req: IncomingMessage, res: ServerResponse) => void

/** A real HTTP server on 127.0.0.1 whose `/api/time` is answered by `answer()` (changeable). */
async function timeServer(first: Answer) {
  let answer = first
  const paths: string[] = []
  const server = createServer((req, res) => {
    paths.push(req.url ?? '')
    answer(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    paths,
    set: (next: Answer) => {
      answer = next
    },
  }
}

/** Answers the real time shifted by `skewMs`, after `delayMs`. */
function skewed(skewMs: number, delayMs = 0): Answer {
  return (_req, res) => {
    const send = () => {
      const now = Date.now() + skewMs
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ now, iso: new Date(now).toISOString() }))
    }
    if (delayMs > 0) setTimeout(send, delayMs)
    else send()
  }
}

function syncFor(url: string, opts: { keep?: number; timeoutMs?: number } = {}) {
  return createClockSync({
    controllerUrl: url,
    clock: createSystemClock(),
    log: silentLogger(),
    ...opts,
  })
}

describe('clock sync', () => {
  it('estimates the offset of a controller whose clock runs 42 s ahead', async () => {
    const server = await timeServer(skewed(42_000))
    const sync = syncFor(`${server.url}/`)
    expect(sync.offsetMs()).toBeNull()
    const offset = await sync.sample()
    expect(server.paths).toEqual(['/api/time'])
    expect(offset).not.toBeNull()
    // The true offset lies within the estimate's own uncertainty (half the round trip; +1 ms for
    // whole-millisecond clocks), however loaded the machine is.
    const bound = sync.estimate()!.uncertaintyMs + 1
    expect(Math.abs((offset ?? 0) - 42_000)).toBeLessThanOrEqual(bound)
    expect(sync.offsetMs()).toBe(offset)
  })

  it('measures a controller behind this node as a negative offset', async () => {
    const server = await timeServer(skewed(-7_500))
    const sync = syncFor(server.url)
    const offset = await sync.sample()
    expect(Math.abs((offset ?? 0) + 7_500)).toBeLessThanOrEqual(sync.estimate()!.uncertaintyMs + 1)
  })

  it('keeps the sample with the smallest round trip of the last few', async () => {
    const server = await timeServer(skewed(10_000))
    const sync = syncFor(server.url, { keep: 3 })
    const fast = await sync.sample()
    // A slow answer that also claims another time: its round trip is long, so it loses.
    server.set(skewed(60_000, 300))
    expect(await sync.sample()).toBe(fast)
    expect(await sync.sample()).toBe(fast)
    // Once the fast sample has left the window, the best remaining one wins.
    expect(Math.abs(((await sync.sample()) ?? 0) - 60_000)).toBeLessThan(400)
  })

  it('keeps the last estimate when the controller fails, and stays null when it never answered', async () => {
    const server = await timeServer(skewed(3_000))
    const sync = syncFor(server.url, { timeoutMs: 200 })
    const good = await sync.sample()
    server.set((_req, res) => res.writeHead(503).end('busy'))
    expect(await sync.sample()).toBe(good)
    server.set((_req, res) => res.writeHead(200).end('{"iso":"no now here"}'))
    expect(await sync.sample()).toBe(good)
    server.set(() => undefined) // never answers: the timeout ends the request
    expect(await sync.sample()).toBe(good)

    const dead = await timeServer((req) => req.socket.destroy())
    expect(await syncFor(dead.url).sample()).toBeNull()
  })

  it('samples in bursts, hands each estimate with its uncertainty (half the round trip) on', async () => {
    const server = await timeServer(skewed(2_000, 60))
    const estimates: Array<{ offsetMs: number; uncertaintyMs: number }> = []
    const sync = createClockSync({
      controllerUrl: server.url,
      clock: createSystemClock(),
      log: silentLogger(),
      onEstimate: (e) => estimates.push(e),
    })
    const offset = await sync.burst(3)
    expect(server.paths).toHaveLength(3)
    expect(estimates).toHaveLength(3)
    expect(Math.abs((offset ?? 0) - 2_000)).toBeLessThan(100)
    // The answer is held 60 ms: the round trip is at least that, so the bound is at least 30 ms.
    const best = sync.estimate()
    expect(best?.uncertaintyMs).toBeGreaterThanOrEqual(30)
    expect(estimates.at(-1)).toEqual(best)
    // A burst stops at the first failure and keeps the estimate.
    server.set((_req, res) => res.writeHead(503).end('busy'))
    expect(await sync.burst(5)).toBe(offset)
    expect(server.paths).toHaveLength(4)
  })

  it('shares one request between concurrent calls', async () => {
    const server = await timeServer(skewed(0, 50))
    const sync = syncFor(server.url)
    const [a, b] = await Promise.all([sync.sample(), sync.sample()])
    expect(a).toBe(b)
    expect(server.paths).toHaveLength(1)
  })
})
