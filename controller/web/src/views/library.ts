import { createEmitter } from '../emitter.js'
import type { ProgrammeApi } from '../programme-api.js'
import type { Column, Recording } from '../programme-types.js'
import type { Store } from '../store.js'

const LIMIT = 1000

/**
 * The columns and the recordings a page refers to, by id, kept fresh from the stream (`audio`
 * and `programme` column events). Recordings beyond the newest 1000 are fetched one by one
 * when a page asks for them.
 */
export function createLibrary(api: ProgrammeApi, store: Store) {
  const events = createEmitter<{ change: [] }>()
  const recordings = new Map<string, Recording>()
  let columns: Column[] = []
  const asked = new Set<string>()
  let loaded = false

  async function loadAll(): Promise<void> {
    const [list, cols] = await Promise.all([api.audio({ limit: LIMIT }), api.columns()])
    recordings.clear()
    for (const r of list) recordings.set(r.id, r)
    columns = cols
    loaded = true
    events.emit('change')
  }

  async function loadColumns(): Promise<void> {
    columns = await api.columns()
    events.emit('change')
  }

  const offs = [
    store.on('audio', () => void loadAll().catch(() => {})),
    store.on('programme', (changes) => {
      if (changes.some((c) => c.what === 'column')) void loadColumns().catch(() => {})
    }),
    store.on('resync', () => void loadAll().catch(() => {})),
  ]

  return {
    on: events.on,
    load: loadAll,
    get loaded(): boolean {
      return loaded
    },
    get columns(): readonly Column[] {
      return columns
    },
    column(id: string | null | undefined): Column | undefined {
      return id ? columns.find((c) => c.id === id) : undefined
    },
    /** A recording by id; unknown ones are fetched once and announced by `change`. */
    recording(id: string | null): Recording | undefined {
      if (!id) return undefined
      const r = recordings.get(id)
      if (!r && loaded && !asked.has(id)) {
        asked.add(id)
        api
          .audioOne(id)
          .then((one) => {
            recordings.set(one.id, one)
            events.emit('change')
          })
          .catch(() => {})
      }
      return r
    },
    /** Adds or replaces one recording (an upload or an edit made on this page). */
    put(r: Recording): void {
      recordings.set(r.id, r)
      events.emit('change')
    },
    destroy(): void {
      for (const off of offs) off()
    },
  }
}

/** The library of a page. */
export type Library = ReturnType<typeof createLibrary>
