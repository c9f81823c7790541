import { readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AUDIT_ACTIONS } from '../contract/index.js'
import { ACCESS_POLICY } from '../controller/http/access-policy.js'

// The audit log's actions are one list (contract/audit-actions.ts). An action recorded but not
// listed shows in the admin's audit page as a raw code and cannot be picked in its filter; an
// action missing from docs/security.md is one an auditor does not know to look for.
const ROOT = resolve(import.meta.dirname, '..')
const listed = new Set<string>(AUDIT_ACTIONS)

function files(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = resolve(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') out.push(...files(path, keep))
    } else if (keep(entry.name)) out.push(path)
  }
  return out
}

describe('audit actions', () => {
  it('the access policy names only listed actions', () => {
    const named = Object.values(ACCESS_POLICY)
      .map((rule) => rule.audit)
      .filter((a): a is string => a !== undefined && a !== 'service')
    expect(named.length).toBeGreaterThan(30)
    expect(named.filter((a) => !listed.has(a))).toEqual([])
  })

  it('the services record only listed actions, and no action is built from a variable', () => {
    const sources = files(
      resolve(ROOT, 'controller'),
      (n) => n.endsWith('.ts') && !n.endsWith('.test.ts'),
    )
    const recorded: string[] = []
    const built: string[] = []
    for (const file of sources) {
      const text = readFileSync(file, 'utf8')
      if (!text.includes('audit')) continue
      for (const m of text.matchAll(/\baction: '([a-zA-Z]+\.[a-zA-Z.]+)'/g))
        recorded.push(m[1] as string)
      for (const m of text.matchAll(/\baction: `[^`]*\$\{/g)) built.push(`${file}: ${m[0]}`)
    }
    expect(recorded).toContain('auth.lockout')
    expect(recorded).toContain('live.ended')
    expect(recorded.filter((a) => !listed.has(a))).toEqual([])
    expect(built).toEqual([])
  })

  it('the web UI has words for every action in Chinese and English', () => {
    for (const lang of ['zh', 'en']) {
      const path = resolve(ROOT, `controller/web/ui/src/admin/messages.${lang}.json`)
      const messages = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>
      const missing = AUDIT_ACTIONS.filter((a) => !messages[`auditAction.${a}`])
      expect({ lang, missing }).toEqual({ lang, missing: [] })
    }
  })

  it('docs/security.md lists every action', () => {
    const doc = readFileSync(resolve(ROOT, 'docs/security.md'), 'utf8')
    const section = doc.slice(doc.indexOf('#### Audit actions'))
    expect(AUDIT_ACTIONS.filter((a) => !section.includes(`\`${a}\``))).toEqual([])
  })
})
