import { spawn } from 'node:child_process'
import { type Socket, connect as tcpConnect } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { waitFor } from '../helpers/mqtt.js'
import { tmpDir } from '../helpers/tmp-dir.js'

const ROOT = join(import.meta.dirname, '..', '..')
const FD_LIMIT = 1400

/**
 * A real controller process started with a low open-file limit (`ulimit -n`, as a small box or a
 * systemd unit would set it), flooded with idle MQTT sockets from several addresses: the broker
 * keeps its sockets below the limit minus a reserve, so the HTTP API keeps accepting
 * connections and the process keeps running (issue 10, attack 1: 21,000 idle sockets took both).
 */
describe('fault: idle MQTT sockets against the open-file limit', () => {
  it('keeps the HTTP API answering when the flood exceeds what the process could open', async () => {
    const child = spawn(
      'bash',
      [
        '-c',
        `ulimit -n ${FD_LIMIT} && exec "$0" "$@"`,
        process.execPath,
        '--import',
        'tsx',
        join(ROOT, 'controller', 'main.ts'),
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          CHORUS_HTTP_PORT: '0',
          CHORUS_MQTT_PORT: '0',
          CHORUS_MQTT_HOST: '127.0.0.1',
          CHORUS_DATA_DIR: tmpDir('chorus-fd-'),
          CHORUS_ADMIN_PASSWORD: 'test-only-Chorus-pw-2026',
          CHORUS_MQTT_CONNECT_TIMEOUT_MS: '120000',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
    })
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString()
    })
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL')
    })
    const ready = await waitFor(
      () => /web UI (http:\/\/\S+?)\/?\s+MQTT mqtt:\/\/127\.0\.0\.1:(\d+)/.exec(out),
      'controller ready',
      30_000,
    )
    const [, url, mqttPort] = ready
    // The cap was lowered to the limit minus the reserve, and said so.
    expect(out).toMatch(/MQTT connection cap lowered to fit the open-file limit/)

    const sockets: { socket: Socket; closed: boolean }[] = []
    for (const a of [2, 3, 4]) {
      for (let i = 0; i < 500; i++) {
        const socket = tcpConnect({
          port: Number(mqttPort),
          host: '127.0.0.1',
          localAddress: `127.0.0.${a}`,
        })
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
    }
    // 1,500 sockets against 1,400 descriptors: only the cap's worth stay open.
    const cap = FD_LIMIT - Math.ceil(FD_LIMIT / 4) // a quarter of a small limit is reserved
    await waitFor(
      () => sockets.filter((s) => s.closed).length >= sockets.length - cap,
      'sockets over the cap closed',
      30_000,
    )
    const health = await fetch(`${url}/api/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: 'ok' })
    expect(child.exitCode).toBeNull()
    expect(out).toMatch(/connection refused by a broker limit/)
  })
})
