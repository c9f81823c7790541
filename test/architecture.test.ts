import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkArchitecture, formatViolation, type RuleId } from './architecture/rules.js'
import { readTree } from './architecture/tree.js'

const ROOT = resolve(import.meta.dirname, '..')

/**
 * Debt: a file that breaks a rule today, tolerated until it is fixed. Emptied when issue 12's
 * modules landed; new files never go here. (test/architecture/rules.test.ts proves each rule
 * fires.)
 */
const DEBT: Partial<Record<RuleId, readonly string[]>> = {}

describe('architecture (STYLE.md section 3, test/architecture/rules.ts)', () => {
  const all = checkArchitecture(readTree(ROOT))
  const owed = (rule: RuleId, file: string, target?: string) =>
    (DEBT[rule] ?? []).some((d) => d === file || d === target)

  it('the repository follows every rule', () => {
    const violations = all.filter((v) => !owed(v.rule, v.file, v.target))
    expect(violations.map(formatViolation)).toEqual([])
  })

  it('every debt entry still breaks its rule (so the list only shrinks)', () => {
    const found = new Set(all.flatMap((v) => [`${v.rule} ${v.file}`, `${v.rule} ${v.target}`]))
    const stale = Object.entries(DEBT).flatMap(([rule, files]) =>
      files.filter((f) => !found.has(`${rule} ${f}`)).map((f) => `${rule} ${f}`),
    )
    expect(stale).toEqual([])
  })
})
