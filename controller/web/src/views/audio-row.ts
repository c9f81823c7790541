import { h, setAttr, setHidden, setText } from '../dom.js'
import { shortDateTime } from '../format.js'
import type { I18n } from '../i18n.js'
import type { Column, Recording } from '../programme-types.js'
import type { Row } from './keyed-list.js'
import { lufs, mmss } from './programme-text.js'

/** What a library row asks the page to do. */
export interface AudioRowActions {
  preview(r: Recording, slot: HTMLElement): void
  edit(r: Recording): void
  remove(r: Recording): void
}

/** The table's columns, in order. */
export const AUDIO_COLS = [
  'title',
  'column',
  'duration',
  'loudness',
  'by',
  'created',
  'actions',
] as const

/** One recording of the library: title, column, duration, loudness, who, when, actions. */
export function createAudioRow(
  i18n: I18n,
  deps: {
    column: (id: string | null) => Column | undefined
    tz: () => string
    actions: AudioRowActions
  },
) {
  const t = i18n.t
  const label = (c: (typeof AUDIO_COLS)[number]) => t(`audio.col.${c}`)
  return (first: Recording): Row<Recording> => {
    let rec = first
    const title = h('span', { class: 'au-title' })
    const silent = h('span', { class: 'tag tag-warn au-silent' }, t('audio.silent'))
    const file = h('span', { class: 'node-id au-file' })
    const slot = h('div', { class: 'au-player' })
    const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' })
    const colName = h('span', {})
    const duration = h('td', { class: 'num', 'data-label': label('duration') })
    const loud = h('td', { class: 'num au-loud', 'data-label': label('loudness') })
    const by = h('td', { 'data-label': label('by') })
    const created = h('td', { class: 'cell-time', 'data-label': label('created') }, h('time'))
    const play = h('button', { type: 'button', class: 'button small au-play' }, t('audio.preview'))
    const edit = h('button', { type: 'button', class: 'button small au-edit' }, t('audio.edit'))
    const remove = h(
      'button',
      { type: 'button', class: 'button small danger-outline au-remove' },
      t('audio.delete'),
    )
    play.addEventListener('click', () => deps.actions.preview(rec, slot))
    edit.addEventListener('click', () => deps.actions.edit(rec))
    remove.addEventListener('click', () => deps.actions.remove(rec))
    const el = h(
      'tr',
      {},
      h('th', { scope: 'row', class: 'au-cell-title' }, title, silent, file, slot),
      h('td', { 'data-label': label('column'), class: 'au-col' }, swatch, colName),
      duration,
      loud,
      by,
      created,
      h('td', { class: 'cell-actions', 'data-label': label('actions') }, play, edit, remove),
    )
    return {
      el,
      update(r: Recording): void {
        rec = r
        setAttr(el, 'data-audio-id', r.id)
        setAttr(el, 'data-silent', String(r.silent))
        setText(title, r.title)
        setHidden(silent, !r.silent)
        setText(file, r.originalName ?? '')
        const col = deps.column(r.columnId)
        setText(colName, col?.name ?? t('common.none'))
        setHidden(swatch, !col)
        if (col) swatch.style.background = col.colour
        setText(duration, mmss(r.durationMs))
        const none = t('common.none')
        setText(loud, `${lufs(r.loudnessBefore, none)} → ${lufs(r.loudnessAfter, none)}`)
        setAttr(loud, 'title', t('audio.loudnessTitle'))
        setText(by, r.uploadedBy ?? t('common.none'))
        const time = created.firstElementChild as HTMLElement
        setAttr(time, 'datetime', r.createdAt)
        setText(time, shortDateTime(r.createdAt, deps.tz(), i18n.locale()))
        for (const [b, key] of [
          [play, 'audio.previewLabel'],
          [edit, 'audio.editLabel'],
          [remove, 'audio.deleteLabel'],
        ] as const) {
          setAttr(b, 'aria-label', t(key, { title: r.title }))
        }
      },
    }
  }
}
