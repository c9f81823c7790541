import { h, setAttr, setHidden, setText } from '../dom.js'
import type { I18n } from '../i18n.js'
import type { ProgrammeApi } from '../programme-api.js'
import type { Column, Recording } from '../programme-types.js'
import { createFilePick } from './file-pick.js'
import { apiErrorText, mmss } from './programme-text.js'

/** What the file choosers offer (the API takes MP3, WAV, M4A/AAC, OGG/Opus, FLAC). */
export const AUDIO_ACCEPT = 'audio/*,.mp3,.wav,.m4a,.aac,.ogg,.opus,.flac'

/** Fills a column `<select>`: the `first` options, then each column, keeping the choice. */
export function fillColumnSelect(
  select: HTMLSelectElement,
  columns: readonly Column[],
  first: [value: string, label: string][],
): void {
  const value = select.value
  select.replaceChildren(
    ...first.map(([v, l]) => h('option', { value: v }, l)),
    ...columns.map((c) => h('option', { value: c.id }, c.name)),
  )
  select.value = value
  if (select.value !== value) select.value = first[0]?.[0] ?? ''
}

/**
 * The upload form: a file, its title (the file name by default) and column (the server records
 * the logged-in user as the uploader);
 * a progress bar while the bytes go up (XMLHttpRequest upload progress), then "processing"
 * while the controller normalises and transcodes it, then the result or the reason it was
 * refused, in words.
 */
export function createAudioUpload(
  i18n: I18n,
  api: ProgrammeApi,
  onUploaded: (r: Recording) => void,
) {
  const t = i18n.t
  const title = h('input', { id: 'up-title', type: 'text', maxlength: 200, autocomplete: 'off' })
  const pick = createFilePick(i18n, {
    id: 'up-file',
    accept: AUDIO_ACCEPT,
    onChange: (f) => {
      title.placeholder = f ? f.name.replace(/\.[^.]+$/, '') : ''
    },
  })
  const column = h('select', { id: 'up-column' })
  const submit = h('button', { type: 'submit', class: 'button primary' }, t('upload.submit'))
  const cancel = h('button', { type: 'button', class: 'button', hidden: true }, t('common.cancel'))
  const bar = h('progress', { class: 'up-progress', max: 100, value: 0 })
  const pct = h('span', { class: 'up-pct' })
  const progress = h(
    'div',
    { class: 'up-progress-row', hidden: true },
    h('label', { for: 'up-bar', class: 'sr-only' }, t('upload.progress')),
    bar,
    pct,
  )
  bar.id = 'up-bar'
  const status = h('p', { class: 'up-status', role: 'status' })
  const form = h(
    'form',
    { class: 'panel up-form', 'aria-labelledby': 'up-h' },
    h('h2', { class: 'panel-title', id: 'up-h' }, t('upload.heading')),
    h('p', { class: 'panel-note' }, t('upload.note')),
    h(
      'div',
      { class: 'up-fields' },
      h(
        'div',
        { class: 'field field-grow' },
        h('label', { for: 'up-file' }, t('upload.file')),
        pick.el,
      ),
      h(
        'div',
        { class: 'field field-grow' },
        h('label', { for: 'up-title' }, t('upload.title')),
        title,
      ),
      h('div', { class: 'field' }, h('label', { for: 'up-column' }, t('audio.column')), column),
      h('div', { class: 'field field-button' }, submit),
      h('div', { class: 'field field-button' }, cancel),
    ),
    progress,
    status,
  )
  let current: { abort(): void } | null = null

  cancel.addEventListener('click', () => current?.abort())
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    const f = pick.file()
    if (current) return
    if (!f) {
      setAttr(status, 'data-state', 'error')
      setText(status, t('upload.needFile'))
      return
    }
    const body = new FormData()
    if (title.value.trim()) body.append('title', title.value.trim())
    if (column.value) body.append('column', column.value)
    body.append('file', f, f.name)
    setHidden(progress, false)
    setHidden(cancel, false)
    submit.disabled = true
    bar.value = 0
    setText(pct, '0%')
    setAttr(status, 'data-state', 'uploading')
    setText(status, t('upload.sending', { name: f.name }))
    const upload = api.upload(body, (sent, total) => {
      const p = total > 0 ? Math.round((sent / total) * 100) : 0
      bar.value = p
      setText(pct, `${p}%`)
      if (sent >= total) {
        setAttr(status, 'data-state', 'processing')
        setText(status, t('upload.processing'))
      }
    })
    current = upload
    upload.done
      .then((r) => {
        setAttr(status, 'data-state', 'done')
        setText(
          status,
          t(r.duplicate ? 'upload.duplicate' : 'upload.done', {
            title: r.title,
            duration: mmss(r.durationMs),
          }) + (r.silent ? ` ${t('upload.silentWarning')}` : ''),
        )
        form.reset()
        pick.clear()
        onUploaded(r)
      })
      .catch((err: unknown) => {
        const aborted = err instanceof DOMException && err.name === 'AbortError'
        setAttr(status, 'data-state', aborted ? 'cancelled' : 'error')
        setText(
          status,
          aborted ? t('upload.cancelled') : t('upload.failed', { msg: apiErrorText(i18n, err) }),
        )
      })
      .finally(() => {
        current = null
        submit.disabled = false
        setHidden(cancel, true)
        setHidden(progress, true)
      })
  })

  return {
    el: form,
    setColumns(columns: readonly Column[]): void {
      fillColumnSelect(column, columns, [['', t('order.noColumn')]])
    },
    destroy(): void {
      current?.abort()
    },
  }
}
