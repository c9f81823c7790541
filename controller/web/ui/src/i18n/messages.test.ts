import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createAppI18n, FEATURES, LANGS, type Lang, messagesOf, readLang } from './index'

// The messages: both languages complete, no key in two features, every literal key used in the
// sources present, and every message rendering as written (vue-i18n's syntax: `@`, `|`, `{}`).

const SRC = join(import.meta.dirname, '..')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return sources(path)
    return /\.(ts|vue)$/.test(e.name) && !e.name.endsWith('.test.ts') ? [path] : []
  })
}

describe('web UI messages', () => {
  it('has every key in both languages, and no key in two features', () => {
    const seen = new Map<string, string>()
    for (const [feature, dicts] of Object.entries(FEATURES)) {
      expect(Object.keys(dicts.en).sort(), feature).toEqual(Object.keys(dicts['zh-CN']).sort())
      for (const key of Object.keys(dicts['zh-CN'])) {
        expect(seen.get(key), `${key} in ${feature} and ${seen.get(key)}`).toBeUndefined()
        seen.set(key, feature)
      }
    }
  })

  it('has every literal key the sources ask for', () => {
    const zh = messagesOf('zh-CN')
    const missing: string[] = []
    for (const file of sources(SRC)) {
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/\bt\(\s*'([A-Za-z][\w.-]*)'/g)) {
        if (!((m[1] as string) in zh)) missing.push(`${file.slice(SRC.length)}: ${m[1]}`)
      }
      // A computed key (t(`conn.${state}`)): at least its prefix must exist.
      for (const m of text.matchAll(/\bt\(\s*`([A-Za-z][\w.-]*\.)\$\{/g)) {
        const prefix = m[1] as string
        if (!Object.keys(zh).some((k) => k.startsWith(prefix))) {
          missing.push(`${file.slice(SRC.length)}: ${prefix}*`)
        }
      }
      for (const m of text.matchAll(/titleKey: '([\w.-]+)'/g)) {
        if (!((m[1] as string) in zh)) missing.push(`${file.slice(SRC.length)}: ${m[1]}`)
      }
    }
    expect(missing).toEqual([])
  })

  it('renders every message as written, with its variables', () => {
    const i18n = createAppI18n(null)
    for (const lang of LANGS) {
      i18n.global.locale.value = lang as Lang
      for (const [key, raw] of Object.entries(messagesOf(lang))) {
        const vars: Record<string, string> = {}
        for (const m of raw.matchAll(/\{(\w+)\}/g)) vars[m[1] as string] = `<${m[1]}>`
        const expected = raw.replace(/\{'(.)'\}/g, '$1').replace(/\{(\w+)\}/g, '<$1>')
        expect(i18n.global.t(key, vars), `${lang} ${key}`).toBe(expected)
      }
    }
  })

  it('starts in Chinese unless English was chosen (stored as zh / en)', () => {
    const storage = (v: string | null) => ({ getItem: () => v })
    expect(readLang(null)).toBe('zh-CN')
    expect(readLang(storage('zh'))).toBe('zh-CN')
    expect(readLang(storage('en'))).toBe('en')
    expect(readLang(storage('fr'))).toBe('zh-CN')
  })
})
