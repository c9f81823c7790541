import { describe, expect, it } from 'vitest'
import en from '../../controller/web/src/i18n/en.json' with { type: 'json' }
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
})
