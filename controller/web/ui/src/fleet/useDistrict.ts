import { ref } from 'vue'
import type { Health } from '../../../../../contract/index.js'
import { useApp } from '../session'
import { localDate } from './plays'

/** The district's time zone until the controller says otherwise (PRODUCT.md's default). */
export const DEFAULT_TZ = 'Asia/Shanghai'

/**
 * The district's time zone (from GET api/health, which tells a logged-in user) and "today" in
 * it: pages about a date (plays, reports) open on the district's today, not the browser's.
 */
export function useDistrict() {
  const { api } = useApp()
  const tz = ref(DEFAULT_TZ)
  const ready = api
    .get<Health>('api/health', { quiet: true })
    .then((h) => {
      if (h.tz) tz.value = h.tz
    })
    .catch(() => undefined)
  return { tz, ready, today: () => localDate(Date.now(), tz.value) }
}
