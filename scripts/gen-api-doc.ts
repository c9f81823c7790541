/**
 * Renders the reference part of docs/api.md from the OpenAPI document the controller builds
 * from its route schemas (contract/): one section per part of the API, each route with its
 * summary, who may call it, and its request and response fields. The hand-written guide above
 * the marker is kept. `npm run docs:api` rewrites the file; test/docs.test.ts fails when the
 * committed file differs from what this renders.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pino from 'pino'
import { loadConfig } from '../controller/config.js'
import { createController } from '../controller/controller.js'

/** The line after which docs/api.md is generated. */
export const MARKER =
  '<!-- Generated from the OpenAPI document by `npm run docs:api`: do not edit below. -->'

interface Schema {
  type?: string | string[]
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  anyOf?: Schema[]
  enum?: unknown[]
  const?: unknown
  description?: string
  additionalProperties?: Schema | boolean
  format?: string
  pattern?: string
  minimum?: number
  maximum?: number
  nullable?: boolean
}
interface Parameter {
  in: string
  name: string
  required?: boolean
  description?: string
  schema?: Schema
}
interface Operation {
  tags?: string[]
  summary?: string
  description?: string
  parameters?: Parameter[]
  requestBody?: { content?: Record<string, { schema?: Schema }> }
  responses?: Record<
    string,
    { description?: string; content?: Record<string, { schema?: Schema }> }
  >
}
/** The parts of an OpenAPI 3 document this renders. */
export interface OpenApiDoc {
  info: { title: string; version: string; description?: string }
  tags?: { name: string; description?: string }[]
  paths: Record<string, Record<string, Operation>>
}

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ')

/** A schema's type in a few words: `string`, `integer 0–100`, `'a' \| 'b'`, `Node[]`, … */
export function typeText(s: Schema | undefined): string {
  if (!s) return 'any'
  if (s.const !== undefined) return JSON.stringify(s.const)
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ')
  if (s.anyOf) return [...new Set(s.anyOf.map(typeText))].join(' | ')
  const t = [s.type ?? 'any'].flat().join(' | ')
  if (t === 'array') return `${typeText(s.items)}[]`
  if (t === 'object' && !s.properties) return 'object'
  const range =
    s.minimum !== undefined || s.maximum !== undefined
      ? ` ${s.minimum ?? ''}–${s.maximum ?? ''}`
      : ''
  const nullable = s.nullable ? ' | null' : ''
  return `${t}${range}${s.format ? ` (${s.format})` : ''}${nullable}`
}

/** The fields of an object (or of an array's items), one level deep. */
function fields(
  s: Schema | undefined,
): { name: string; type: string; req: boolean; desc: string }[] {
  if (!s) return []
  if (s.type === 'array') return fields(s.items)
  if (s.anyOf) return s.anyOf.flatMap(fields)
  return Object.entries(s.properties ?? {}).map(([name, p]) => ({
    name,
    type: typeText(p),
    req: (s.required ?? []).includes(name),
    desc: p.description ?? '',
  }))
}

function fieldTable(title: string, rows: ReturnType<typeof fields>): string[] {
  if (rows.length === 0) return []
  const out = [`${title}:`, '', '| field | type | required | notes |', '|---|---|---|---|']
  for (const r of rows) {
    out.push(`| \`${r.name}\` | ${cell(r.type)} | ${r.req ? 'yes' : ''} | ${cell(r.desc)} |`)
  }
  return [...out, '']
}

function operationText(method: string, path: string, op: Operation): string[] {
  const out = [`### \`${method.toUpperCase()} ${path}\``, '', `${op.summary ?? ''}`, '']
  if (op.description) out.push(op.description, '')
  const params = (op.parameters ?? []).map((p) => ({
    name: p.name,
    type: `${typeText(p.schema)} (${p.in})`,
    req: p.required === true,
    desc: p.description ?? '',
  }))
  out.push(...fieldTable('Parameters', params))
  const body = Object.values(op.requestBody?.content ?? {})[0]?.schema
  out.push(...fieldTable(`Body (${typeText(body)})`, fields(body)))
  for (const [code, res] of Object.entries(op.responses ?? {})) {
    if (!/^2/.test(code)) continue
    const schema = Object.values(res.content ?? {})[0]?.schema
    if (!schema) {
      out.push(`Answer ${code}: no content.`, '')
      continue
    }
    const rows = fields(schema)
    if (rows.length === 0) out.push(`Answer ${code}: ${cell(typeText(schema))}.`, '')
    else out.push(...fieldTable(`Answer ${code} (${cell(typeText(schema))})`, rows))
  }
  return out
}

/** The generated reference, from an OpenAPI document. */
export function apiReference(doc: OpenApiDoc): string {
  const out = [
    MARKER,
    '',
    '# Reference: every route',
    '',
    `Generated from the OpenAPI document (contract version ${doc.info.version}), which a logged-in`,
    'user can also read at `/api/docs` (browsable) and `/api/docs/openapi.json`. Every route',
    'answers errors as `{ code, message, details? }`; "Who" names the roles the access policy',
    'admits (admin is admitted everywhere).',
    '',
  ]
  for (const tag of doc.tags ?? []) {
    out.push(`## ${tag.name}`, '', tag.description ?? '', '')
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (op.tags?.[0] === tag.name) out.push(...operationText(method, path, op))
      }
    }
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`
}

/** docs/api.md as it should be: the guide above the marker, then the reference. */
export function apiDoc(current: string, doc: OpenApiDoc): string {
  const at = current.indexOf(MARKER)
  const guide = at === -1 ? `${current.trimEnd()}\n\n` : current.slice(0, at)
  return `${guide}${apiReference(doc)}`
}

/** The OpenAPI document of a real controller started on a scratch data folder. */
export async function openApiOfController(): Promise<OpenApiDoc> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chorus-api-doc-'))
  const config = loadConfig(
    ['--http-port', '0', '--mqtt-port', '0', '--mqtt-host', '127.0.0.1', '--data-dir', dataDir],
    {},
  )
  if ('help' in config) throw new Error('unexpected --help')
  const controller = createController({ config, log: pino({ level: 'silent' }) })
  try {
    await controller.start()
    const app = controller.http()
    if (!app) throw new Error('controller started without HTTP')
    return app.swagger() as unknown as OpenApiDoc
  } finally {
    await controller.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = new URL('../docs/api.md', import.meta.url)
  const next = apiDoc(readFileSync(target, 'utf8'), await openApiOfController())
  writeFileSync(target, next)
  console.log(`wrote ${fileURLToPath(target)}`)
}
