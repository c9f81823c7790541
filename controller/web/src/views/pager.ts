import { h, setText } from '../dom.js'
import type { I18n } from '../i18n.js'

/** Rows shown at first and added by each "show more". */
export const PAGE_SIZE = 200

/**
 * "显示 200 / 10000 条" and a "显示更多" button that also fires by itself when scrolled into
 * view, so a long list grows as one scrolls while the DOM holds only what was seen.
 */
export function createPager(i18n: I18n, onMore: () => void) {
  let limit = PAGE_SIZE
  let hasMore = false
  const status = h('p', { class: 'pager-status', 'aria-live': 'polite' })
  const more = h('button', { type: 'button', class: 'button more' }, i18n.t('common.more'))
  const el = h('div', { class: 'pager' }, status, more)
  const grow = () => {
    if (!hasMore) return
    limit += PAGE_SIZE
    onMore()
  }
  more.addEventListener('click', grow)
  const observer =
    typeof IntersectionObserver === 'function'
      ? new IntersectionObserver(
          (entries) => {
            if (entries.some((e) => e.isIntersecting)) grow()
          },
          { rootMargin: '400px' },
        )
      : null
  observer?.observe(more)

  return {
    el,
    get limit(): number {
      return limit
    },
    reset(): void {
      limit = PAGE_SIZE
    },
    show(shown: number, total: number): void {
      hasMore = shown < total
      more.hidden = !hasMore
      el.hidden = total === 0
      setText(status, i18n.t('common.showing', { shown, total }))
    },
    destroy(): void {
      observer?.disconnect()
    },
  }
}
