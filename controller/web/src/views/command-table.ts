import { h, setAttr, setText } from '../dom.js'
import { shortDateTime } from '../format.js'
import type { I18n } from '../i18n.js'
import type { Command, CommandStatus } from '../types.js'
import { kindText, resultText, statusText } from './command-text.js'
import { createKeyedList } from './keyed-list.js'
import { nodeHref } from './node-row.js'

/** A command status badge: colour, a symbol and the word. */
export function createStatusBadge(i18n: I18n) {
  const el = h('span', { class: 'badge cmd' })
  return {
    el,
    update(status: CommandStatus): void {
      setAttr(el, 'class', `badge cmd cmd-${status}`)
      setText(el, statusText(i18n, status))
    },
  }
}

/** Newest first. */
function byIssued(a: Command, b: Command): number {
  return a.issuedAt < b.issuedAt ? 1 : a.issuedAt > b.issuedAt ? -1 : a.id < b.id ? -1 : 1
}

/**
 * A live table of commands: one row per command id, updated in place as acknowledgements
 * arrive. With `nodeName` it has a node column (a zone batch); without, the kind comes first.
 */
export function createCommandTable(
  i18n: I18n,
  opts: { tz: () => string; nodeName?: (id: string) => string; caption: string },
) {
  const t = i18n.t
  const byId = new Map<string, Command>()
  const tbody = h('tbody')
  const cols = opts.nodeName
    ? [t('cmd.col.node'), t('cmd.col.status'), t('cmd.col.result')]
    : [t('cmd.col.kind'), t('cmd.col.issued'), t('cmd.col.status'), t('cmd.col.result')]
  const table = h(
    'table',
    { class: 'grid cmd-table' },
    h('caption', { class: 'sr-only' }, opts.caption),
    h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', { scope: 'col' }, c)))),
    tbody,
  )
  const list = createKeyedList<Command>({
    container: tbody,
    key: (c) => c.id,
    create: () => {
      const lead = opts.nodeName ? h('a') : h('span')
      const issued = h('time')
      const status = createStatusBadge(i18n)
      const result = h('span', { class: 'cmd-result' })
      const first = opts.nodeName
        ? h('th', { scope: 'row', class: 'cell-name' }, lead)
        : h('th', { scope: 'row', class: 'cell-kind' }, lead)
      const cells = [first]
      if (!opts.nodeName) cells.push(h('td', { 'data-label': cols[1] }, issued))
      const statusLabel = opts.nodeName ? cols[1] : cols[2]
      const resultLabel = opts.nodeName ? cols[2] : cols[3]
      cells.push(h('td', { class: 'cell-status', 'data-label': statusLabel }, status.el))
      cells.push(h('td', { class: 'cell-result', 'data-label': resultLabel }, result))
      const el = h('tr', {}, ...cells)
      return {
        el,
        update(c) {
          setAttr(el, 'data-command-id', c.id)
          setAttr(el, 'data-kind', c.kind)
          setAttr(el, 'data-status', c.status)
          if (opts.nodeName) {
            setText(lead, opts.nodeName(c.nodeId))
            setAttr(lead, 'href', nodeHref(c.nodeId))
          } else {
            setText(lead, kindText(i18n, c.kind))
          }
          setText(issued, shortDateTime(c.issuedAt, opts.tz(), i18n.locale()))
          setAttr(issued, 'datetime', c.issuedAt)
          status.update(c.status)
          setText(result, resultText(i18n, c))
        },
      }
    },
  })

  function render(): void {
    const all = [...byId.values()].sort(byIssued)
    list.render(all)
    table.hidden = all.length === 0
  }

  return {
    el: table,
    /** Replaces every command (a fresh GET). */
    set(commands: readonly Command[]): void {
      byId.clear()
      for (const c of commands) byId.set(c.id, c)
      render()
    },
    /** Adds or updates commands; a settled command is never taken back to pending. */
    merge(commands: readonly Command[]): void {
      let changed = false
      for (const c of commands) {
        const old = byId.get(c.id)
        if (old && old.status !== 'pending' && c.status === 'pending') continue
        byId.set(c.id, c)
        changed = true
      }
      if (changed) render()
    },
    get all(): Command[] {
      return [...byId.values()]
    },
    /** Rows show node names: update them after the node list changed. */
    refresh: () => list.refresh(),
  }
}
