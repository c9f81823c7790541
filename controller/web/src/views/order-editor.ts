import { h, setHidden, setText } from '../dom.js'
import { addDays, dayLabel } from '../format.js'
import { programmeApi } from '../programme-api.js'
import type { DayType, OrderItem } from '../programme-types.js'
import { pickAudio } from './audio-picker.js'
import { confirmDialog, modal } from './dialog.js'
import { createKeyedList } from './keyed-list.js'
import { createLibrary } from './library.js'
import { createDraft, type EditMode, type Target } from './order-draft.js'
import {
  createCountBadge,
  createDayIssues,
  createModeSwitch,
  createSaveStatus,
} from './order-head.js'
import { moveItem, newId, nextStart, sortItems } from './order-model.js'
import { createOrderRow, type RowState } from './order-row.js'
import { clock, dayTypeLine } from './programme-text.js'
import type { ViewFactory } from './view.js'
import { createZoneTree } from './zone-tree.js'

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/

/** The editor's target for `/programme/working`, `/programme/rest`, `/programme/<date>`. */
export function orderTargetOf(path: string): Target | null {
  const m = /^\/programme\/([^/]+)$/.exec(path)
  const key = m?.[1] ?? ''
  if (key === 'working' || key === 'rest') return { kind: 'template', dayType: key as DayType }
  if (DATE_RE.test(key) && !Number.isNaN(Date.parse(`${key}T00:00:00Z`))) {
    return { kind: 'date', date: key }
  }
  return null
}

/**
 * The running-order editor, for the working-day and rest-day templates and for any date: add,
 * remove, move, retime an item, change its audio, column, zones and priority. Every change is
 * saved shortly after it is made, and the server's validation issues appear beside the items.
 * A date follows its template, replaces it or adds to it, and can be a drill day.
 */
export function orderEditorView(target: Target): ViewFactory {
  return (ctx) => {
    const { i18n, store } = ctx
    const t = i18n.t
    const api = programmeApi
    const draft = createDraft(api, target)
    const library = createLibrary(api, store)
    const isDate = target.kind === 'date'

    const heading = h('h1', { id: 'order-h' })
    const meta = h('p', { class: 'or-meta' })
    const count = createCountBadge(i18n)
    const saveStatus = createSaveStatus(i18n, draft, () => store.tz)
    const dayIssues = createDayIssues(i18n)
    const modes = createModeSwitch(i18n, (m) => void setMode(m))
    const modeNote = h('p', { class: 'panel-note or-mode-note' })
    const drill = h('input', { type: 'checkbox', id: 'or-drill' })
    drill.addEventListener('change', () => draft.setDrill(drill.checked))
    const drillField = h('label', { class: 'check', for: 'or-drill' }, drill, t('order.drill'))
    const targetInput = h('input', {
      type: 'number',
      id: 'or-target',
      min: 0,
      max: 500,
      step: 1,
      inputmode: 'numeric',
    })
    targetInput.addEventListener('change', () => {
      const n = Number(targetInput.value)
      if (Number.isInteger(n) && n >= 0 && n <= 500) draft.setTargetCount(n)
    })
    const targetField = h(
      'div',
      { class: 'field or-target' },
      h('label', { for: 'or-target' }, t('order.targetCount')),
      targetInput,
    )
    const add = h('button', { type: 'button', class: 'button primary or-add' }, t('order.add'))
    add.addEventListener('click', () => addItem())
    const list = h('ol', { class: 'or-list', 'aria-labelledby': 'order-h' })
    const header = h(
      'div',
      { class: 'or-header', 'aria-hidden': 'true' },
      ...(['time', 'audio', 'title', 'column', 'zones', 'priority'] as const).map((c) =>
        h('span', {}, t(`order.col.${c}`)),
      ),
      h('span', {}),
    )
    const message = h('p', { class: 'message', hidden: true })

    const crumbs = h(
      'p',
      { class: 'crumbs' },
      h('a', { href: '#/programme' }, t('nav.programme')),
      ' › ',
      isDate
        ? h('a', { href: `#/calendar?month=${target.date.slice(0, 7)}` }, t('nav.calendar'))
        : t('order.templates'),
    )
    const dayNav = isDate
      ? h(
          'p',
          { class: 'or-day-nav' },
          h(
            'a',
            { href: `#/programme/${addDays(target.date, -1)}`, class: 'button small' },
            '‹ ',
            t('order.prevDay'),
          ),
          h(
            'a',
            { href: `#/programme/${addDays(target.date, 1)}`, class: 'button small' },
            t('order.nextDay'),
            ' ›',
          ),
        )
      : h(
          'p',
          { class: 'or-day-nav' },
          h(
            'a',
            {
              href: `#/programme/${target.dayType === 'working' ? 'rest' : 'working'}`,
              class: 'button small',
            },
            t(`order.template.${target.dayType === 'working' ? 'rest' : 'working'}`),
          ),
        )

    const el = h(
      'section',
      { class: 'page page-order', 'aria-labelledby': 'order-h' },
      crumbs,
      h('div', { class: 'or-top' }, h('div', {}, heading, meta), dayNav),
      h(
        'div',
        { class: 'panel or-panel' },
        h('div', { class: 'or-status' }, count.el, saveStatus.el),
        isDate ? h('div', { class: 'or-mode-row' }, modes.el, drillField) : targetField,
        isDate ? modeNote : null,
        dayIssues.el,
      ),
      header,
      list,
      message,
      h('div', { class: 'or-foot' }, add),
    )

    const rowsList = createKeyedList<RowState>({
      container: list,
      key: (s) => s.row.item.id,
      create: () =>
        createOrderRow(i18n, {
          library,
          zoneOf: (id) => store.zone(id),
          clockOf: (id) => {
            const item = draft.rows().find((r) => r.item.id === id)?.item
            return item ? clock(item.start) : ''
          },
          actions: {
            change: (id, patch, sort) => {
              draft.edit((items) => {
                const next = items.map((i) => (i.id === id ? withPatch(i, patch) : i))
                return sort ? sortItems(next) : next
              })
            },
            pickAudio: (id) => void chooseAudio(id),
            pickZones: (id) => void chooseZones(id),
            move: (id, dir) => draft.edit((items) => moveItem(items, id, dir)),
            remove: (id) => draft.edit((items) => items.filter((i) => i.id !== id)),
            override: (id) => {
              const tpl = draft.state.templateItems.find((i) => i.id === id)
              if (tpl) draft.edit((items) => sortItems([...items, { ...tpl }]))
            },
          },
        }),
    })

    function withPatch(item: OrderItem, patch: Partial<OrderItem>): OrderItem {
      const next = { ...item, ...patch }
      if ('priority' in patch && patch.priority === undefined) delete next.priority
      return next
    }

    function editable(origin: 'template' | 'date'): boolean {
      const mode = draft.state.mode
      if (!isDate) return true
      return mode === 'replace' || (mode === 'add' && origin === 'date')
    }

    function render(): void {
      const s = draft.state
      const rows = draft.rows()
      const templateIds = new Set(s.templateItems.map((i) => i.id))
      const stale = s.save !== 'saved' && s.save !== 'error'
      const movable = !isDate || s.mode === 'replace'
      const states: RowState[] = rows.map((row, i) => ({
        row,
        editable: editable(row.origin),
        movable,
        showOrigin: isDate && s.mode === 'add',
        first: i === 0,
        last: i === rows.length - 1,
        overrides:
          isDate && s.mode === 'add' && row.origin === 'date' && templateIds.has(row.item.id),
        issues: s.issues.filter((x) => x.itemId === row.item.id),
        stale,
      }))
      // A time being typed keeps its row in place until the field is left.
      const active = document.activeElement
      const typing = active instanceof HTMLInputElement && active.classList.contains('or-time')
      if (typing && list.contains(active)) {
        const order = [...list.children].map((li) => (li as HTMLElement).dataset.itemId)
        const at = (id: string) => {
          const i = order.indexOf(id)
          return i === -1 ? order.length : i
        }
        states.sort((a, b) => at(a.row.item.id) - at(b.row.item.id))
        active.addEventListener('blur', () => render(), { once: true })
      }
      rowsList.render(states)

      setText(heading, title())
      if (isDate && s.dayType) {
        setText(meta, dayTypeLine(i18n, s.dayType))
      } else if (!isDate) {
        setText(meta, t(`order.templateNote.${target.dayType}`))
      }
      count.update(
        rows.map((r) => r.item),
        s.targetCount,
      )
      saveStatus.update()
      dayIssues.update(s.issues, stale)
      modes.update(s.mode, s.loaded)
      drill.checked = s.drill
      drillField.hidden = !isDate || s.mode === 'template'
      if (document.activeElement !== targetInput) targetInput.value = String(s.targetCount)
      setText(modeNote, isDate ? t(`order.modeNote.${s.mode}`) : '')
      add.hidden = isDate && s.mode === 'template'
      // Nothing may be saved before the order is loaded: a save replaces the whole order.
      add.disabled = !s.loaded
      targetInput.disabled = !s.loaded
      header.hidden = rows.length === 0
      let text: string | null = null
      if (s.loadError) text = t('common.loadError', { msg: s.loadError })
      else if (!s.loaded) text = t('common.loading')
      else if (rows.length === 0) text = t('order.emptyList')
      setHidden(message, text === null)
      setText(message, text ?? '')
    }

    function title(): string {
      if (!isDate) return t(`order.template.${target.dayType}`)
      return t('order.dateTitle', { day: dayLabel(target.date, i18n.locale()), date: target.date })
    }

    function addItem(): void {
      const rows = draft.rows()
      const start = nextStart(rows.map((r) => r.item))
      const taken = new Set([
        ...rows.map((r) => r.item.id),
        ...draft.state.templateItems.map((i) => i.id),
      ])
      const id = newId(start, taken)
      draft.edit((items) => sortItems([...items, { id, start, audioId: null, title: '' }]))
      requestAnimationFrame(() => {
        list.querySelector<HTMLInputElement>(`li[data-item-id="${id}"] .or-time`)?.focus()
      })
    }

    async function chooseAudio(id: string): Promise<void> {
      const item = draft.state.items.find((i) => i.id === id)
      if (!item) return
      const picked = await pickAudio(i18n, api, {
        current: item.audioId,
        columns: library.columns,
        allowEmpty: true,
        title: t('order.pickTitle', { time: clock(item.start) }),
      })
      if (!picked) return
      if (picked.recording) library.put(picked.recording)
      const patch: Partial<OrderItem> = { audioId: picked.audioId }
      // A recording in a column brings its column to an item that has none.
      if (!item.columnId && picked.recording?.columnId) patch.columnId = picked.recording.columnId
      draft.edit((items) => items.map((i) => (i.id === id ? { ...i, ...patch } : i)))
    }

    async function chooseZones(id: string): Promise<void> {
      const item = draft.state.items.find((i) => i.id === id)
      if (!item) return
      const tree = createZoneTree(i18n, {
        id: 'or-zone-tree',
        zones: store.zones,
        selected: item.zones ?? [],
      })
      const zones = await modal(i18n, {
        title: t('order.zonesTitle', { time: clock(item.start) }),
        body: [tree.el],
        ok: t('common.ok'),
        read: () => tree.value(),
      })
      if (zones === null) return
      draft.edit((items) => items.map((i) => (i.id === id ? { ...i, zones } : i)))
    }

    async function setMode(mode: EditMode): Promise<void> {
      if (mode === draft.state.mode) return
      if (mode === 'template' && draft.state.items.length > 0) {
        const ok = await confirmDialog(i18n, {
          title: t('order.dropTitle'),
          text: t('order.dropText', { n: draft.state.items.length }),
          ok: t('order.dropOk'),
          danger: true,
        })
        if (!ok) return
      }
      draft.setMode(mode)
    }

    const offs = [
      draft.on('change', render),
      library.on('change', render),
      store.on('nodes', (ids) => {
        if (ids === null) render()
      }),
      store.on('programme', (changes) => {
        if (!draft.clean) return
        const mine = changes.some((c) =>
          isDate
            ? (c.what === 'template' && draft.state.mode !== 'replace') ||
              ((c.what === 'day' || c.what === 'calendar') && c.dates.includes(target.date))
            : c.what === 'template',
        )
        if (mine) void draft.load()
      }),
      store.on('resync', () => {
        if (draft.clean) void draft.load()
      }),
    ]
    // Closing the tab within the moment before a change is saved asks first.
    const onLeave = (e: BeforeUnloadEvent) => {
      if (!draft.clean) e.preventDefault()
    }
    window.addEventListener('beforeunload', onLeave)
    render()
    void draft.load()
    void library.load().catch(() => {})

    return {
      el,
      destroy() {
        window.removeEventListener('beforeunload', onLeave)
        for (const off of offs) off()
        draft.destroy()
        library.destroy()
      },
    }
  }
}
