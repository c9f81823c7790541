import { computed, shallowRef } from 'vue'
import type { Zone } from '../api/types'
import { useApp } from '../session'

/** A zone as a tree node for Element Plus (el-tree-select, el-tree, el-cascader). */
export interface ZoneNode {
  value: string
  label: string
  children: ZoneNode[]
  /** A zone above a zone-limited user's own (listed as their path): not theirs to choose. */
  disabled?: true
}

/** The zone list as a tree, children sorted by name (zh collation). */
export function zoneTree(zones: readonly Zone[]): ZoneNode[] {
  const nodes = new Map(
    zones.map((z): [string, ZoneNode] => [
      z.id,
      { value: z.id, label: z.name, children: [], ...(z.ancestor ? { disabled: true } : {}) },
    ]),
  )
  const roots: ZoneNode[] = []
  for (const z of zones) {
    const node = nodes.get(z.id) as ZoneNode
    const parent = z.parentId ? nodes.get(z.parentId) : undefined
    ;(parent ? parent.children : roots).push(node)
  }
  const collator = new Intl.Collator('zh-CN')
  const sort = (list: ZoneNode[]) => {
    list.sort((a, b) => collator.compare(a.label, b.label))
    for (const n of list) sort(n.children)
  }
  sort(roots)
  return roots
}

/**
 * The district's zones (loaded once per page), their names and their tree. Quiet: a user who
 * may not read zones sees ids instead of names, without an error toast.
 */
export function useZones() {
  const { api } = useApp()
  const zones = shallowRef<Zone[]>([])
  const ready = api
    .get<Zone[]>('api/zones', { quiet: true })
    .then((list) => {
      zones.value = list
    })
    .catch(() => undefined)
  const byId = computed(() => new Map(zones.value.map((z) => [z.id, z])))
  return {
    zones,
    ready,
    tree: computed(() => zoneTree(zones.value)),
    name: (id: string) => byId.value.get(id)?.name ?? id,
  }
}
