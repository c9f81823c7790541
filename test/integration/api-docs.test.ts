import { describe, expect, it } from 'vitest'
import { ROUTE_DOCS } from '../../contract/index.js'
import { tokenHeaders } from '../helpers/auth.js'
import { startController, type TestController } from '../helpers/controller.js'

interface Operation {
  tags?: string[]
  summary?: string
  security?: Record<string, string[]>[]
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>
}
interface OpenApi {
  openapi: string
  paths: Record<string, Record<string, Operation>>
  components: { securitySchemes: Record<string, unknown> }
}

/** Routes deliberately not in the document: the web UI's files and the docs themselves. */
const UNDOCUMENTED = (key: string) =>
  key === 'GET /*' || key.startsWith('GET /next') || key.startsWith('GET /api/docs')

/** Every registered route but HEAD twins, as `METHOD /pattern`. */
function routeKeys(ctl: TestController): string[] {
  const app = ctl.controller.http()
  if (!app) throw new Error('controller not started')
  const keys = app.accessTable.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`)
  return [...new Set(keys)]
}

/** fastify's `/api/nodes/:id` as OpenAPI's `/api/nodes/{id}`. */
const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')

describe('OpenAPI document (/api/docs)', () => {
  it('describes every registered route with its summary, tag, security and response schema', async () => {
    const ctl = await startController()
    const r = await ctl.api<OpenApi>('GET', '/api/docs/openapi.json')
    expect(r.status).toBe(200)
    const doc = r.body
    expect(doc.openapi).toMatch(/^3\./)
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(
      ['bearer', 'hookSecret', 'node', 'session'].sort(),
    )
    const problems: string[] = []
    const keys = routeKeys(ctl).filter((k) => !UNDOCUMENTED(k))
    expect(keys.length).toBeGreaterThan(80)
    for (const key of keys) {
      const [method, url] = key.split(' ') as [string, string]
      const op = doc.paths[openApiPath(url)]?.[method.toLowerCase()]
      if (!op) {
        problems.push(`${key}: missing`)
        continue
      }
      if (!ROUTE_DOCS[key] || !op.summary || op.tags?.length !== 1) problems.push(`${key}: summary`)
      const ok = Object.entries(op.responses ?? {}).filter(([code]) => /^(2\d\d|101)$/.test(code))
      // A success answer with a schema; 204 answers carry none by definition, nor does a
      // WebSocket's 101 (its messages are described in its summary's contract schemas).
      const described = ok.some(
        ([code, res]) => code === '204' || code === '101' || res.content !== undefined,
      )
      if (!described) problems.push(`${key}: no success response schema`)
      if (!op.responses?.['4XX']) problems.push(`${key}: no error schema`)
    }
    expect(problems).toEqual([])
    // No summary for a route that does not exist.
    const stale = Object.keys(ROUTE_DOCS).filter((k) => !routeKeys(ctl).includes(k))
    expect(stale).toEqual([])
    // Public routes need no credentials; the others name the session cookie and bearer tokens.
    expect(doc.paths['/api/time']?.get?.security).toEqual([])
    expect(doc.paths['/api/nodes']?.get?.security).toEqual([{ session: [] }, { bearer: [] }])
    expect(doc.paths['/api/audio/files/{sha256}']?.get?.security).toContainEqual({ node: [] })
  })

  it('is for logged-in users only, and its page loads nothing from another origin', async () => {
    const ctl = await startController()
    for (const path of ['/api/docs/openapi.json', '/api/docs', '/api/docs/static/index.css']) {
      expect((await ctl.apiWith({}, 'GET', path)).status, path).toBe(401)
    }
    // Any role will do: an installer reads the docs too.
    const installer = await tokenHeaders(ctl, ['installer'])
    expect((await ctl.apiWith(installer, 'GET', '/api/docs/openapi.json')).status).toBe(200)

    const page = await fetch(`${ctl.url}/api/docs/`, { headers: installer })
    expect(page.status).toBe(200)
    const html = await page.text()
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)
    expect(refs.length).toBeGreaterThan(3)
    expect(refs.filter((u) => /^(https?:)?\/\//.test(u))).toEqual([])
    // Every asset the page names is served here, from node_modules.
    for (const ref of refs) {
      const res = await fetch(new URL(ref, `${ctl.url}/api/docs/`), { headers: installer })
      expect(res.status, ref).toBe(200)
      const body = await res.text()
      if (ref.endsWith('swagger-initializer.js')) {
        // The document comes from here, and no validator badge is fetched from swagger.io.
        expect(body).toContain("url: resolveUrl('./json')")
        expect(body).toContain('validatorUrl: null')
      }
    }
  })
})
