import mqtt from 'mqtt'
import { describe, expect, it, vi } from 'vitest'
import { FLEET_TOPICS } from '../../protocol/index.js'
import { createMqttSession } from '../../speaker-agent/mqtt-session.js'
import { createManualClock } from '../../testing/manual-clock.js'
import { startExternalBroker } from '../helpers/external-broker.js'
import { captureLog } from '../helpers/log.js'

/**
 * Issue 9: agents reset their reconnect backoff only after 30 s connected, while a starting
 * controller calls nodes offline after its rebirth wait. A node whose short connections kept
 * breaking while the controller started came back too late. Now a connection on which the
 * controller spoke resets the backoff too.
 */
describe('agent reconnect backoff', () => {
  it('starts again from the first step once the controller has spoken on the connection', async () => {
    const broker = await startExternalBroker()
    const clock = createManualClock()
    const captured = captureLog('debug')
    const received: string[] = []
    const session = createMqttSession({
      config: {
        nodeId: 'node-backoff',
        secret: 's',
        brokerUrl: broker.url,
        keepaliveSec: 30,
      },
      clock,
      log: captured.log,
      bootId: 'boot-1',
      agentVersion: 'test',
      planVersion: () => null,
      onMessage: (topic) => received.push(topic),
      onConnected: () => undefined,
      onDisconnected: () => undefined,
      backoff: { baseMs: 1000, capMs: 60_000 },
      // The longest delay of each step, so the step shows in the delay.
      random: () => 0.999,
    })
    const delays = () =>
      captured
        .lines()
        .filter((l) => l.msg === 'reconnect scheduled')
        .map((l) => Number(l.delayMs))
    const bounce = async (): Promise<number> => {
      const before = delays().length
      await broker.close()
      await vi.waitFor(() => expect(delays().length).toBe(before + 1), { timeout: 10_000 })
      const delay = delays()[before] ?? Number.NaN
      await broker.start()
      await clock.advance(delay)
      await vi.waitFor(() => expect(session.connected()).toBe(true), { timeout: 10_000 })
      return delay
    }
    session.start()
    try {
      await vi.waitFor(() => expect(session.connected()).toBe(true), { timeout: 10_000 })
      // Short connections on which nobody spoke: each loss waits one step longer.
      const silent = [await bounce(), await bounce(), await bounce(), await bounce()]
      expect(silent).toEqual([999, 1998, 3996, 7992])
      // The controller speaks (its rebirth request after a start): the next loss starts over.
      const controller = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 })
      await controller.publishAsync(FLEET_TOPICS.rebirth, '{}', { qos: 0 })
      await controller.endAsync()
      await vi.waitFor(() => expect(received).toContain(FLEET_TOPICS.rebirth), { timeout: 10_000 })
      expect(await bounce()).toBe(999)
    } finally {
      await session.stop()
    }
  })
})
