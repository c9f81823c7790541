import { type ComputedRef, computed, type Ref } from 'vue'
import type { ZoneNode } from '../composables/useZones'
import { scopeTree } from './orders'

/** The district in a zone selector (an empty value would read as no choice). */
const DISTRICT = '-'

/**
 * The "which level" selector of the running-order and calendar pages: `zone` ('' = the district)
 * as the selector's value, and the options a user may pick (a user limited to zones gets only
 * their subtrees, everyone else the district above the whole tree).
 */
export function useZonePick(opts: {
  zone: Ref<string>
  scope: ComputedRef<readonly string[]>
  tree: ComputedRef<ZoneNode[]>
  districtLabel: () => string
}) {
  const pick = computed({
    get: () => opts.zone.value || DISTRICT,
    set: (v: string) => {
      opts.zone.value = v === DISTRICT ? '' : v
    },
  })
  const options = computed(() => {
    const tree = scopeTree(opts.tree.value, opts.scope.value)
    return opts.scope.value.length
      ? tree
      : [{ value: DISTRICT, label: opts.districtLabel(), children: tree }]
  })
  return { pick, options }
}
