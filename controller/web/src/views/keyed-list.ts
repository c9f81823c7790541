/** A rendered row: its element and how to bring it up to date with a newer item. */
export interface Row<T> {
  el: HTMLElement
  update(item: T): void
}

/**
 * Renders a list of items into `container` by key: a row is created once per key, updated only
 * when its item object changed, and the children are re-ordered only when the order changed.
 * With 10,000 nodes an SSE message therefore touches only the rows it changed.
 */
export function createKeyedList<T>(opts: {
  container: HTMLElement
  key: (item: T) => string
  create: (item: T) => Row<T>
}) {
  let rows = new Map<string, { row: Row<T>; item: T }>()
  let order: string[] = []

  return {
    render(items: readonly T[]): void {
      const next = new Map<string, { row: Row<T>; item: T }>()
      const keys: string[] = []
      for (const item of items) {
        const k = opts.key(item)
        let entry = rows.get(k)
        if (!entry) {
          const row = opts.create(item)
          row.update(item)
          entry = { row, item }
        } else if (entry.item !== item) {
          entry.row.update(item)
          entry.item = item
        }
        next.set(k, entry)
        keys.push(k)
      }
      rows = next
      if (keys.length !== order.length || keys.some((k, i) => k !== order[i])) {
        opts.container.replaceChildren(...keys.map((k) => next.get(k)?.row.el as HTMLElement))
        order = keys
      }
    },
    /** Updates every rendered row again (relative times, names looked up elsewhere). */
    refresh(): void {
      for (const { row, item } of rows.values()) row.update(item)
    },
    get size(): number {
      return order.length
    },
  }
}
