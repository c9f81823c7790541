/** A tiny typed event emitter for the browser (node:events is not available there). */
export interface Emitter<E extends Record<string, unknown[]>> {
  on<K extends keyof E>(event: K, fn: (...args: E[K]) => void): () => void
  emit<K extends keyof E>(event: K, ...args: E[K]): void
}

type Listener = (...args: unknown[]) => void

/** Creates an emitter; `on()` returns its own unsubscribe function. */
export function createEmitter<E extends Record<string, unknown[]>>(): Emitter<E> {
  const listeners = new Map<keyof E, Set<Listener>>()
  return {
    on(event, fn) {
      let set = listeners.get(event)
      if (!set) {
        set = new Set()
        listeners.set(event, set)
      }
      const listener = fn as unknown as Listener
      set.add(listener)
      return () => {
        set.delete(listener)
      }
    },
    emit(event, ...args) {
      for (const fn of listeners.get(event) ?? []) fn(...args)
    },
  }
}
