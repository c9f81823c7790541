import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import { type Lang, STORAGE_KEY, storedLang } from './index'

/** The current language and a switch (remembered in localStorage). */
export function useLang() {
  const { locale } = useI18n({ useScope: 'global' })
  const lang = computed<Lang>(() => (locale.value === 'en' ? 'en' : 'zh-CN'))
  function setLang(next: Lang): void {
    locale.value = next
    document.documentElement.lang = next
    try {
      localStorage.setItem(STORAGE_KEY, storedLang(next))
    } catch {
      // Private mode: the choice lasts until the tab closes.
    }
  }
  return { lang, setLang }
}
