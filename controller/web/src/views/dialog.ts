import { h } from '../dom.js'
import type { I18n } from '../i18n.js'

/**
 * A modal `<dialog>` with a body and OK / cancel; resolves with what `read()` returns on OK,
 * null on cancel or Escape. The dialog is removed from the page when it closes.
 */
export function modal<T>(
  i18n: I18n,
  opts: { title: string; body: Node[]; ok: string; danger?: boolean; read: () => T | null },
): Promise<T | null> {
  const ok = h('button', { type: 'submit', class: `button ${opts.danger ? 'danger' : 'primary'}` })
  ok.textContent = opts.ok
  const cancel = h('button', { type: 'button', class: 'button' }, i18n.t('common.cancel'))
  const form = h(
    'form',
    { class: 'dialog-form' },
    h('h2', { class: 'dialog-title', id: 'dialog-title' }, opts.title),
    ...opts.body,
    h('div', { class: 'dialog-actions' }, cancel, ok),
  )
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'dialog-title' }, form)
  document.body.append(dialog)
  return new Promise((resolve) => {
    let value: T | null = null
    form.addEventListener('submit', (e) => {
      e.preventDefault()
      value = opts.read()
      if (value !== null) dialog.close()
    })
    cancel.addEventListener('click', () => dialog.close())
    dialog.addEventListener('close', () => {
      dialog.remove()
      resolve(value)
    })
    dialog.showModal()
  })
}

/** Asks to confirm an action: true when confirmed. */
export async function confirmDialog(
  i18n: I18n,
  opts: { title: string; text: string; ok: string; danger?: boolean },
): Promise<boolean> {
  const body = [h('p', { class: 'dialog-text' }, opts.text)]
  return (await modal(i18n, { ...opts, body, read: () => true })) === true
}

/** Asks for a whole number in [min, max]: the number, or null when cancelled. */
export function numberDialog(
  i18n: I18n,
  opts: { title: string; label: string; ok: string; min: number; max: number; value: number },
): Promise<number | null> {
  const input = h('input', {
    id: 'dialog-number',
    type: 'number',
    inputmode: 'numeric',
    min: opts.min,
    max: opts.max,
    step: 1,
    required: true,
  })
  input.value = String(opts.value)
  const range = h('input', {
    type: 'range',
    min: opts.min,
    max: opts.max,
    step: 1,
    'aria-hidden': 'true',
    tabindex: -1,
  })
  range.value = input.value
  range.addEventListener('input', () => {
    input.value = range.value
  })
  input.addEventListener('input', () => {
    range.value = input.value
  })
  const body = [
    h('div', { class: 'field' }, h('label', { for: 'dialog-number' }, opts.label), input),
    range,
  ]
  const read = () => {
    const n = Number(input.value)
    if (input.value === '' || !Number.isInteger(n) || n < opts.min || n > opts.max) {
      input.setCustomValidity(i18n.t('common.rangeError', { min: opts.min, max: opts.max }))
      input.reportValidity()
      return null
    }
    input.setCustomValidity('')
    return n
  }
  input.addEventListener('input', () => input.setCustomValidity(''))
  return modal(i18n, { ...opts, body, read })
}
