import elEn from 'element-plus/es/locale/lang/en'
import elZhCn from 'element-plus/es/locale/lang/zh-cn'
import { createI18n } from 'vue-i18n'
import adminEn from '../admin/messages.en.json'
import adminZh from '../admin/messages.zh.json'
import fleetEn from '../fleet/fleet.messages.en.json'
import fleetZh from '../fleet/fleet.messages.zh.json'
import mapEn from '../fleet/map.messages.en.json'
import mapZh from '../fleet/map.messages.zh.json'
import playsEn from '../fleet/plays.messages.en.json'
import playsZh from '../fleet/plays.messages.zh.json'
import installEn from '../install/install.messages.en.json'
import installZh from '../install/install.messages.zh.json'
import columnsEn from '../programme/columns.messages.en.json'
import columnsZh from '../programme/columns.messages.zh.json'
import libraryEn from '../programme/library.messages.en.json'
import libraryZh from '../programme/library.messages.zh.json'
import programmeEn from '../programme/messages.en.json'
import programmeZh from '../programme/messages.zh.json'
import ordersEn from '../programme/orders.messages.en.json'
import ordersZh from '../programme/orders.messages.zh.json'
import reportsEn from '../programme/reports.messages.en.json'
import reportsZh from '../programme/reports.messages.zh.json'
import talkEn from '../programme/talk.messages.en.json'
import talkZh from '../programme/talk.messages.zh.json'
import frameEn from './frame.en.json'
import frameZh from './frame.zh.json'

// Messages, one pair of flat files per feature (`<feature>/messages.zh.json` and `.en.json`),
// merged here. zh-CN is the reference and the default; en must have every key (i18n.test.ts).
// Keys are flat ("users.create"); vue-i18n finds a flat key when no nested path matches.
// In a message, `@` and `|` are syntax: write {'@'} and {'|'}.

/** Each feature's dictionaries. A new feature adds its pair here. */
export const FEATURES = {
  frame: { 'zh-CN': frameZh, en: frameEn },
  admin: { 'zh-CN': adminZh, en: adminEn },
  programme: { 'zh-CN': programmeZh, en: programmeEn },
  plays: { 'zh-CN': playsZh, en: playsEn },
  reports: { 'zh-CN': reportsZh, en: reportsEn },
  orders: { 'zh-CN': ordersZh, en: ordersEn },
  library: { 'zh-CN': libraryZh, en: libraryEn },
  map: { 'zh-CN': mapZh, en: mapEn },
  install: { 'zh-CN': installZh, en: installEn },
  fleet: { 'zh-CN': fleetZh, en: fleetEn },
  talk: { 'zh-CN': talkZh, en: talkEn },
  columns: { 'zh-CN': columnsZh, en: columnsEn },
} as const

/** The UI's languages; Chinese first. */
export const LANGS = ['zh-CN', 'en'] as const
export type Lang = (typeof LANGS)[number]

/** Element Plus's own texts (tables, pickers, pagination) in each language. */
export const ELEMENT_LOCALE = { 'zh-CN': elZhCn, en: elEn } as const

/** Every message of one language. */
export function messagesOf(lang: Lang): Record<string, string> {
  return Object.assign({}, ...Object.values(FEATURES).map((f) => f[lang]))
}

export const STORAGE_KEY = 'chorus.lang'

/** The stored language, or Chinese ('zh' / 'en' under the key, as earlier versions stored it). */
export function readLang(storage: Pick<Storage, 'getItem'> | null): Lang {
  const v = storage?.getItem(STORAGE_KEY)
  return v === 'en' ? 'en' : 'zh-CN'
}

/** The stored value of a language (the values earlier versions of the UI stored). */
export const storedLang = (lang: Lang): string => (lang === 'en' ? 'en' : 'zh')

/** Creates the app's i18n (vue-i18n, composition mode) in the stored language. */
export function createAppI18n(storage: Pick<Storage, 'getItem'> | null) {
  return createI18n({
    legacy: false,
    locale: readLang(storage),
    fallbackLocale: 'zh-CN',
    messages: { 'zh-CN': messagesOf('zh-CN'), en: messagesOf('en') },
    missingWarn: false,
    fallbackWarn: false,
  })
}
