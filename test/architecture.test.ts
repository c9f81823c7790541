import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import { describe, expect, it } from 'vitest'

// STYLE.md section 3: which top-level folder may import which (row imports column).
const ALLOWED: Record<string, string[]> = {
  protocol: [],
  schedules: [],
  audio: [],
  broker: ['protocol'],
  controller: ['protocol', 'schedules', 'audio', 'broker', 'testing'],
  'speaker-agent': ['protocol', 'schedules', 'audio', 'testing'],
  test: [
    'protocol',
    'schedules',
    'audio',
    'broker',
    'controller',
    'speaker-agent',
    'scripts',
    'testing',
  ],
  scripts: ['protocol', 'schedules', 'audio', 'broker', 'controller', 'speaker-agent', 'testing'],
  // Test support shared by the agent's and the controller's tests (the manual clock).
  testing: [],
}
// Shipped code never imports test support: only tests and `testing/` folders may.
const isTestSupport = (rel: string) => /\.test\.ts$/.test(rel) || rel.split(sep).includes('testing')
// Folders whose public surface is index.ts: other folders import only that file.
const INDEXED = ['protocol', 'schedules', 'audio', 'broker']
const ROOT = resolve(import.meta.dirname, '..')
const IMPORT_RE = /(?:from\s+|import\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g

function tsFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue
    const full = join(dir, name)
    if (statSync(full).isDirectory()) out.push(...tsFiles(full))
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts')) out.push(full)
  }
  return out
}

describe('architecture (STYLE.md section 3)', () => {
  const violations: string[] = []
  for (const folder of Object.keys(ALLOWED)) {
    for (const file of tsFiles(join(ROOT, folder))) {
      const src = readFileSync(file, 'utf8')
      const inWeb = relative(ROOT, file).startsWith(`controller${sep}web`)
      for (const m of src.matchAll(IMPORT_RE)) {
        const target = relative(ROOT, resolve(join(file, '..'), m[1]!))
        const to = target.split(sep)[0]!
        if (to === folder) continue
        const where = `${relative(ROOT, file)} imports ${m[1]}`
        if (
          inWeb &&
          !/^\s*import type/m.test(src.slice(Math.max(0, m.index! - 200), m.index! + 1))
        ) {
          violations.push(`${where} (web/ may only import types)`)
        }
        if (to === 'testing' && ['controller', 'speaker-agent'].includes(folder)) {
          if (!isTestSupport(relative(ROOT, file)))
            violations.push(`${where} (only tests import testing/)`)
        }
        if (!ALLOWED[folder]!.includes(to))
          violations.push(`${where} (${folder} → ${to} forbidden)`)
        else if (INDEXED.includes(to) && target !== join(to, 'index.js')) {
          violations.push(`${where} (import ${to}/index.js, its public surface)`)
        }
      }
    }
  }

  it('every import between top-level folders follows the table', () => {
    expect(violations).toEqual([])
  })

  it('protocol/ and schedules/ do no I/O and read no clock or environment', () => {
    const bad: string[] = []
    for (const folder of ['protocol', 'schedules']) {
      for (const file of tsFiles(join(ROOT, folder))) {
        if (file.endsWith('.test.ts')) continue
        const src = readFileSync(file, 'utf8')
        if (/node:(fs|net|http|child_process)|process\.env|Date\.now\(\)/.test(src)) {
          bad.push(relative(ROOT, file))
        }
      }
    }
    expect(bad).toEqual([])
  })

  it('only the composition roots read process.env or process.argv', () => {
    const bad: string[] = []
    for (const folder of ['controller', 'speaker-agent', 'broker', 'audio']) {
      for (const file of tsFiles(join(ROOT, folder))) {
        if (file.endsWith('.test.ts') || file.endsWith('main.ts') || file.endsWith('fleet.ts'))
          continue
        const src = readFileSync(file, 'utf8')
        if (/process\.(env|argv)/.test(src) && !/ffmpeg-path\.ts$/.test(file))
          bad.push(relative(ROOT, file))
      }
    }
    expect(bad).toEqual([])
  })

  it('controller services arm timers on the injected clock, never the global timers', () => {
    // controller/platform/time.ts is the system clock itself; main.ts is the composition root.
    const allowed = ['controller/platform/time.ts', 'controller/main.ts']
    const bad: string[] = []
    for (const file of tsFiles(join(ROOT, 'controller'))) {
      const rel = relative(ROOT, file).split(sep).join('/')
      if (rel.endsWith('.test.ts') || rel.startsWith('controller/web/') || allowed.includes(rel))
        continue
      const src = readFileSync(file, 'utf8')
      // A bare call (not a method of an injected timer, not a method signature `setTimeout(fn: …)`).
      if (/(?<![.\w])(setTimeout|setInterval)\s*\((?!\s*\w+\s*:)|from 'node:timers/.test(src))
        bad.push(rel)
    }
    expect(bad).toEqual([])
  })
})
