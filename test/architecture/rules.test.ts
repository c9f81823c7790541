import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { checkArchitecture, MODULES, RULES, type RuleId } from './rules.js'
import { readTree } from './tree.js'

/** A small tree in the target layout (issue 12): pure folders, modules with index.ts and routes/. */
const CLEAN: Record<string, string> = {
  'protocol/index.ts': `import { Type } from 'typebox'\nexport const Ping = Type.Object({})\n`,
  'schedules/index.ts': `import type { Static } from 'typebox/type'\nexport const day = 1\n`,
  'contract/nodes.ts': `import { Type } from 'typebox'\nimport type { Ping } from '../protocol/index.js'\nexport const NodeSchema = Type.Object({})\n`,
  'controller/main.ts': `import { createFleet } from './fleet/index.js'\nconst port = process.env.PORT\nexport const fleet = [createFleet(), port]\n`,
  'controller/platform/index.ts': `export { createClock, type Clock } from './clock.js'\n`,
  'controller/platform/clock.ts': `export type Clock = ReturnType<typeof createClock>\nexport const createClock = () => ({ setTimeout: (f: () => void, ms: number) => setTimeout(f, ms) })\n`,
  'controller/fleet/index.ts': `export { createFleet } from './monitor.js'\nexport { fleetRoutes } from './routes/index.js'\n`,
  'controller/fleet/monitor.ts': `import { readFileSync } from 'node:fs'\nimport type { Clock } from '../platform/index.js'\nimport { createNodesRepository } from './repositories/nodes-repository.js'\nexport function createFleet(clock?: Clock) {\n  const { setTimeout } = clock!\n  setTimeout(() => readFileSync('x'), 5)\n  return createNodesRepository()\n}\n`,
  'controller/fleet/repositories/nodes-repository.ts': `import type Database from 'better-sqlite3'\nexport const createNodesRepository = (db?: Database.Database) => db\n`,
  'controller/fleet/routes/index.ts': `import type { FastifyInstance } from 'fastify'\nimport { NodeSchema } from '../../../contract/nodes.js'\nexport async function fleetRoutes(app: FastifyInstance & { deps: { monitor: unknown } }) {\n  const { monitor } = app.deps\n  return [monitor, NodeSchema]\n}\n`,
  'controller/programme/index.ts': `import { createFleet } from '../fleet/index.js'\nexport const plan = () => createFleet()\n`,
  'controller/web/ui/src/App.vue': `<template><p>{{ n }}</p></template>\n<script setup lang="ts">\nimport type { Ping } from '../../../../protocol/index.js'\nimport { NodeSchema } from '../../../../contract/nodes.js'\nimport { ref } from 'vue'\nconst n = ref(NodeSchema)\n</script>\n`,
  'speaker-agent/main.ts': `import { day } from '../schedules/index.js'\nexport const x = process.argv[day]\n`,
  'test/fleet.test.ts': `import { createFleet } from '../controller/fleet/monitor.js'\nimport { setTimeout as sleep } from 'node:timers/promises'\nexport const t = [createFleet, sleep, process.env.CI]\n`,
}

/**
 * One injection per case: the files it adds or overwrites, and the one rule it must trip. Several
 * use the forms a regex misses: side-effect imports, `export … from`, `import type`, `import()`,
 * `require()`, `import('x').T`.
 */
const CASES: { name: string; rule: RuleId; files: Record<string, string> }[] = [
  {
    name: 'a service side-effect-imports the agent',
    rule: 'layers',
    files: { 'controller/fleet/boot.ts': `import '../../speaker-agent/main.js'\n` },
  },
  {
    name: 'protocol imports upward',
    rule: 'layers',
    files: { 'protocol/bad.ts': `export type { Clock } from '../controller/platform/index.js'\n` },
  },
  {
    name: 'the agent re-exports a protocol file past index.ts',
    rule: 'public-surface',
    files: { 'speaker-agent/plan.ts': `export type { Ping } from '../protocol/messages.js'\n` },
  },
  {
    name: 'contract reads a file',
    rule: 'pure-imports',
    files: {
      'contract/load.ts': `import { readFileSync } from 'node:fs'\nexport const load = () => readFileSync('x')\n`,
    },
  },
  {
    name: 'schedules reads the clock',
    rule: 'pure-ambient',
    files: { 'schedules/now.ts': `export const now = () => Date.now()\n` },
  },
  {
    name: 'a service reads the environment',
    rule: 'env-at-roots',
    files: { 'controller/fleet/config.ts': `export const port = process.env.PORT\n` },
  },
  {
    name: 'the web UI loads a server module',
    rule: 'web-boundary',
    files: {
      'controller/web/ui/src/load.ts': `export const load = () => import('../../../fleet/index.js')\n`,
    },
  },
  {
    name: 'the web UI imports a protocol value',
    rule: 'web-boundary',
    files: {
      'controller/web/ui/src/ping.ts': `import { Ping } from '../../../../protocol/index.js'\nexport const p = Ping\n`,
    },
  },
  {
    name: 'a module reaches past another’s index.ts',
    rule: 'module-face',
    files: {
      'controller/programme/plan.ts': `import type { createFleet } from '../fleet/monitor.js'\nexport type F = typeof createFleet\n`,
    },
  },
  {
    name: 'a route imports a repository type',
    rule: 'routes-no-db',
    files: {
      'controller/fleet/routes/nodes.ts': `import type { createNodesRepository } from '../repositories/nodes-repository.js'\nexport type R = typeof createNodesRepository\n`,
    },
  },
  {
    name: 'a route requires the database driver',
    rule: 'routes-no-db',
    files: {
      'controller/fleet/routes/raw.ts': `import Database = require('better-sqlite3')\nexport const db = Database\n`,
    },
  },
  {
    name: 'a route destructures deps.repos',
    rule: 'routes-no-repos',
    files: {
      'controller/fleet/routes/list.ts': `export const list = (app: { deps: { repos: { all(): [] } } }) => {\n  const { repos } = app.deps\n  return repos.all()\n}\n`,
    },
  },
  {
    name: 'a service imports mqtt types',
    rule: 'services-no-transport',
    files: {
      'controller/fleet/link.ts': `import type { MqttClient } from 'mqtt'\nexport type L = MqttClient\n`,
    },
  },
  {
    name: 'a service names fastify in a type query',
    rule: 'services-no-transport',
    files: { 'controller/fleet/app.ts': `export type App = import('fastify').FastifyInstance\n` },
  },
  {
    name: 'a service schedules with node-cron',
    rule: 'services-no-transport',
    files: { 'controller/platform/cron.ts': `export { schedule } from 'node-cron'\n` },
  },
  {
    name: 'a service calls the global setInterval',
    rule: 'global-timers',
    files: {
      'controller/fleet/poll.ts': `export const poll = () => setInterval(() => {}, 1000)\n`,
    },
  },
  {
    name: 'a route uses globalThis.setTimeout',
    rule: 'global-timers',
    files: {
      'controller/fleet/routes/wait.ts': `export const wait = () => globalThis.setTimeout(() => {}, 1)\n`,
    },
  },
  {
    name: 'a service imports fs without node:',
    rule: 'node-prefix',
    files: {
      'controller/fleet/read.ts': `import { readFileSync } from 'fs'\nexport const r = readFileSync\n`,
    },
  },
  {
    name: 'the agent requires events without node:',
    rule: 'node-prefix',
    files: {
      'speaker-agent/bus.ts': `const { EventEmitter } = require('events')\nexport const bus = new EventEmitter()\n`,
    },
  },
]

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-arch-'))
  dirs.push(dir)
  return dir
}

describe('architecture rules fire (test/architecture/rules.ts)', () => {
  const fixture = tempDir()
  writeTree(fixture, CLEAN)

  it('pass the clean fixture tree', () => {
    expect(checkArchitecture(readTree(fixture))).toEqual([])
  })

  it('have at least one injected case per rule', () => {
    expect(new Set(CASES.map((c) => c.rule))).toEqual(new Set(Object.keys(RULES)))
  })

  it.each(CASES)('$rule: $name', ({ rule, files }) => {
    const copy = tempDir()
    cpSync(fixture, copy, { recursive: true })
    writeTree(copy, files)
    const fired = checkArchitecture(readTree(copy))
    expect(fired.map((v) => [v.rule, v.file])).toEqual([[rule, Object.keys(files)[0]]])
  })
})

describe('architecture rules on a copy of the real repository', () => {
  const ROOT = resolve(import.meta.dirname, '../..')
  const folders = ['protocol', 'schedules', 'contract', 'speaker-agent', 'controller']

  it('each kind of violation, injected into real files, fires its rule and no other', () => {
    const copy = tempDir()
    for (const f of folders.filter((f) => existsSync(join(ROOT, f)))) {
      cpSync(join(ROOT, f), join(copy, f), {
        recursive: true,
        filter: (src) => !/[/\\](node_modules|dist)$/.test(src),
      })
    }
    const files = readTree(copy, folders).map((f) => f.path)
    const before = new Set(
      checkArchitecture(readTree(copy, folders)).map((v) => `${v.rule} ${v.file}`),
    )
    // Picked by role, not by name, so that the test follows the files when modules move.
    const taken = new Set<string>()
    const pick = (rule: RuleId, re: RegExp): string => {
      const file = files.find(
        (f) =>
          re.test(f) && !f.endsWith('.test.ts') && !taken.has(f) && !before.has(`${rule} ${f}`),
      )
      if (!file) throw new Error(`no file for ${rule} matching ${re}`)
      taken.add(file)
      return file
    }
    const route = /^controller\/(.+\/)?routes\/.+\.ts$/
    const service = new RegExp(
      `^controller/(services|${MODULES.join('|')})/(?!(.+/)?routes/).+\\.ts$`,
    )
    const injections: [RuleId, string, string][] = [
      ['layers', pick('layers', /^protocol\/index\.ts$/), `import '../controller/config.js'\n`],
      [
        'public-surface',
        pick('public-surface', /^speaker-agent\/main\.ts$/),
        `export type { PlanMessage } from '../protocol/messages.js'\n`,
      ],
      ['pure-imports', pick('pure-imports', /^schedules\/index\.ts$/), `export * from 'node:os'\n`],
      [
        'pure-ambient',
        pick('pure-ambient', /^protocol\/topics\.ts$/),
        `export const born = () => Date.now()\n`,
      ],
      [
        'env-at-roots',
        pick('env-at-roots', service),
        `export const home = () => process.env.HOME\n`,
      ],
      [
        'routes-no-db',
        pick('routes-no-db', route),
        `export type { Database as Db } from 'better-sqlite3'\n`,
      ],
      [
        'routes-no-repos',
        pick('routes-no-repos', route),
        `export const r = (a: { deps: { repos: 1 } }) => a.deps.repos\n`,
      ],
      [
        'services-no-transport',
        pick('services-no-transport', service),
        `export type { FastifyReply as Reply } from 'fastify'\n`,
      ],
      [
        'global-timers',
        pick('global-timers', service),
        `export const later = () => setTimeout(() => {}, 1)\n`,
      ],
      ['node-prefix', pick('node-prefix', service), `export { join as joinPath } from 'path'\n`],
    ]
    for (const [, file, line] of injections) writeFileSync(join(copy, file), line, { flag: 'a' })
    const fresh = checkArchitecture(readTree(copy, folders))
      .map((v) => `${v.rule} ${v.file}`)
      .filter((v) => !before.has(v))
    expect(fresh.sort()).toEqual(injections.map(([rule, file]) => `${rule} ${file}`).sort())
  })
})
