import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { loadNodeConfig, renderHelp } from './config.js'
import { makeTempDir } from './testing/tmp-dir.js'

async function configFile(content: unknown): Promise<string> {
  const { dir, cleanup } = await makeTempDir()
  onTestFinished(cleanup)
  const file = join(dir, 'node.json')
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content))
  return file
}

describe('loadNodeConfig', () => {
  it('fills every default around the required identity', () => {
    const config = loadNodeConfig({ flags: { nodeId: 'node-1', secret: 's3cret' } })
    expect(config).toEqual({
      nodeId: 'node-1',
      secret: 's3cret',
      brokerUrl: 'mqtt://127.0.0.1:1883',
      controllerUrl: 'http://127.0.0.1:8080',
      sink: 'null',
      dataDir: './node-data',
      keepaliveSec: 15,
      telemetryIntervalSec: 60,
      lateToleranceMs: 5000,
      volume: 100,
    })
    expect(Object.isFrozen(config)).toBe(true)
  })

  it('lets flags win over the config file', async () => {
    const file = await configFile({
      nodeId: 'from-file',
      secret: 'a',
      sink: 'wav:/tmp/x',
      volume: 40,
    })
    const config = loadNodeConfig({ file, flags: { nodeId: 'from-flag', dataDir: undefined } })
    expect(config).toMatchObject({
      nodeId: 'from-flag',
      secret: 'a',
      sink: 'wav:/tmp/x',
      volume: 40,
    })
  })

  it('accepts numeric strings for integer keys given by a caller', () => {
    const config = loadNodeConfig({ flags: { nodeId: 'n1', secret: 's', lateToleranceMs: '2000' } })
    expect(config.lateToleranceMs).toBe(2000)
  })

  it('takes the keepalive and the telemetry interval from flags, within their bounds', () => {
    const flags = { nodeId: 'n1', secret: 's', keepaliveSec: '5', telemetryIntervalSec: '30' }
    expect(loadNodeConfig({ flags })).toMatchObject({ keepaliveSec: 5, telemetryIntervalSec: 30 })
    expect(() => loadNodeConfig({ flags: { ...flags, keepaliveSec: '2' } })).toThrow(
      /keepaliveSec \(--keepalive-sec\): must be >= 5/,
    )
  })

  it('throws one error that lists every problem', async () => {
    const file = await configFile({ brokerUrl: 'http://nope', volume: 130, colour: 'red' })
    let message = ''
    try {
      loadNodeConfig({ file, flags: { sink: 'speaker', nodeId: 'Bad_Id' } })
    } catch (err) {
      expect((err as { code: string }).code).toBe('AGENT_CONFIG')
      message = (err as Error).message
    }
    expect(message).toContain('secret (--secret): is required')
    expect(message).toContain('nodeId (--node-id): must match pattern')
    expect(message).toContain('brokerUrl (--broker): must match pattern')
    expect(message).toContain('sink (--sink): must match pattern')
    expect(message).toContain('volume: must be <= 100')
    expect(message).toContain('colour: unknown key')
  })

  it('reports a config file that is not JSON', async () => {
    const file = await configFile('{ nodeId: ')
    expect(() => loadNodeConfig({ file, flags: { nodeId: 'n1', secret: 's' } })).toThrow(
      /config file .*node\.json/,
    )
  })
})

describe('renderHelp', () => {
  it('names every flag and default from the schema', () => {
    const help = renderHelp()
    for (const flag of [
      '--config',
      '--node-id',
      '--secret',
      '--controller',
      '--broker',
      '--sink',
      '--keepalive-sec',
      '--telemetry-interval-sec',
    ]) {
      expect(help).toContain(flag)
    }
    expect(help).toContain('default 15')
    expect(help).toContain('lateToleranceMs (file only)')
  })
})
