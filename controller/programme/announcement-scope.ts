import { type AnnouncementView, countsOf } from './announcements.js'

/** Whether a zone lies inside a scope (the zone or one of its ancestors is in it). */
export type InScope = (scope: readonly string[], zoneId: string) => boolean

/**
 * An announcement as a user limited to zones (分级管理) sees it, or null when it reaches none of
 * their zones. A district-wide one (no zones) and one aimed at a zone above theirs reach their
 * nodes, so they see it (read-only: cancelling stays refused). The per-node results and figures
 * are narrowed to the nodes inside their zones. A scope of [] (not limited) sees it whole.
 */
export function announcementFor(
  a: AnnouncementView,
  scope: readonly string[],
  inScope: InScope,
): AnnouncementView | null {
  if (scope.length === 0) return a
  const reaches =
    a.zones.length === 0 ||
    a.zones.some((z) => inScope(scope, z) || scope.some((s) => inScope([z], s)))
  if (!reaches) return null
  const nodes = a.nodes.filter((n) => inScope(scope, n.zoneId))
  return { ...a, nodes, counts: countsOf(nodes) }
}
