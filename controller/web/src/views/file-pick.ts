import { h, setText } from '../dom.js'
import { bytesText } from '../format.js'
import type { I18n } from '../i18n.js'

/**
 * A file field in the page's language: the native input (whose button and "no file chosen"
 * text follow the browser's language, not the page's) is kept for keyboards, screen readers and
 * tests, but shown as a button and the chosen file's name and size.
 */
export function createFilePick(
  i18n: I18n,
  opts: { id: string; accept: string; onChange?: (file: File | null) => void },
) {
  const t = i18n.t
  const input = h('input', { id: opts.id, type: 'file', accept: opts.accept, class: 'file-input' })
  const name = h('span', { class: 'file-name' }, t('file.none'))
  const el = h(
    'span',
    { class: 'file-pick' },
    input,
    h(
      'label',
      { for: opts.id, class: 'button file-button', 'aria-hidden': 'true' },
      t('file.choose'),
    ),
    name,
  )
  const show = () => {
    const f = input.files?.[0] ?? null
    setText(name, f ? `${f.name} · ${sizeText(f.size)}` : t('file.none'))
    name.classList.toggle('chosen', f !== null)
    opts.onChange?.(f)
  }
  input.addEventListener('change', show)
  return {
    el,
    input,
    file: (): File | null => input.files?.[0] ?? null,
    clear(): void {
      input.value = ''
      show()
    },
  }
}

/** "340 KB" under a megabyte, else as `bytesText` says it. */
function sizeText(n: number): string {
  return n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KB` : bytesText(n)
}
