import { h, setText } from '../dom.js'
import type { I18n } from '../i18n.js'
import { copyText } from './bundle-panel.js'

/**
 * A value shown only this once (an API token, a node's new secret): read-only, selectable, with
 * a copy button and a note that it cannot be shown again.
 */
export function createSecretBox(
  i18n: I18n,
  opts: { heading: string; note: string; value: string },
): HTMLElement {
  const t = i18n.t
  const field = h('textarea', {
    class: 'secret-value',
    readonly: true,
    rows: 2,
    spellcheck: 'false',
    'aria-label': opts.heading,
  })
  field.value = opts.value
  const status = h('p', { class: 'panel-status', role: 'status' })
  const copy = h('button', { type: 'button', class: 'button primary' }, t('secret.copy'))
  copy.addEventListener('click', () => {
    void copyText(opts.value, field).then((ok) =>
      setText(status, ok ? t('secret.copied') : t('secret.copyFailed')),
    )
  })
  field.addEventListener('focus', () => field.select())
  return h(
    'section',
    { class: 'panel secret-box', role: 'region', 'aria-label': opts.heading },
    h('h2', { class: 'panel-title' }, opts.heading),
    h('p', { class: 'secret-note' }, opts.note),
    field,
    h('div', { class: 'cmd-buttons' }, copy),
    status,
  )
}
