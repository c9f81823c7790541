import { readFileSync } from 'node:fs'
import { get } from 'node:https'
import { connect as tcpConnect } from 'node:net'
import { join } from 'node:path'
import mqtt from 'mqtt'
import pino from 'pino'
import { describe, expect, it, onTestFinished } from 'vitest'
import { loadConfig } from '../../controller/config.js'
import { createController } from '../../controller/controller.js'
import { generateTlsMaterial } from '../../controller/tls.js'
import { tmpDir } from '../helpers/tmp-dir.js'

async function startTls(dataDir: string, extra: string[] = []) {
  const config = loadConfig(
    [
      '--http-port',
      '0',
      '--mqtt-port',
      '0',
      '--mqtt-tls-port',
      '0',
      '--mqtt-host',
      '127.0.0.1',
      '--data-dir',
      dataDir,
      '--tls',
      'on',
      ...extra,
    ],
    {},
  )
  if ('help' in config) throw new Error('help')
  const controller = createController({ config, log: pino({ level: 'silent' }) })
  const started = await controller.start()
  onTestFinished(() => controller.stop())
  return { controller, started }
}

function httpsJson(url: string, ca: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    get(url, { ca }, (res) => {
      let text = ''
      res.on('data', (d: Buffer) => {
        text += d.toString()
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }))
    }).on('error', reject)
  })
}

/** Connects once: null when the broker accepted, else the error (or 'closed') it ended with. */
function mqttsError(url: string, opts: mqtt.IClientOptions): Promise<Error | null> {
  return new Promise((resolve) => {
    const c = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 5000, ...opts })
    let lastError: Error | null = null
    c.on('connect', () => {
      c.end(true)
      resolve(null)
    })
    c.on('error', (err) => {
      lastError = err
    })
    c.on('close', () => {
      c.end(true)
      resolve(lastError ?? new Error('closed without CONNACK'))
    })
  })
}

describe('TLS', () => {
  it('generates a private CA on first start and serves MQTT over TLS and HTTPS with it', async () => {
    const dataDir = tmpDir()
    const { started, controller } = await startTls(dataDir, ['--mqtt-plain', 'false'])
    expect(started.mqttPort).toBeNull()
    expect(started.httpUrl).toMatch(/^https:/)
    const ca = readFileSync(started.caFile!, 'utf8')
    const health = await httpsJson(`${started.httpUrl}/api/health`, ca)
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } })

    // Registering never creates a zone: make it first.
    const zone = controller.deps!.services.provisioning.createZone({ name: 'x' })
    const node = await controller.deps!.services.provisioning.registerNode({
      name: 'tls',
      zone: zone.id,
    })
    const url = `mqtts://127.0.0.1:${started.mqttTlsPort}`
    const creds = { clientId: node.node.id, username: node.node.id, password: node.secret }
    expect(await mqttsError(url, { ...creds, ca })).toBeNull()

    // A CA the node does not know, and plain MQTT on the TLS port, are both refused.
    const stranger = generateTlsMaterial(['elsewhere']).ca
    expect((await mqttsError(url, { ...creds, ca: stranger }))?.message).toMatch(/certificate/i)
    const plain = await mqttsError(`mqtt://127.0.0.1:${started.mqttTlsPort}`, {
      ...creds,
      connectTimeout: 2000,
    })
    expect(plain).toBeTruthy()
  })

  it('keeps its CA across restarts, so enrolled nodes keep trusting it', async () => {
    const dataDir = tmpDir()
    const first = await startTls(dataDir)
    const ca = readFileSync(first.started.caFile!, 'utf8')
    await first.controller.stop()
    const second = await startTls(dataDir)
    expect(readFileSync(second.started.caFile!, 'utf8')).toBe(ca)
    expect(readFileSync(join(dataDir, 'tls', 'server-key.pem')).length).toBeGreaterThan(0)
    // The plain port stays open unless it is turned off.
    expect(second.started.mqttPort).toBeGreaterThan(0)
    await new Promise<void>((resolve, reject) => {
      const s = tcpConnect(second.started.mqttPort!, '127.0.0.1', () => {
        s.end()
        resolve()
      }).on('error', reject)
    })
  })
})
