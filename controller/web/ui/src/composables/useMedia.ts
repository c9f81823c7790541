import { onScopeDispose, ref } from 'vue'

/** Whether a CSS media query matches, kept up to date (e.g. `(max-width: 640px)`: a phone). */
export function useMedia(query: string) {
  const list = window.matchMedia(query)
  const matches = ref(list.matches)
  const update = (e: MediaQueryListEvent) => {
    matches.value = e.matches
  }
  list.addEventListener('change', update)
  onScopeDispose(() => list.removeEventListener('change', update))
  return matches
}
