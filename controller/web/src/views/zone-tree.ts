import { h, setText } from '../dom.js'
import type { I18n } from '../i18n.js'
import type { Zone } from '../types.js'
import { zoneSubtree, zoneTree } from './node-filter.js'

/** "全区" for no zones, else the zones' names. */
export function zonesText(
  i18n: I18n,
  ids: readonly string[] | undefined,
  zoneOf: (id: string) => Zone | undefined,
): string {
  if (!ids || ids.length === 0) return i18n.t('zones.all')
  return ids.map((id) => zoneOf(id)?.name ?? id).join(i18n.t('common.listSep'))
}

/**
 * A multi-select over the zone tree: a checkbox per zone, indented by depth. Checking a zone
 * covers everything below it (shown checked and disabled), since targeting a zone reaches its
 * subtree; `value()` returns only the top-most chosen zones. Nothing chosen is the district.
 */
export function createZoneTree(
  i18n: I18n,
  opts: { id: string; zones: readonly Zone[]; selected: readonly string[]; onChange?: () => void },
) {
  const t = i18n.t
  const boxes = new Map<string, HTMLInputElement>()
  const summary = h('p', { class: 'zt-summary', 'aria-live': 'polite' })
  const clear = h('button', { type: 'button', class: 'button small' }, t('zones.clear'))
  const list = h('div', { class: 'zt-list', role: 'group', 'aria-label': t('zones.label') })
  const el = h(
    'div',
    { class: 'zone-tree', id: opts.id },
    h('div', { class: 'zt-head' }, summary, clear),
    list,
  )
  let zones: readonly Zone[] = []

  function chosen(): string[] {
    return [...boxes].filter(([, b]) => b.checked && !b.disabled).map(([id]) => id)
  }

  function sync(): void {
    const top = chosen()
    const covered = new Set<string>()
    for (const id of top)
      for (const below of zoneSubtree(zones, id)) if (below !== id) covered.add(below)
    for (const [id, b] of boxes) {
      b.disabled = covered.has(id)
      if (b.disabled) b.checked = true
    }
    const names = top.map((id) => zones.find((z) => z.id === id)?.name ?? id)
    setText(
      summary,
      top.length === 0
        ? t('zones.summaryAll')
        : t('zones.summary', { names: names.join(t('common.listSep')), n: top.length }),
    )
    clear.hidden = top.length === 0
  }

  function fill(next: readonly Zone[], selected: readonly string[]): void {
    zones = next
    boxes.clear()
    const rows = zoneTree(next).map(({ zone, depth }) => {
      const box = h('input', { type: 'checkbox', value: zone.id, 'data-zone-id': zone.id })
      box.checked = selected.includes(zone.id)
      box.addEventListener('change', () => {
        // Unchecking a zone frees the zones it covered.
        if (!box.checked) for (const id of zoneSubtree(zones, zone.id)) uncheck(id)
        sync()
        opts.onChange?.()
      })
      boxes.set(zone.id, box)
      const row = h('label', { class: 'zt-row' }, box, h('span', {}, zone.name))
      row.style.paddingInlineStart = `${8 + depth * 20}px`
      if (zone.code) row.append(h('span', { class: 'zt-code' }, zone.code))
      return row
    })
    list.replaceChildren(
      ...(rows.length > 0 ? rows : [h('p', { class: 'panel-note' }, t('zones.none'))]),
    )
    sync()
  }

  function uncheck(id: string): void {
    const b = boxes.get(id)
    if (b) {
      b.checked = false
      b.disabled = false
    }
  }

  clear.addEventListener('click', () => {
    for (const id of boxes.keys()) uncheck(id)
    sync()
    opts.onChange?.()
  })
  fill(opts.zones, opts.selected)

  return {
    el,
    /** The top-most chosen zones; empty: the whole district. */
    value: chosen,
    /** Refills the tree (zones loaded or changed), keeping the choice. */
    setZones(next: readonly Zone[]): void {
      if (next.length !== zones.length) fill(next, chosen())
    },
    reset(): void {
      for (const id of boxes.keys()) uncheck(id)
      sync()
    },
  }
}
