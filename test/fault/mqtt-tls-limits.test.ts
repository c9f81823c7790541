import { readFileSync } from 'node:fs'
import { type Socket, connect as tcpConnect } from 'node:net'
import mqtt from 'mqtt'
import { describe, expect, it, onTestFinished } from 'vitest'
import { loadConfig } from '../../controller/config.js'
import { createController } from '../../controller/controller.js'
import { quietLog } from '../helpers/log.js'
import { waitFor } from '../helpers/mqtt.js'
import { tmpDir } from '../helpers/tmp-dir.js'

/** The caps and the connect timeout hold on the MQTT-over-TLS listener too, before any handshake. */
describe('fault: MQTT over TLS connection limits', () => {
  it('refuses sockets over the per-address cap and closes those that never finish a handshake', async () => {
    const config = loadConfig(
      [
        ...['--http-port', '0', '--mqtt-port', '0', '--mqtt-tls-port', '0'],
        ...['--mqtt-host', '127.0.0.1', '--data-dir', tmpDir('chorus-tls-limits-'), '--tls', 'on'],
        ...['--mqtt-plain', 'false', '--mqtt-tls-handshake-timeout-ms', '1000'],
        ...['--mqtt-max-connections-per-address', '3'],
      ],
      {},
    )
    if ('help' in config) throw new Error('help')
    const controller = createController({ config, log: quietLog() })
    const started = await controller.start()
    onTestFinished(() => controller.stop())
    const port = started.mqttTlsPort ?? 0

    const sockets: { socket: Socket; closed: boolean }[] = []
    for (let i = 0; i < 5; i++) {
      const socket = tcpConnect({ port, host: '127.0.0.1', localAddress: '127.0.0.2' })
      const probe = { socket, closed: false }
      socket.on('error', () => undefined)
      socket.on('close', () => {
        probe.closed = true
      })
      onTestFinished(() => {
        socket.destroy()
      })
      sockets.push(probe)
    }
    // Two over the cap are refused at once, the three others when their handshake times out.
    await waitFor(() => sockets.filter((s) => s.closed).length >= 2, 'two refused')
    await waitFor(() => sockets.every((s) => s.closed), 'idle TLS sockets closed')
    const stats = controller.broker()?.limitStats()
    expect(stats?.refused['max-per-address']).toBe(2)
    expect(stats?.open).toBe(0) // the controller is an in-process session, no connection

    // The listener still serves: a client with bad credentials completes TLS and gets a CONNACK.
    const ca = readFileSync(started.caFile ?? '', 'utf8')
    const err = await mqtt
      .connectAsync(`mqtts://127.0.0.1:${port}`, {
        ca,
        username: 'nobody',
        password: 'wrong',
        reconnectPeriod: 0,
        connectTimeout: 5000,
      })
      .then(
        async (c) => {
          await c.endAsync(true)
          return null
        },
        (e: Error) => e,
      )
    expect(err?.message).toMatch(/Bad username or password|Not authorized/i)
  })
})
