import { h, setText } from '../dom.js'
import type { I18n } from '../i18n.js'
import type { ProgrammeApi } from '../programme-api.js'
import type { Column, Recording } from '../programme-types.js'
import { modal } from './dialog.js'
import { apiErrorText, mmss } from './programme-text.js'

/**
 * What the picker returns: the chosen audio id (null: an empty slot) and its recording when it
 * was listed; cancel returns undefined.
 */
export type Picked = { audioId: string | null; recording?: Recording } | undefined

const SHOWN = 200

/**
 * A dialog to pick a recording from the library: search by title or file name, filter by
 * column, one radio per recording (title, duration, column, a silent flag). With `allowEmpty`
 * the first choice is "an empty slot".
 */
export async function pickAudio(
  i18n: I18n,
  api: ProgrammeApi,
  opts: { current: string | null; columns: readonly Column[]; allowEmpty: boolean; title: string },
): Promise<Picked> {
  const t = i18n.t
  const search = h('input', {
    id: 'pick-q',
    type: 'search',
    placeholder: t('audio.searchPlaceholder'),
    autocomplete: 'off',
  })
  const column = h('select', { id: 'pick-column' })
  column.append(h('option', { value: '' }, t('audio.columnAll')))
  for (const c of opts.columns) column.append(h('option', { value: c.id }, c.name))
  const list = h('div', { class: 'pick-list', role: 'radiogroup', 'aria-label': opts.title })
  const status = h('p', { class: 'panel-note', 'aria-live': 'polite' })
  const found = new Map<string, Recording>()
  let chosen: string | null = opts.current
  let timer: ReturnType<typeof setTimeout> | undefined
  let seq = 0

  const radio = (value: string, label: Node[], silent = false) => {
    const input = h('input', { type: 'radio', name: 'pick', value })
    input.checked = (chosen ?? '') === value
    input.addEventListener('change', () => {
      chosen = value || null
    })
    return h('label', { class: `pick-item${silent ? ' pick-silent' : ''}` }, input, ...label)
  }

  async function load(): Promise<void> {
    const mine = ++seq
    setText(status, t('common.loading'))
    try {
      const q = search.value.trim()
      const rows = await api.audio({
        ...(q ? { q } : {}),
        ...(column.value ? { column: column.value } : {}),
        limit: SHOWN,
      })
      if (mine !== seq) return
      const items: Node[] = []
      if (opts.allowEmpty) {
        items.push(radio('', [h('span', { class: 'pick-title' }, t('order.emptySlot'))]))
      }
      for (const r of rows) {
        found.set(r.id, r)
        const col = opts.columns.find((c) => c.id === r.columnId)
        const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' })
        if (col) swatch.style.background = col.colour
        items.push(
          radio(
            r.id,
            [
              h('span', { class: 'pick-title' }, r.title),
              h(
                'span',
                { class: 'pick-meta' },
                mmss(r.durationMs),
                col ? h('span', { class: 'pick-col' }, swatch, col.name) : null,
                r.silent ? h('span', { class: 'tag tag-warn' }, t('audio.silent')) : null,
              ),
            ],
            r.silent,
          ),
        )
      }
      list.replaceChildren(...items)
      setText(status, rows.length === 0 ? t('audio.empty') : '')
    } catch (err) {
      if (mine === seq) setText(status, t('common.loadError', { msg: apiErrorText(i18n, err) }))
    }
  }

  const later = () => {
    clearTimeout(timer)
    timer = setTimeout(() => void load(), 250)
  }
  search.addEventListener('input', later)
  column.addEventListener('change', () => void load())
  void load()

  const body = [
    h(
      'div',
      { class: 'pick-filters' },
      h('div', { class: 'field' }, h('label', { for: 'pick-q' }, t('filter.search')), search),
      h('div', { class: 'field' }, h('label', { for: 'pick-column' }, t('audio.column')), column),
    ),
    list,
    status,
  ]
  const result = await modal(i18n, {
    title: opts.title,
    body,
    ok: t('picker.ok'),
    read: () => {
      if (chosen === null) return opts.allowEmpty ? { audioId: null } : null
      const recording = found.get(chosen)
      return recording ? { audioId: chosen, recording } : { audioId: chosen }
    },
  })
  clearTimeout(timer)
  return result ?? undefined
}
