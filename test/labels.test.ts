import { readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  COMMAND_KIND_LABELS,
  type Label,
  NODE_STATE_LABELS,
  PLAY_OUTCOME_LABELS,
  PLAY_REASON_LABELS,
  reasonsText,
} from '../contract/index.js'
import { COMMAND_KINDS, PLAY_FAILURE_REASONS } from '../protocol/index.js'

// The labels the CSV downloads use (contract/labels.ts) and any the web UI's message catalogues
// carry must say the same thing (issue 12: `late` was 迟到 in one and 错过时间 in the other). The
// UI should take them from contract/labels.ts; a catalogue key ending in `.reason.<code>`,
// `.status.<code>`, `.state.<code>` or `.kind.<code>` is held to the same text.
const UI = resolve(import.meta.dirname, '../controller/web/ui/src')
function catalogues(lang: 'zh' | 'en'): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = resolve(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith(`.${lang}.json`)) {
        Object.assign(out, JSON.parse(readFileSync(path, 'utf8')))
      }
    }
  }
  walk(UI)
  return out
}
const ui = { zh: catalogues('zh'), en: catalogues('en') }

/**
 * Catalogue keys that share a table's name but not its meaning: readiness reasons (why a node is
 * not ready for tomorrow) and a command's status are other tables than play reasons and outcomes.
 */
const OTHER_TABLES = ['.ready.reason.', '.cmd.status.']

/** The UI's keys for one table's code: any feature's `<…>.<table>.<code>`. */
function uiKeys(table: string, code: string, lang: 'zh' | 'en'): string[] {
  const suffix = `.${table}.${code}`
  return Object.keys(ui[lang]).filter(
    (k) => k.endsWith(suffix) && !OTHER_TABLES.some((other) => k.includes(other)),
  )
}

const TABLES: [string, Readonly<Record<string, Label>>][] = [
  ['reason', PLAY_REASON_LABELS],
  ['status', PLAY_OUTCOME_LABELS],
  ['state', NODE_STATE_LABELS],
  ['kind', COMMAND_KIND_LABELS],
]

describe('labels shared by the CSV and the UI (contract/labels.ts)', () => {
  it.each(TABLES)('%s: the UI shows what the CSV writes, in both languages', (table, labels) => {
    const differ: string[] = []
    for (const [code, label] of Object.entries(labels)) {
      for (const lang of ['zh', 'en'] as const) {
        for (const key of uiKeys(table, code, lang)) {
          const shown = ui[lang][key]
          if (shown !== label[lang]) differ.push(`${lang} ${key}: CSV ${label[lang]} / UI ${shown}`)
        }
      }
    }
    expect(differ).toEqual([])
  })

  it('labels every failure reason the agent sends and every command kind', () => {
    for (const r of PLAY_FAILURE_REASONS) expect(PLAY_REASON_LABELS[r].zh).not.toBe('')
    expect(Object.keys(COMMAND_KIND_LABELS)).toEqual([...COMMAND_KINDS])
  })

  it('calls a late start one word, 迟到 / late, everywhere', () => {
    expect(PLAY_REASON_LABELS.late).toEqual({ zh: '迟到', en: 'late' })
    // The catalogues were found (a moved folder would make the table test above vacuous).
    expect(Object.keys(ui.zh).length).toBeGreaterThan(100)
    expect(Object.keys(ui.en).length).toBe(Object.keys(ui.zh).length)
    expect(reasonsText({ late: 1, offline: 3, sink: 0 }, 'zh')).toBe('离线×3; 迟到×1')
    expect(reasonsText({ late: 1, offline: 3 }, 'en')).toBe('offline×3; late×1')
  })
})
