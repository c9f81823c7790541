import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import { describe, expect, it } from 'vitest'

// STYLE.md section 3: which top-level folder may import which (row imports column).
// `contract/` is the HTTP contract (TypeBox schemas, labels, report columns): pure, shared by the
// server and the web UI, which may import its values (not only its types).
const ALLOWED: Record<string, string[]> = {
  protocol: [],
  schedules: [],
  audio: [],
  contract: ['protocol', 'schedules'],
  broker: ['protocol'],
  controller: ['protocol', 'schedules', 'audio', 'broker', 'contract'],
  'speaker-agent': ['protocol', 'schedules', 'audio'],
  test: [
    'protocol',
    'schedules',
    'audio',
    'broker',
    'controller',
    'speaker-agent',
    'scripts',
    'contract',
  ],
  scripts: ['protocol', 'schedules', 'audio', 'broker', 'controller', 'speaker-agent', 'contract'],
}
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
          to !== 'contract' &&
          !/^\s*import type/m.test(src.slice(Math.max(0, m.index! - 200), m.index! + 1))
        ) {
          violations.push(`${where} (web/ may only import types)`)
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

  it('protocol/, schedules/ and contract/ do no I/O and read no clock or environment', () => {
    const bad: string[] = []
    for (const folder of ['protocol', 'schedules', 'contract']) {
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

  it('contract/ imports no package but typebox (the web UI bundles it)', () => {
    const bad: string[] = []
    for (const file of tsFiles(join(ROOT, 'contract'))) {
      if (file.endsWith('.test.ts')) continue
      const src = readFileSync(file, 'utf8')
      for (const m of src.matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'".][^'"]*)['"]/g)) {
        if (!/^typebox(\/|$)/.test(m[1]!)) bad.push(`${relative(ROOT, file)} imports ${m[1]}`)
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
})
