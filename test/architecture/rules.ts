import { builtinModules } from 'node:module'
import { posix } from 'node:path'
import { type FileFacts, factsOf, type ImportRef } from './facts.js'

/**
 * The architecture rules (STYLE.md section 3, issue 12 item 5) as a pure function: files in,
 * violations out. It reads imports with the TypeScript compiler, so `import type`, `export … from`,
 * `import()`, `require()`, `import('x').T` and side-effect imports all count. Paths are POSIX and
 * relative to the repository root; run it on any tree (tree.ts reads one from disk).
 */
export interface SourceText {
  path: string
  source: string
}

export const RULES = {
  layers: 'a top-level folder imports only the folders its row allows (nothing imports upward)',
  'public-surface': 'protocol/, schedules/, audio/ and broker/ are imported only through index.ts',
  'pure-imports': 'protocol/, schedules/ and contract/ import no package but typebox (and data)',
  'pure-ambient': 'protocol/, schedules/ and contract/ read no clock and no environment',
  'env-at-roots': 'only the composition roots read process.env or process.argv',
  'web-boundary': 'the web UI imports no server file but contract/ and the types of protocol/',
  'module-face': 'a controller module imports another module only through its index.ts',
  'routes-no-db': 'files under routes/ import no repository, no db/ and no better-sqlite3',
  'routes-no-repos': 'files under routes/ never reach repositories through deps.repos',
  'services-no-transport':
    'module services import no fastify, mqtt, aedes or node-cron (types too)',
  'global-timers': "only platform/'s clock calls the global setTimeout/setInterval in controller/",
  'node-prefix': "node built-ins are imported as 'node:x'",
} as const

export type RuleId = keyof typeof RULES

export interface Violation {
  rule: RuleId
  file: string
  line: number
  detail: string
  /** module-face: the module reached into (`controller/fleet/`), which a debt entry may name. */
  target?: string
}

export interface RuleOptions {
  /**
   * Files a rule tolerates for now (for module-face also a module folder, `controller/fleet/`,
   * whose insides others may still reach): a debt list, to be emptied, never a place for new code.
   */
  allow?: Partial<Record<RuleId, readonly string[]>>
}

/** Which top-level folder may import which (row imports column). */
export const LAYERS: Record<string, readonly string[]> = {
  protocol: [],
  schedules: [],
  // audio's own tests drive its sinks on the manual clock (testing/ imports nothing).
  audio: ['testing'],
  contract: ['protocol', 'schedules'],
  broker: ['protocol'],
  // Test support (the manual clock): imports nothing; shipped code reaches it only from tests.
  testing: [],
  controller: ['protocol', 'schedules', 'audio', 'broker', 'contract', 'testing'],
  'speaker-agent': ['protocol', 'schedules', 'audio', 'testing'],
  test: [
    'testing',
    'protocol',
    'schedules',
    'audio',
    'broker',
    'controller',
    'speaker-agent',
    'scripts',
    'contract',
  ],
  scripts: [
    'protocol',
    'schedules',
    'audio',
    'broker',
    'controller',
    'speaker-agent',
    'contract',
    'testing',
  ],
}
const INDEXED = new Set(['protocol', 'schedules', 'audio', 'broker'])
/** Packages a pure folder may import (the name or a subpath of it). */
const PURE_PACKAGES: Record<string, readonly string[]> = {
  protocol: ['typebox'],
  schedules: ['typebox', 'chinese-days'],
  contract: ['typebox'],
}
/** The controller's domain modules, each with `index.ts` as its public face. */
export const MODULES = [
  'fleet',
  'programme',
  'provisioning',
  'accounts',
  'reports',
  'ingest',
  'platform',
]
const ROOTS = new Set([
  'controller/main.ts',
  'speaker-agent/main.ts',
  'speaker-agent/fleet.ts',
  'audio/ffmpeg-path.ts',
])
const TRANSPORT = /^(fastify|fastify-plugin|@fastify\/.+|mqtt|mqtt\/.+|aedes|aedes-.+|node-cron)$/
const BUILTINS = new Set(builtinModules)

interface Ctx {
  path: string
  top: string
  facts: FileFacts
  test: boolean
  web: boolean
  report(rule: RuleId, line: number, detail: string, target?: string): void
}

/** Where an import points: a repository path (`controller/db/database.js`) or a package name. */
function target(from: string, spec: string): { path: string; top: string } | { pkg: string } {
  if (!spec.startsWith('.')) return { pkg: spec }
  const path = posix.normalize(posix.join(posix.dirname(from), spec))
  return { path, top: path.startsWith('../') ? '..' : path.split('/')[0]! }
}

const segments = (p: string) => p.split('/')
const moduleOf = (p: string) => {
  const [c, m] = segments(p)
  return c === 'controller' && m && MODULES.includes(m) ? m : null
}
const inRoutes = (p: string) => p.startsWith('controller/') && segments(p).includes('routes')
const isService = (p: string) =>
  (p.startsWith('controller/services/') || moduleOf(p) !== null) && !inRoutes(p)
const isTimerHome = (p: string) =>
  /^controller\/platform\/(clock[^/]*|time)\.ts$|^controller\/platform\/clock\//.test(p)
const describe = (i: ImportRef) => `${i.typeOnly ? 'type ' : ''}${i.kind} '${i.specifier}'`

function checkImport(c: Ctx, i: ImportRef): void {
  const t = target(c.path, i.specifier)
  const what = describe(i)
  if ('pkg' in t) {
    const name = t.pkg
    if (BUILTINS.has(name) && !name.startsWith('node:')) {
      c.report('node-prefix', i.line, `${what}: write 'node:${name}'`)
    }
    const pure = PURE_PACKAGES[c.top]
    if (pure && !c.test && !pure.some((p) => name === p || name.startsWith(`${p}/`))) {
      c.report('pure-imports', i.line, `${what}: ${c.top}/ is pure`)
    }
    if (isService(c.path) && !c.test && TRANSPORT.test(name)) {
      c.report('services-no-transport', i.line, `${what}: transport belongs in routes/ or mqtt/`)
    }
    if (inRoutes(c.path) && !c.test && name === 'better-sqlite3') {
      c.report('routes-no-db', i.line, `${what}: routes go through services`)
    }
    return
  }
  if (c.web) {
    if (!t.path.startsWith('controller/web/')) {
      const ok = t.top === 'contract' || (t.top === 'protocol' && i.typeOnly)
      if (!ok) c.report('web-boundary', i.line, `${what} → ${t.path}`)
    }
  } else if (t.top !== c.top && LAYERS[c.top] && !LAYERS[c.top]!.includes(t.top)) {
    c.report('layers', i.line, `${what}: ${c.top} → ${t.top} forbidden`)
  }
  if (t.top !== c.top && INDEXED.has(t.top) && t.path !== `${t.top}/index.js`) {
    c.report('public-surface', i.line, `${what}: import ${t.top}/index.js`)
  }
  const from = moduleOf(c.path)
  const to = moduleOf(t.path)
  if (from && to && from !== to && !c.test && t.path !== `controller/${to}/index.js`) {
    const face = `controller/${to}/`
    c.report('module-face', i.line, `${what}: import ${face}index.js`, face)
  }
  if (inRoutes(c.path) && !c.test) {
    const parts = segments(t.path)
    const base = parts.at(-1) ?? ''
    if (parts.includes('db') || parts.includes('repositories') || /repositor(y|ies)/.test(base)) {
      c.report('routes-no-db', i.line, `${what}: routes go through services`)
    }
  }
}

function checkUses(c: Ctx): void {
  if (c.test) return
  for (const u of c.facts.uses) {
    if (u.kind === 'repos' && inRoutes(c.path)) {
      c.report('routes-no-repos', u.line, `${u.text}: ask a service`)
    } else if (
      u.kind === 'global-timer' &&
      c.top === 'controller' &&
      !c.web &&
      !isTimerHome(c.path)
    ) {
      c.report('global-timers', u.line, `${u.text}: use the injected clock`)
    } else if (u.kind === 'process.env' || u.kind === 'process.argv' || u.kind === 'Date.now') {
      if (PURE_PACKAGES[c.top]) c.report('pure-ambient', u.line, u.text)
      else if (u.kind !== 'Date.now' && !c.web && !ROOTS.has(c.path) && LAYERS[c.top]) {
        if (['controller', 'speaker-agent', 'broker', 'audio'].includes(c.top)) {
          c.report('env-at-roots', u.line, `${u.text}: pass it in from main.ts`)
        }
      }
    }
  }
}

/** Every violation in the given files, in file order; allowed (file, rule) pairs are dropped. */
export function checkArchitecture(
  files: readonly SourceText[],
  options: RuleOptions = {},
): Violation[] {
  const out: Violation[] = []
  for (const f of files) {
    const ctx: Ctx = {
      path: f.path,
      top: segments(f.path)[0]!,
      facts: factsOf(f.path, f.source),
      test: /\.test\.ts$/.test(f.path),
      web: f.path.startsWith('controller/web/'),
      report(rule, line, detail, target) {
        const allowed = options.allow?.[rule] ?? []
        if (allowed.includes(f.path) || (target && allowed.includes(target))) return
        out.push({ rule, file: f.path, line, detail, ...(target ? { target } : {}) })
      },
    }
    for (const i of ctx.facts.imports) checkImport(ctx, i)
    checkUses(ctx)
  }
  return out
}

/** One line per violation, for a readable test failure. */
export const formatViolation = (v: Violation) =>
  `${v.file}:${v.line} [${v.rule}] ${v.detail} (${RULES[v.rule]})`
