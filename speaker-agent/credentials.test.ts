import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadNodeConfig } from './config.js'
import {
  CREDENTIALS_FILE,
  dataDirOf,
  loadCredentials,
  type StoredCredentials,
  saveCredentials,
} from './credentials.js'
import { isAgentError } from './errors.js'

const dirs: string[] = []
function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-creds-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const creds: StoredCredentials = {
  v: 1,
  nodeId: 'node-0123456789',
  secret: 's3cret',
  brokerUrl: 'mqtt://10.0.0.1:1883',
  controllerUrl: 'http://10.0.0.1:8080',
  enrolledAt: '2026-11-27T08:00:00.000Z',
}

describe('credentials.json', () => {
  it('is written 0600 in a 0700 directory and read back', async () => {
    const dataDir = join(tmp(), 'new')
    const file = await saveCredentials(dataDir, creds)
    expect(file).toBe(join(dataDir, CREDENTIALS_FILE))
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(dataDir).mode & 0o777).toBe(0o700)
    expect(loadCredentials(dataDir)).toEqual(creds)
  })

  it('is absent in a fresh data directory, and refused when corrupt', () => {
    const dataDir = tmp()
    expect(loadCredentials(dataDir)).toBeUndefined()
    writeFileSync(join(dataDir, CREDENTIALS_FILE), '{"v":1,"nodeId":"X"}')
    expect(() => loadCredentials(dataDir)).toThrow(/not valid credentials/)
    writeFileSync(join(dataDir, CREDENTIALS_FILE), '{')
    let caught: unknown
    try {
      loadCredentials(dataDir)
    } catch (err) {
      caught = err
    }
    expect(isAgentError(caught, 'AGENT_CONFIG')).toBe(true)
  })

  it('sits under the config: the config file and flags win over the stored values', () => {
    const file = join(tmp(), 'node.json')
    writeFileSync(file, JSON.stringify({ controllerUrl: 'http://override:8080', sink: 'null' }))
    const stored = { nodeId: creds.nodeId, secret: creds.secret, brokerUrl: creds.brokerUrl }
    const config = loadNodeConfig({
      file,
      flags: { brokerUrl: 'mqtt://flag:1883' },
      stored: { ...stored, controllerUrl: creds.controllerUrl },
    })
    expect(config).toMatchObject({
      nodeId: creds.nodeId,
      secret: creds.secret,
      controllerUrl: 'http://override:8080',
      brokerUrl: 'mqtt://flag:1883',
    })
  })

  it('is looked for in the data directory of the flag, else of the config file, else the default', () => {
    const file = join(tmp(), 'node.json')
    writeFileSync(file, JSON.stringify({ dataDir: '/var/lib/x' }))
    expect(dataDirOf({ file, flag: '/srv/y' })).toBe('/srv/y')
    expect(dataDirOf({ file })).toBe('/var/lib/x')
    expect(dataDirOf({})).toBe('./node-data')
    expect(dataDirOf({ file: join(tmp(), 'missing.json') })).toBe('./node-data')
  })
})
