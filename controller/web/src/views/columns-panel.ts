import { h, setText } from '../dom.js'
import type { I18n } from '../i18n.js'
import type { ProgrammeApi } from '../programme-api.js'
import type { Column } from '../programme-types.js'
import { makeGoodFields, makeGoodTag } from './column-make-good.js'
import { confirmDialog, modal } from './dialog.js'
import { apiErrorText } from './programme-text.js'

/** Colours offered to a new column, in turn. */
const PALETTE = ['#c0392b', '#1f6fb2', '#2e8b57', '#d68910', '#7d3c98', '#117a65', '#a04000']

interface ColumnFields {
  name: string
  colour: string
  defaultPriority: number
}

/** Name, colour and default priority inputs, with ids prefixed by `p`. */
function columnFields(i18n: I18n, p: string, value: ColumnFields) {
  const t = i18n.t
  const name = h('input', { id: `${p}-name`, type: 'text', maxlength: 50, required: true })
  const colour = h('input', { id: `${p}-colour`, type: 'color', class: 'col-colour' })
  const priority = h('input', {
    id: `${p}-priority`,
    type: 'number',
    min: 0,
    max: 60,
    step: 1,
    required: true,
    inputmode: 'numeric',
  })
  name.value = value.name
  colour.value = value.colour
  priority.value = String(value.defaultPriority)
  const els = [
    h('div', { class: 'field field-grow' }, h('label', { for: name.id }, t('columns.name')), name),
    h(
      'div',
      { class: 'field field-button' },
      h('label', { for: colour.id }, t('columns.colour')),
      colour,
    ),
    h('div', { class: 'field' }, h('label', { for: priority.id }, t('columns.priority')), priority),
  ]
  const read = (): ColumnFields | null => {
    const n = Number(priority.value)
    if (!name.value.trim()) {
      name.reportValidity()
      return null
    }
    if (!Number.isInteger(n) || n < 0 || n > 60) {
      priority.setCustomValidity(t('common.rangeError', { min: 0, max: 60 }))
      priority.reportValidity()
      return null
    }
    priority.setCustomValidity('')
    return { name: name.value.trim(), colour: colour.value, defaultPriority: n }
  }
  priority.addEventListener('input', () => priority.setCustomValidity(''))
  return { els, read, name }
}

/**
 * Columns (栏目): each with its colour and default priority (0–60; announcements are above),
 * added, edited and deleted here. A column still used by a template or a coming date cannot be
 * deleted: the refusal says where.
 */
export function createColumnsPanel(i18n: I18n, api: ProgrammeApi, onChange: () => void) {
  const t = i18n.t
  const list = h('ul', { class: 'col-list' })
  const status = h('p', { class: 'panel-status', role: 'status' })
  let columns: readonly Column[] = []
  const add = columnFields(i18n, 'col-new', {
    name: '',
    colour: PALETTE[0] ?? '#1f6fb2',
    defaultPriority: 50,
  })
  const form = h(
    'form',
    { class: 'col-add', 'aria-label': t('columns.add') },
    ...add.els,
    h(
      'div',
      { class: 'field field-button' },
      h('button', { type: 'submit', class: 'button primary' }, t('columns.add')),
    ),
  )
  const el = h(
    'section',
    { class: 'panel col-panel', 'aria-labelledby': 'col-h' },
    h('h2', { class: 'panel-title', id: 'col-h' }, t('columns.heading')),
    h('p', { class: 'panel-note' }, t('columns.note')),
    list,
    form,
    status,
  )

  form.addEventListener('submit', (e) => {
    e.preventDefault()
    const v = add.read()
    if (!v) return
    api.createColumn(v).then(
      (c) => {
        setText(status, t('columns.added', { name: c.name }))
        form.reset()
        const colour = form.querySelector<HTMLInputElement>('.col-colour')
        if (colour) colour.value = PALETTE[(columns.length + 1) % PALETTE.length] ?? '#1f6fb2'
        const pr = form.querySelector<HTMLInputElement>('#col-new-priority')
        if (pr) pr.value = '50'
        onChange()
      },
      (err: unknown) => setText(status, t('columns.failed', { msg: apiErrorText(i18n, err) })),
    )
  })

  async function edit(c: Column): Promise<void> {
    const f = columnFields(i18n, 'col-edit', c)
    const mg = makeGoodFields(i18n, 'col-edit', c)
    const v = await modal(i18n, {
      title: t('columns.editTitle', { name: c.name }),
      body: [...f.els, ...mg.els],
      ok: t('common.save'),
      read: () => {
        const fields = f.read()
        const policy = fields ? mg.read() : null
        return fields && policy ? { ...fields, ...policy } : null
      },
    })
    if (!v) return
    try {
      await api.patchColumn(c.id, v)
      setText(status, t('columns.saved', { name: v.name }))
      onChange()
    } catch (err) {
      setText(status, t('columns.failed', { msg: apiErrorText(i18n, err) }))
    }
  }

  async function remove(c: Column): Promise<void> {
    const ok = await confirmDialog(i18n, {
      title: t('columns.deleteTitle', { name: c.name }),
      text: t('columns.deleteText'),
      ok: t('audio.delete'),
      danger: true,
    })
    if (!ok) return
    try {
      await api.deleteColumn(c.id)
      setText(status, t('columns.deleted', { name: c.name }))
      onChange()
    } catch (err) {
      setText(status, t('columns.failed', { msg: apiErrorText(i18n, err) }))
    }
  }

  return {
    el,
    show(next: readonly Column[]): void {
      columns = next
      list.replaceChildren(
        ...next.map((c) => {
          const swatch = h('span', { class: 'swatch swatch-lg', 'aria-hidden': 'true' })
          swatch.style.background = c.colour
          const editB = h(
            'button',
            {
              type: 'button',
              class: 'button small',
              'aria-label': t('columns.editLabel', { name: c.name }),
            },
            t('audio.edit'),
          )
          const delB = h(
            'button',
            {
              type: 'button',
              class: 'button small danger-outline',
              'aria-label': t('columns.deleteLabel', { name: c.name }),
            },
            t('audio.delete'),
          )
          editB.addEventListener('click', () => void edit(c))
          delB.addEventListener('click', () => void remove(c))
          return h(
            'li',
            { class: 'col-item', 'data-column-id': c.id },
            swatch,
            h('span', { class: 'col-name' }, c.name),
            h(
              'span',
              { class: 'col-priority' },
              t('columns.priorityShort', { n: c.defaultPriority }),
            ),
            makeGoodTag(i18n, c),
            h('span', { class: 'col-actions' }, editB, delB),
          )
        }),
      )
      if (next.length === 0) list.append(h('li', { class: 'panel-note' }, t('columns.none')))
      const colour = form.querySelector<HTMLInputElement>('.col-colour')
      if (colour && colour.value === (PALETTE[0] ?? '') && next.length > 0) {
        colour.value = PALETTE[next.length % PALETTE.length] ?? colour.value
      }
    },
  }
}
