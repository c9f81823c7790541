/**
 * @module day-scope
 * A date's proof of play as a user limited to zones may see it (分级管理): only the nodes in
 * their zones, the totals of those nodes, and only the zones they reach (a parent zone would
 * otherwise show a part of itself as if it were the whole).
 */
import { dayTotals, type NodeReport, type ReportNode } from './report-day.js'

/** The date's nodes, reports and totals within the zones `reach` accepts. */
export function withinZones(
  day: { nodes: readonly ReportNode[]; reports: readonly NodeReport[] },
  reach: (zoneId: string) => boolean,
) {
  const nodes = day.nodes.filter((n) => reach(n.zoneId))
  const reports = day.reports.filter((r) => reach(r.zoneId))
  const t = dayTotals(reports, nodes)
  const byZone = new Map([...t.byZone].filter(([zoneId]) => reach(zoneId)))
  return { ...t, nodes, reports, byZone }
}
