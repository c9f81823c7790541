import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ConfigSchema, envName, renderHelp } from '../controller/config.js'
import { apiDoc, MARKER, openApiOfController } from '../scripts/gen-api-doc.js'
import { protocolDoc } from '../scripts/gen-protocol-doc.js'

describe('docs', () => {
  it('docs/protocol.md matches the schemas in protocol/ (run npm run docs:protocol)', () => {
    const committed = readFileSync(new URL('../docs/protocol.md', import.meta.url), 'utf8')
    expect(committed).toBe(protocolDoc())
  })

  it('docs/api.md matches the OpenAPI document of the routes (run npm run docs:api)', async () => {
    const committed = readFileSync(new URL('../docs/api.md', import.meta.url), 'utf8')
    expect(committed).toContain(MARKER)
    expect(committed).toBe(apiDoc(committed, await openApiOfController()))
  })

  it('.env.example and docs/configuration.md name every controller setting', () => {
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8')
    const configDoc = readFileSync(new URL('../docs/configuration.md', import.meta.url), 'utf8')
    for (const key of Object.keys(ConfigSchema.properties)) {
      expect(example).toContain(envName(key))
      expect(configDoc).toContain(envName(key))
    }
    expect(renderHelp()).toContain('CHORUS_HTTP_PORT')
  })
})
