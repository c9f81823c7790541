import { h } from '../dom.js'
import type { I18n } from '../i18n.js'

/** A modal `<dialog>` that only shows something, with one close button; removed when closed. */
export function infoDialog(i18n: I18n, opts: { title: string; body: Node[] }): Promise<void> {
  const close = h('button', { type: 'submit', class: 'button primary' }, i18n.t('common.close'))
  const form = h(
    'form',
    { class: 'dialog-form', method: 'dialog' },
    h('h2', { class: 'dialog-title', id: 'info-title' }, opts.title),
    ...opts.body,
    h('div', { class: 'dialog-actions' }, close),
  )
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'info-title' }, form)
  document.body.append(dialog)
  return new Promise((resolve) => {
    form.addEventListener('submit', (e) => {
      e.preventDefault()
      dialog.close()
    })
    dialog.addEventListener('close', () => {
      dialog.remove()
      resolve()
    })
    dialog.showModal()
  })
}
