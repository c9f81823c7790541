import { h, setHidden, setText } from '../dom.js'
import { programmeApi } from '../programme-api.js'
import type { Recording } from '../programme-types.js'
import { AUDIO_COLS, createAudioRow } from './audio-row.js'
import { createAudioUpload, fillColumnSelect } from './audio-upload.js'
import { createColumnsPanel } from './columns-panel.js'
import { confirmDialog, modal } from './dialog.js'
import { createKeyedList } from './keyed-list.js'
import { createLibrary } from './library.js'
import { apiErrorText } from './programme-text.js'
import type { ViewFactory } from './view.js'

/** Recordings listed (the API's maximum). */
const LIMIT = 1000

/**
 * The audio library (`#/audio?q=&column=&silent=`): upload with progress; the recordings with
 * search and filters by column and silent flag, duration, loudness before and after
 * normalisation, uploader and time; preview, edit title and column, delete (refused while the
 * programme uses it, saying where); and the columns (栏目) with colour and default priority.
 */
export const audioView: ViewFactory = (ctx, route) => {
  const { i18n, store } = ctx
  const t = i18n.t
  const api = programmeApi
  const library = createLibrary(api, store)
  let rows: Recording[] = []
  let abort: AbortController | null = null
  let playing: HTMLAudioElement | null = null

  const upload = createAudioUpload(i18n, api, (r) => {
    library.put(r)
    void load()
  })
  const q = h('input', {
    id: 'au-q',
    type: 'search',
    placeholder: t('audio.searchPlaceholder'),
    autocomplete: 'off',
  })
  q.value = route.params.get('q') ?? ''
  const column = h('select', { id: 'au-column' })
  const silent = h(
    'select',
    { id: 'au-silent' },
    h('option', { value: '' }, t('audio.silentAll')),
    h('option', { value: 'true' }, t('audio.silentOnly')),
    h('option', { value: 'false' }, t('audio.silentNot')),
  )
  silent.value = route.params.get('silent') ?? ''
  const wantedColumn = route.params.get('column') ?? ''
  const filters = h(
    'form',
    { class: 'filters', 'aria-label': t('filter.label'), role: 'search' },
    h('div', { class: 'field field-grow' }, h('label', { for: 'au-q' }, t('filter.search')), q),
    h('div', { class: 'field' }, h('label', { for: 'au-column' }, t('audio.column')), column),
    h('div', { class: 'field' }, h('label', { for: 'au-silent' }, t('audio.silentFilter')), silent),
  )
  filters.addEventListener('submit', (e) => e.preventDefault())
  const totals = h('p', { class: 'totals', 'aria-live': 'polite' })
  const status = h('p', { class: 'panel-status au-status', role: 'status' })
  const tbody = h('tbody')
  const table = h(
    'table',
    { class: 'grid audio-table' },
    h('caption', { class: 'sr-only' }, t('audio.caption')),
    h(
      'thead',
      {},
      h('tr', {}, ...AUDIO_COLS.map((c) => h('th', { scope: 'col' }, t(`audio.col.${c}`)))),
    ),
    tbody,
  )
  const message = h('p', { class: 'message', hidden: true })
  const columns = createColumnsPanel(i18n, api, () => void library.load())

  const el = h(
    'section',
    { class: 'page page-audio', 'aria-labelledby': 'audio-h' },
    h('h1', { id: 'audio-h' }, t('audio.heading')),
    upload.el,
    h('h2', {}, t('audio.list')),
    filters,
    totals,
    status,
    h('div', { class: 'table-wrap' }, table),
    message,
    columns.el,
  )

  const list = createKeyedList<Recording>({
    container: tbody,
    key: (r) => r.id,
    create: createAudioRow(i18n, {
      column: (id) => library.column(id),
      tz: () => store.tz,
      actions: {
        preview: (r, slot) => preview(r, slot),
        edit: (r) => void edit(r),
        remove: (r) => void remove(r),
      },
    }),
  })

  function preview(r: Recording, slot: HTMLElement): void {
    const open = slot.querySelector('audio')
    playing?.pause()
    if (open) {
      open.remove()
      playing = null
      return
    }
    for (const other of tbody.querySelectorAll('.au-player audio')) other.remove()
    const audio = h('audio', { controls: true, preload: 'none', src: api.fileUrl(r.sha256) })
    audio.setAttribute('aria-label', t('audio.previewLabel', { title: r.title }))
    slot.append(audio)
    playing = audio
    audio.play().catch(() => {
      // Autoplay refused or no output: the controls are there to press play.
    })
  }

  async function edit(r: Recording): Promise<void> {
    const title = h('input', { id: 'ae-title', type: 'text', maxlength: 200, required: true })
    title.value = r.title
    const col = h('select', { id: 'ae-column' })
    fillColumnSelect(col, library.columns, [['', t('order.noColumn')]])
    col.value = r.columnId ?? ''
    const v = await modal(i18n, {
      title: t('audio.editTitle'),
      body: [
        h('div', { class: 'field' }, h('label', { for: 'ae-title' }, t('upload.title')), title),
        h('div', { class: 'field' }, h('label', { for: 'ae-column' }, t('audio.column')), col),
      ],
      ok: t('common.save'),
      read: () =>
        title.value.trim() ? { title: title.value.trim(), columnId: col.value || null } : null,
    })
    if (!v) return
    try {
      const saved = await api.patchAudio(r.id, v)
      library.put(saved)
      setText(status, t('audio.saved', { title: saved.title }))
      void load()
    } catch (err) {
      setText(status, t('audio.failed', { msg: apiErrorText(i18n, err) }))
    }
  }

  async function remove(r: Recording): Promise<void> {
    const ok = await confirmDialog(i18n, {
      title: t('audio.deleteTitle', { title: r.title }),
      text: t('audio.deleteText'),
      ok: t('audio.delete'),
      danger: true,
    })
    if (!ok) return
    try {
      await api.deleteAudio(r.id)
      setText(status, t('audio.deleted', { title: r.title }))
      status.dataset.state = 'ok'
      void load()
    } catch (err) {
      status.dataset.state = 'error'
      setText(status, t('audio.deleteFailed', { title: r.title, msg: apiErrorText(i18n, err) }))
    }
  }

  function params(): Record<string, string> {
    return { q: q.value.trim(), column: column.value, silent: silent.value }
  }

  function render(): void {
    list.render(rows)
    table.hidden = rows.length === 0
    setText(totals, t('audio.totals', { n: rows.length }))
  }

  async function load(): Promise<void> {
    abort?.abort()
    const ac = new AbortController()
    abort = ac
    const p = params()
    try {
      const next = await api.audio(
        {
          ...(p.q ? { q: p.q } : {}),
          ...(p.column ? { column: p.column } : {}),
          ...(p.silent ? { silent: p.silent === 'true' } : {}),
          limit: LIMIT,
        },
        ac.signal,
      )
      if (ac.signal.aborted) return
      rows = next
      setHidden(message, rows.length > 0)
      setText(message, t(p.q || p.column || p.silent ? 'audio.noMatch' : 'audio.empty'))
    } catch (err) {
      if (ac.signal.aborted) return
      rows = []
      setHidden(message, false)
      setText(message, t('common.loadError', { msg: apiErrorText(i18n, err) }))
    }
    render()
  }

  let typing: ReturnType<typeof setTimeout> | undefined
  q.addEventListener('input', () => {
    clearTimeout(typing)
    typing = setTimeout(() => {
      ctx.router.replaceParams(params())
      void load()
    }, 250)
  })
  for (const s of [column, silent]) {
    s.addEventListener('change', () => {
      ctx.router.replaceParams(params())
      void load()
    })
  }

  function showColumns(): void {
    fillColumnSelect(column, library.columns, [
      ['', t('audio.columnAll')],
      ['none', t('audio.columnNone')],
    ])
    if (wantedColumn && column.value === '' && library.loaded) column.value = wantedColumn
    upload.setColumns(library.columns)
    columns.show(library.columns)
    list.refresh()
  }

  const offs = [
    library.on('change', showColumns),
    store.on('audio', () => void load()),
    store.on('resync', () => void load()),
  ]
  setHidden(message, false)
  setText(message, t('common.loading'))
  void library.load().then(
    () => {
      if (wantedColumn) {
        column.value = wantedColumn
        void load()
      }
    },
    () => {},
  )
  void load()

  return {
    el,
    destroy() {
      for (const off of offs) off()
      clearTimeout(typing)
      abort?.abort()
      playing?.pause()
      upload.destroy()
      library.destroy()
    },
  }
}
