import { describe, expect, it } from 'vitest'
import accessEn from '../../controller/web/src/i18n/access.en.json' with { type: 'json' }
import accessZh from '../../controller/web/src/i18n/access.zh.json' with { type: 'json' }
import en from '../../controller/web/src/i18n/en.json' with { type: 'json' }
import programmeEn from '../../controller/web/src/i18n/programme.en.json' with { type: 'json' }
import programmeZh from '../../controller/web/src/i18n/programme.zh.json' with { type: 'json' }
import zh from '../../controller/web/src/i18n/zh.json' with { type: 'json' }
import { PLAY_FAILURE_REASONS } from '../../protocol/index.js'

// The web UI imports nothing from the server, so this checks that it keeps up with protocol/.
describe('web UI translations', () => {
  it('name every play failure reason of the protocol, in both languages', () => {
    for (const reason of PLAY_FAILURE_REASONS) {
      expect(zh, reason).toHaveProperty([`reason.${reason}`])
      expect(en, reason).toHaveProperty([`reason.${reason}`])
    }
  })

  it('have the same keys in Chinese and English, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort())
    for (const [key, text] of [...Object.entries(zh), ...Object.entries(en)]) {
      expect(text.trim(), key).not.toBe('')
    }
  })

  it('keep each feature file in step with its pair, and no key in two files', () => {
    expect(Object.keys(programmeEn).sort()).toEqual(Object.keys(programmeZh).sort())
    for (const [key, text] of [...Object.entries(programmeZh), ...Object.entries(programmeEn)]) {
      expect(text.trim(), key).not.toBe('')
    }
    const shared = Object.keys(programmeZh).filter((k) => k in zh)
    expect(shared).toEqual([])
  })

  it("keep the access pages' file (login, accounts, installers) in step, apart from the others", () => {
    expect(Object.keys(accessEn).sort()).toEqual(Object.keys(accessZh).sort())
    for (const [key, text] of [...Object.entries(accessZh), ...Object.entries(accessEn)]) {
      expect(text.trim(), key).not.toBe('')
    }
    const shared = Object.keys(accessZh).filter((k) => k in zh || k in programmeZh)
    expect(shared).toEqual([])
  })

  it('fill in English only {placeholders} the Chinese text has (so the code passes them)', () => {
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    const pairs: [Record<string, string>, Record<string, string>][] = [
      [zh, en],
      [programmeZh, programmeEn],
      [accessZh, accessEn],
    ]
    for (const [z, e] of pairs) {
      for (const [key, text] of Object.entries(z))
        expect(names(text), key).toEqual(expect.arrayContaining(names(e[key] ?? '')))
    }
  })
})
