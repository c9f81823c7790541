import { readFileSync } from 'node:fs'
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

// The labels the CSV downloads use (contract/labels.ts) and the ones the old web UI still carries
// in its message catalogues must say the same thing (issue 12: `late` was 迟到 in one and 错过时间
// in the other). The new UI imports contract/labels.ts itself.
const I18N = resolve(import.meta.dirname, '../controller/web/src/i18n')
const catalogue = (name: string): Record<string, string> =>
  JSON.parse(readFileSync(resolve(I18N, name), 'utf8'))
const ui = {
  zh: { ...catalogue('zh.json'), ...catalogue('programme.zh.json') },
  en: { ...catalogue('en.json'), ...catalogue('programme.en.json') },
}

/** Where the old UI keeps each table (failure reasons under `reason.`, the rest `report.reason.`). */
function uiKey(table: string, code: string): string {
  if (table === 'reason') {
    return (PLAY_FAILURE_REASONS as readonly string[]).includes(code)
      ? `reason.${code}`
      : `report.reason.${code}`
  }
  return `${table}.${code}`
}

const TABLES: [string, Readonly<Record<string, Label>>][] = [
  ['reason', PLAY_REASON_LABELS],
  ['report.status', PLAY_OUTCOME_LABELS],
  ['state', NODE_STATE_LABELS],
  ['cmd.kind', COMMAND_KIND_LABELS],
]

describe('labels shared by the CSV and the UI (contract/labels.ts)', () => {
  it.each(TABLES)('%s: the UI shows what the CSV writes, in both languages', (table, labels) => {
    const differ: string[] = []
    for (const [code, label] of Object.entries(labels)) {
      for (const lang of ['zh', 'en'] as const) {
        const shown = ui[lang][uiKey(table, code)]
        if (shown !== undefined && shown !== label[lang]) {
          differ.push(`${lang} ${code}: CSV ${label[lang]} / UI ${shown}`)
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
    expect([ui.zh['reason.late'], ui.en['reason.late']]).toEqual(['迟到', 'late'])
    expect(reasonsText({ late: 1, offline: 3, sink: 0 }, 'zh')).toBe('离线×3; 迟到×1')
    expect(reasonsText({ late: 1, offline: 3 }, 'en')).toBe('offline×3; late×1')
  })
})
