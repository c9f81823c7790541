import { createServer } from 'node:net'
import { Writable } from 'node:stream'
import { Aedes } from 'aedes'
import pino from 'pino'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { resolveFfmpegPath } from '../audio/index.js'
import { createManualClock } from '../testing/manual-clock.js'
import { createAgent } from './agent.js'
import { loadNodeConfig } from './config.js'
import { REFUSED_LIMIT } from './mqtt-session.js'
import { createTestSigner } from './testing/test-signer.js'
import { makeTempDir } from './testing/tmp-dir.js'

/** An aedes broker on 127.0.0.1 that refuses every CONNECT as "not authorized" and counts them. */
async function refusingBroker() {
  const broker = await Aedes.createBroker({
    authenticate: (_client, _user, _pass, done) => {
      attempts++
      const err = Object.assign(new Error('not authorized'), { returnCode: 5 })
      done(err as Parameters<typeof done>[0], false)
    },
  })
  let attempts = 0
  const server = createServer(broker.handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  onTestFinished(async () => {
    await new Promise<void>((resolve) => broker.close(() => resolve()))
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return { url: `mqtt://127.0.0.1:${port}`, attempts: () => attempts }
}

/** A pino logger whose JSON lines are collected. */
function capturingLogger() {
  const lines: { level: number; msg: string; refusals?: number }[] = []
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line))
      done()
    },
  })
  return { log: pino({ level: 'debug' }, stream), lines }
}

describe('agent whose credentials the broker refuses', () => {
  it('says so at error level, then retries only every 5 to 10 minutes instead of spinning', async () => {
    const { dir, cleanup } = await makeTempDir()
    onTestFinished(cleanup)
    const broker = await refusingBroker()
    const clock = createManualClock(Date.now())
    const { log, lines } = capturingLogger()
    const config = loadNodeConfig({
      flags: {
        nodeId: 'n1',
        secret: 'retired-secret',
        brokerUrl: broker.url,
        dataDir: dir,
        controllerKey: createTestSigner().pem,
      },
    })
    const agent = createAgent({ config, log, clock, ffmpegPath: resolveFfmpegPath() })
    onTestFinished(() => agent.stop())
    const refused: number[] = []
    agent.events.on('credentialsRefused', (n) => refused.push(n))
    const start = clock.now()
    await agent.start()

    // The normal backoff (1 s doubling, capped at 60 s) until the limit; time moves a second at
    // a time while the real connections are refused.
    const count = (msg: string) => lines.filter((l) => l.msg === msg).length
    while (refused.length < REFUSED_LIMIT) await clock.advance(1000)
    await vi.waitFor(() => expect(count('reconnect scheduled')).toBe(REFUSED_LIMIT))
    expect(clock.now() - start).toBeLessThan(4 * 60_000)
    expect(refused).toEqual([1, 2, 3, 4, 5])
    expect(broker.attempts()).toBe(REFUSED_LIMIT)
    expect(agent.status()).toMatchObject({ connected: false, credentialsRefused: REFUSED_LIMIT })
    const errors = lines.filter((l) => l.level === 50 && /refused the node credentials/.test(l.msg))
    expect(errors).toHaveLength(REFUSED_LIMIT)
    expect(errors.at(-1)?.msg).toMatch(/5 times in a row.*re-enroll it/)

    // From now on: nothing for 5 minutes, one more attempt within 10.
    await clock.advance(299_000)
    expect(count('connecting')).toBe(REFUSED_LIMIT)
    await clock.advance(301_000)
    expect(count('connecting')).toBe(REFUSED_LIMIT + 1)
    await vi.waitFor(() => expect(refused).toHaveLength(REFUSED_LIMIT + 1), { timeout: 10_000 })
    expect(broker.attempts()).toBe(REFUSED_LIMIT + 1)
  })
})
