import { h, select } from '../dom.js'
import type { I18n } from '../i18n.js'
import type { Zone } from '../types.js'
import { zoneTree } from './node-filter.js'

/**
 * The zone filter: "all zones" and the tree, indented. `fill` refreshes the options when the
 * zone list changed and keeps the chosen zone (or falls back to all).
 */
export function createZoneSelect(i18n: I18n, id: string, value: string) {
  const field = select(id, i18n.t('filter.zone'), [], value)
  let shown = -1
  return {
    wrap: field.wrap,
    input: field.input,
    fill(zones: readonly Zone[], chosen: string): void {
      if (shown === zones.length) return
      shown = zones.length
      const options = [h('option', { value: '' }, i18n.t('filter.zoneAll'))]
      for (const { zone, depth } of zoneTree(zones)) {
        options.push(h('option', { value: zone.id }, `${'\u3000'.repeat(depth)}${zone.name}`))
      }
      field.input.replaceChildren(...options)
      field.input.value = chosen
      if (field.input.value !== chosen) field.input.value = ''
    },
  }
}
