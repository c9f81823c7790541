import { createEmitter } from '../emitter.js'
import type { ProgrammeApi } from '../programme-api.js'
import type {
  DayOrder,
  DayType,
  DayTypeInfo,
  Issue,
  OrderItem,
  Template,
} from '../programme-types.js'
import { mergeAdd, type Row, sortItems, toInput } from './order-model.js'

/** What the editor edits: a template, or one date. */
export type Target = { kind: 'template'; dayType: DayType } | { kind: 'date'; date: string }

/** A date follows its template, replaces it, or adds to it. */
export type EditMode = 'template' | 'replace' | 'add'

/** Where the draft stands against the server. */
export type SaveState = 'saved' | 'pending' | 'saving' | 'error'

/** How long after the last change the draft is saved (and so validated by the server). */
export const SAVE_DELAY_MS = 600

/**
 * The running order being edited, saved by itself shortly after each change. The server
 * validates on every save and answers with the issues (there is no validate-only endpoint), so
 * saving each change is how the editor shows validation as one edits. Only `DUPLICATE_ID` and
 * unknown audio/column/zone refuse a save; other issues are saved and shown, so a day can be
 * built step by step (docs/api.md). Answers are adopted only when no newer change was made.
 */
export function createDraft(api: ProgrammeApi, target: Target) {
  const events = createEmitter<{ change: [] }>()
  const state = {
    loaded: false,
    loadError: null as string | null,
    /** The editable items: the template's, or the date's own. */
    items: [] as OrderItem[],
    /** A date's template items (shown in template and add modes). */
    templateItems: [] as OrderItem[],
    mode: (target.kind === 'template' ? 'replace' : 'template') as EditMode,
    drill: false,
    targetCount: 0,
    dayType: null as DayTypeInfo | null,
    issues: [] as Issue[],
    save: 'saved' as SaveState,
    saveError: null as unknown,
    savedAt: null as number | null,
  }
  let version = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let inflight = false
  let again = false
  let loadSeq = 0
  let destroyed = false
  const emit = () => events.emit('change')

  function adoptTemplate(t: Template): void {
    state.items = sortItems(t.items)
    state.targetCount = t.targetCount
    state.issues = t.issues
  }

  function adoptDay(d: DayOrder): void {
    state.items = d.hasOwnOrder ? sortItems(d.items) : []
    state.mode = d.hasOwnOrder ? d.mode : 'template'
    state.drill = d.drill
    state.dayType = d.dayType
    state.targetCount = d.targetCount
    state.issues = d.issues
  }

  async function load(): Promise<void> {
    const mine = ++loadSeq
    const at = version
    try {
      if (target.kind === 'template') {
        const t = await api.template(target.dayType)
        if (mine !== loadSeq || destroyed) return
        // A change made meanwhile wins; its save answers with the issues.
        if (at === version) adoptTemplate(t)
      } else {
        const d = await api.day(target.date)
        const tpl = await api.template(d.dayType.type)
        if (mine !== loadSeq || destroyed) return
        // The template is not edited here: always take it, and the day type.
        state.templateItems = sortItems(tpl.items)
        state.dayType = d.dayType
        if (at === version) adoptDay(d)
      }
      state.loaded = true
      state.loadError = null
    } catch (err) {
      if (mine !== loadSeq || destroyed) return
      state.loadError = err instanceof Error ? err.message : String(err)
    }
    emit()
  }

  async function save(): Promise<void> {
    clearTimeout(timer)
    timer = undefined
    if (inflight) {
      again = true
      return
    }
    inflight = true
    const sent = version
    state.save = 'saving'
    emit()
    try {
      if (target.kind === 'template') {
        const t = await api.putTemplate(target.dayType, {
          items: state.items.map(toInput),
          targetCount: state.targetCount,
        })
        if (sent === version) adoptTemplate(t)
      } else {
        const d =
          state.mode === 'template'
            ? await api.deleteDay(target.date)
            : await api.putDay(target.date, {
                items: state.items.map(toInput),
                mode: state.mode,
                drill: state.drill,
              })
        if (sent === version) adoptDay(d)
      }
      state.save = sent === version ? 'saved' : 'pending'
      state.saveError = null
      state.savedAt = Date.now()
    } catch (err) {
      state.save = 'error'
      state.saveError = err
    } finally {
      inflight = false
    }
    if (again || (state.save === 'pending' && timer === undefined)) {
      again = false
      // A page being left saves what is still pending at once.
      if (destroyed) void save()
      else timer = setTimeout(() => void save(), SAVE_DELAY_MS)
    }
    emit()
  }

  function touch(): void {
    version++
    state.save = 'pending'
    clearTimeout(timer)
    timer = setTimeout(() => void save(), SAVE_DELAY_MS)
    emit()
  }

  return {
    on: events.on,
    state: state as Readonly<typeof state>,
    load,
    /** Whether every change is on the server (nothing pending, saving or failed). */
    get clean(): boolean {
      return state.save === 'saved'
    },
    /** The rows the page shows, in played order. */
    rows(): Row[] {
      if (target.kind === 'template' || state.mode === 'replace') {
        return state.items.map((item) => ({ item, origin: 'date' }))
      }
      if (state.mode === 'template') {
        return state.templateItems.map((item) => ({ item, origin: 'template' }))
      }
      return mergeAdd(state.templateItems, state.items)
    },
    /** Changes the editable items (then saves shortly after). */
    edit(fn: (items: OrderItem[]) => OrderItem[]): void {
      state.items = fn([...state.items])
      touch()
    },
    /** A date follows its template, replaces it (starting from a copy), or adds to it. */
    setMode(mode: EditMode): void {
      if (target.kind === 'template' || mode === state.mode) return
      if (mode === 'replace' && state.mode === 'template') state.items = [...state.templateItems]
      if (mode === 'template') {
        state.items = []
        state.drill = false
      }
      state.mode = mode
      touch()
    },
    setDrill(drill: boolean): void {
      state.drill = drill
      touch()
    },
    setTargetCount(n: number): void {
      state.targetCount = n
      touch()
    },
    /** Saves now (a retry, or leaving the page). */
    flush: () => save(),
    destroy(): void {
      destroyed = true
      if (timer !== undefined) void save()
      clearTimeout(timer)
    },
  }
}

/** A draft. */
export type Draft = ReturnType<typeof createDraft>
