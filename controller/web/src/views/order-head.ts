import { h, setAttr, setHidden, setText } from '../dom.js'
import { clockOf } from '../format.js'
import type { I18n } from '../i18n.js'
import type { Issue } from '../programme-types.js'
import type { Draft, EditMode } from './order-draft.js'
import { countSegments } from './order-model.js'
import { apiErrorText, issueText } from './programme-text.js'

/** "已排 12 段 / 目标 15 段 · 3 个空位": the count against the day type's target. */
export function createCountBadge(i18n: I18n) {
  const el = h('p', { class: 'or-count', 'aria-live': 'polite' })
  return {
    el,
    update(items: readonly { audioId: string | null }[], target: number): void {
      const { segments, empty } = countSegments(items)
      const ok = segments === target && empty === 0
      setAttr(el, 'data-ok', String(ok))
      setAttr(el, 'data-segments', String(segments))
      const parts = [i18n.t('order.count', { n: segments, target })]
      if (empty > 0) parts.push(i18n.t('order.emptyCount', { n: empty }))
      setText(el, parts.join(' · '))
    },
  }
}

/** "所有修改已保存" / "保存中…" / "保存失败" with a retry button. */
export function createSaveStatus(i18n: I18n, draft: Draft, tz: () => string) {
  const t = i18n.t
  const text = h('span', { class: 'or-save-text' })
  const retry = h('button', { type: 'button', class: 'button small' }, t('common.retry'))
  retry.addEventListener('click', () => void draft.flush())
  const el = h('p', { class: 'or-save', role: 'status' }, text, retry)
  return {
    el,
    update(): void {
      const s = draft.state
      setAttr(el, 'data-save', s.save)
      setHidden(retry, s.save !== 'error')
      if (s.save === 'error') {
        setText(text, t('order.saveFailed', { msg: apiErrorText(i18n, s.saveError) }))
      } else if (s.save === 'saving') {
        setText(text, t('order.saving'))
      } else if (s.save === 'pending') {
        setText(text, t('order.pending'))
      } else if (s.savedAt) {
        setText(text, t('order.savedAt', { time: clockOf(s.savedAt, tz()) }))
      } else {
        setText(text, t('order.upToDate'))
      }
    },
  }
}

/** The three ways a date relates to its template, as a segmented control. */
export function createModeSwitch(i18n: I18n, onPick: (mode: EditMode) => void) {
  const modes: EditMode[] = ['template', 'replace', 'add']
  const buttons = modes.map((m) => {
    const b = h(
      'button',
      { type: 'button', class: 'seg', 'data-mode': m, 'aria-pressed': 'false' },
      i18n.t(`order.mode.${m}`),
    )
    b.addEventListener('click', () => onPick(m))
    return b
  })
  const el = h(
    'div',
    { class: 'segmented or-modes', role: 'group', 'aria-label': i18n.t('order.modeLabel') },
    ...buttons,
  )
  return {
    el,
    update(mode: EditMode, ready: boolean): void {
      for (const b of buttons) {
        setAttr(b, 'aria-pressed', String(b.dataset.mode === mode))
        b.disabled = !ready
      }
    },
  }
}

/** Issues that concern the whole day (e.g. the count), and how many the items have. */
export function createDayIssues(i18n: I18n) {
  const summary = h('p', { class: 'or-issue-summary' })
  const list = h('ul', { class: 'or-day-issues' })
  const el = h('div', { class: 'or-issues-box', 'aria-live': 'polite' }, summary, list)
  return {
    el,
    update(issues: readonly Issue[], stale: boolean): void {
      const errors = issues.filter((i) => i.severity === 'error').length
      const warnings = issues.length - errors
      setText(
        summary,
        issues.length === 0
          ? i18n.t('order.noIssues')
          : i18n.t('order.issueCounts', { errors, warnings }),
      )
      setAttr(summary, 'data-level', errors > 0 ? 'error' : warnings > 0 ? 'warning' : 'ok')
      const day = issues.filter((i) => !i.itemId)
      list.replaceChildren(
        ...day.map((i) =>
          h(
            'li',
            { class: `or-issue or-issue-${i.severity}`, 'data-code': i.code },
            issueText(i18n, i),
          ),
        ),
      )
      setHidden(list, day.length === 0)
      el.classList.toggle('stale', stale)
    },
  }
}
