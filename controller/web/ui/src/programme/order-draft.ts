import { type EffectiveItem, type Item, sortItems } from './orders'

// The running-order editor's saving rules (issue 11), pure: when the autosave writes, and what a
// date's items become when its mode changes. The component (useOrderDraft) wires them to the API
// and a timer; order-draft.test.ts tests them.

/** How a date's order relates to its template. */
export type Mode = 'template' | 'replace' | 'add'

/**
 * Which drafts need a write. A draft is a snapshot (items and drill as JSON). The server will
 * hold the one being written if a write is under way, else the one last loaded or saved; a draft
 * equal to that is not written again. So an explicit save (a mode change) followed by the
 * autosave that the same change triggers is one write, and a change back to what the server
 * holds while a write is under way is written (the server would otherwise keep the newer one).
 */
export interface SaveGate {
  /** Whether `draft` needs a write. */
  needs(draft: string): boolean
  /** What the server holds, as loaded (a write still under way is forgotten). */
  loaded(draft: string): void
  /** A write of `draft` starts. */
  sending(draft: string): void
  /** The write of `draft` was answered: the server holds it. */
  done(draft: string): void
  /** The write of `draft` failed: the server holds what it held. */
  failed(draft: string): void
}

export function createSaveGate(): SaveGate {
  let held = ''
  let inFlight: string | null = null
  return {
    needs: (draft) => draft !== (inFlight ?? held),
    loaded(draft) {
      held = draft
      inFlight = null
    },
    sending(draft) {
      inFlight = draft
    },
    done(draft) {
      held = draft
      // An older write answered after a newer one started: the newer one is still coming.
      if (inFlight === draft) inFlight = null
    },
    failed(draft) {
      if (inFlight === draft) inFlight = null
    },
  }
}

/**
 * The items a date holds after its mode changes from `was` to `next`: replacing the template
 * starts from a copy of what the day plays, adding to it starts empty, and a change between
 * replacing and adding keeps the date's own items.
 */
export function itemsForMode(
  was: Mode,
  next: Mode,
  current: readonly Item[],
  effective: readonly EffectiveItem[],
): Item[] {
  if (was !== 'template' || next === 'template') return [...current]
  if (next === 'replace') return sortItems(effective.map(({ origin: _o, ...i }) => i))
  return []
}
