import { computed, nextTick, onBeforeUnmount, ref, shallowRef, watch } from 'vue'
import { useApp } from '../session'
import { createSaveGate, itemsForMode, type Mode } from './order-draft'
import {
  type Day,
  type Issue,
  type Item,
  sortItems,
  type Target,
  type Template,
  targetPath,
  toInput,
} from './orders'

/** Autosave: one PUT this long after the last change (typing a title is one save, not one a key). */
const AUTOSAVE_MS = 800

/**
 * The running order the editor works on: loads the target's order (a date's or a template),
 * saves it by itself shortly after the last change and at once on a mode change, one write per
 * change (order-draft.ts's SaveGate), and keeps the server's issues. `changed` tells the page
 * after each write.
 */
export function useOrderDraft(target: () => Target, changed: () => void) {
  const { api } = useApp()
  const day = shallowRef<Day | null>(null)
  const template = shallowRef<Template | null>(null)
  const items = ref<Item[]>([])
  const mode = ref<Mode>('template')
  const drill = ref(false)
  const issues = shallowRef<Issue[]>([])
  const state = ref<'idle' | 'pending' | 'saving' | 'saved'>('idle')
  const gate = createSaveGate()
  const draft = () => JSON.stringify([items.value, drill.value])
  const editable = computed(() => target().kind === 'template' || mode.value !== 'template')
  let timer: ReturnType<typeof setTimeout> | undefined
  let loading = false

  async function load(): Promise<void> {
    loading = true
    clearTimeout(timer)
    state.value = 'idle'
    try {
      const t = target()
      if (t.kind === 'template') {
        const tpl = await api.get<Template>(targetPath(t))
        template.value = tpl
        day.value = null
        items.value = sortItems(tpl.items)
        issues.value = tpl.issues
        gate.loaded(draft())
      } else {
        apply(await api.get<Day>(targetPath(t)))
      }
    } finally {
      await nextTick()
      loading = false
    }
  }

  /** A day the server answered (loaded, restored, deleted): it holds it already. */
  function apply(d: Day): void {
    // A save still pending (a change made before a restore or a deletion) must not write the old
    // items back over it.
    clearTimeout(timer)
    day.value = d
    template.value = null
    items.value = sortItems(d.items)
    mode.value = d.hasOwnOrder ? d.mode : 'template'
    drill.value = d.drill
    issues.value = d.issues
    gate.loaded(draft())
  }

  async function save(): Promise<void> {
    state.value = 'saving'
    const sent = draft()
    gate.sending(sent)
    const body = { items: items.value.map(toInput) }
    const t = target()
    try {
      if (t.kind === 'template') {
        const tpl = await api.put<Template>(targetPath(t), body)
        template.value = tpl
        issues.value = tpl.issues
      } else {
        const d = await api.put<Day>(targetPath(t), {
          ...body,
          mode: mode.value === 'add' ? 'add' : 'replace',
          drill: drill.value,
        })
        day.value = d
        issues.value = d.issues
      }
      gate.done(sent)
      if (state.value === 'saving') state.value = 'saved'
      changed()
    } catch {
      gate.failed(sent)
      state.value = 'idle' // the client has shown the server's message
    }
  }

  watch(
    [items, drill],
    () => {
      if (loading || !editable.value || !gate.needs(draft())) return
      state.value = 'pending'
      clearTimeout(timer)
      timer = setTimeout(() => {
        if (gate.needs(draft())) void save()
        else if (state.value === 'pending') state.value = 'saved'
      }, AUTOSAVE_MS)
    },
    { deep: true },
  )

  /** Follow the template (deletes the date's own order, see `remove`), replace it or add to it. */
  async function setMode(next: Mode, remove: () => Promise<void>): Promise<void> {
    if (next === 'template') {
      mode.value = day.value?.hasOwnOrder ? day.value.mode : 'template'
      await remove()
      return
    }
    const was = mode.value
    mode.value = next
    items.value = itemsForMode(was, next, items.value, day.value?.effective ?? [])
    clearTimeout(timer)
    // One write: the autosave this change triggers finds its draft sent.
    await save()
  }

  onBeforeUnmount(() => clearTimeout(timer))
  return { day, template, items, mode, drill, issues, state, editable, load, apply, setMode }
}
