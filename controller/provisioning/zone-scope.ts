/**
 * @module zone-scope
 * The zone tree as a user limited to zones may see it (分级管理): their own subtrees in full, and
 * the zones above them only as the path to where they are (id, name, code, parent and depth,
 * marked `ancestor`, without speaker counts), so the UI can say 城北区 › 二十里铺镇. Sibling
 * zones and everything below them are left out.
 */
import type { ZoneView } from './zones.js'

/** A zone of the list: in reach with its counts, or an ancestor on the path to one. */
export type ZoneEntry = ZoneView | (Omit<ZoneView, 'nodeCount' | 'totalNodes'> & { ancestor: true })

/** The entries of `zones` (the tree in display order) that `reach` allows, with their path. */
export function zonesWithin(
  zones: readonly ZoneView[],
  reach: (zoneId: string) => boolean,
): ZoneEntry[] {
  const byId = new Map(zones.map((z) => [z.id, z]))
  const onPath = new Set<string>()
  for (const z of zones) {
    if (!reach(z.id)) continue
    let parent = z.parentId === null ? undefined : byId.get(z.parentId)
    while (parent && !reach(parent.id) && !onPath.has(parent.id)) {
      onPath.add(parent.id)
      parent = parent.parentId === null ? undefined : byId.get(parent.parentId)
    }
  }
  return zones.flatMap((z): ZoneEntry[] => {
    if (reach(z.id)) return [z]
    if (!onPath.has(z.id)) return []
    const { nodeCount: _n, totalNodes: _t, ...path } = z
    return [{ ...path, ancestor: true }]
  })
}
