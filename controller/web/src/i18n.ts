import accessEn from './i18n/access.en.json' with { type: 'json' }
import accessZh from './i18n/access.zh.json' with { type: 'json' }
import en from './i18n/en.json' with { type: 'json' }
import programmeEn from './i18n/programme.en.json' with { type: 'json' }
import programmeZh from './i18n/programme.zh.json' with { type: 'json' }
import zh from './i18n/zh.json' with { type: 'json' }

// Each feature may keep its messages in its own pair of files (`<feature>.zh.json` and
// `<feature>.en.json`); they are merged here. Keys must not repeat across files.
const ZH = { ...zh, ...programmeZh, ...accessZh }

/** A message key; the zh files are the reference, and the en files must have every key. */
export type MessageKey = keyof typeof ZH

/** Languages of the UI; Chinese first. */
export type Lang = 'zh' | 'en'

type Messages = Record<MessageKey, string>

const MESSAGES: Record<Lang, Messages> = {
  zh: ZH,
  en: { ...en, ...programmeEn, ...accessEn } satisfies Messages,
}

/** The `lang` attribute and Intl locale of each language. */
export const LOCALE: Record<Lang, string> = { zh: 'zh-CN', en: 'en' }

const STORAGE_KEY = 'chorus.lang'

/** Where the choice is remembered: `localStorage` in the browser. */
export interface LangStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

/** Translation: the current language, `t()`, and a switch remembered in localStorage. */
export interface I18n {
  lang(): Lang
  locale(): string
  t(key: MessageKey, vars?: Record<string, string | number>): string
  setLang(lang: Lang): void
  onChange(fn: () => void): void
}

/** Creates the translator; the language comes from storage, else Chinese. */
export function createI18n(storage: LangStorage | null): I18n {
  let current: Lang = readLang(storage)
  const listeners: (() => void)[] = []
  return {
    lang: () => current,
    locale: () => LOCALE[current],
    t(key, vars) {
      const text = MESSAGES[current][key] ?? key
      if (!vars) return text
      return text.replace(/\{(\w+)\}/g, (m, name: string) =>
        name in vars ? String(vars[name]) : m,
      )
    },
    setLang(lang) {
      if (lang === current) return
      current = lang
      try {
        storage?.setItem(STORAGE_KEY, lang)
      } catch {
        // Private mode or storage disabled: the switch still works for this page.
      }
      for (const fn of listeners) fn()
    },
    onChange: (fn) => {
      listeners.push(fn)
    },
  }
}

function readLang(storage: LangStorage | null): Lang {
  try {
    return storage?.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh'
  } catch {
    return 'zh'
  }
}
