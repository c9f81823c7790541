import { dateTimeOf } from '../format.js'
import type { I18n, MessageKey } from '../i18n.js'
import type { Store } from '../store.js'
import type { Alert, Severity } from '../types.js'
import { reasonText } from './play-text.js'
import { degradedCodeText, degradedLine } from './state-text.js'

/** Severities, most severe first. */
export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info']

/** Alert kinds the UI knows. */
export const ALERT_KINDS = [
  'nodeOffline',
  'zoneOffline',
  'nodeDegraded',
  'nodeFlapping',
  'playFailed',
  'incident',
] as const

const INCIDENT_CAUSES = ['broker-restart', 'zone-outage', 'mass-disconnect']

/** "严重" / "Critical". */
export function severityText(i18n: I18n, s: Severity): string {
  return i18n.t(`severity.${s}`)
}

/** "节点离线" / "Node offline": the rule's name. */
export function alertKindText(i18n: I18n, kind: string): string {
  return (ALERT_KINDS as readonly string[]).includes(kind)
    ? i18n.t(`alertKind.${kind}` as MessageKey)
    : kind
}

/** "消息代理重启" / "Broker restart". */
export function incidentCauseText(i18n: I18n, cause: string): string {
  return INCIDENT_CAUSES.includes(cause) ? i18n.t(`cause.${cause}` as MessageKey) : cause
}

/** The alert in words, built from its kind and params; the server's English is the fallback. */
export function alertText(i18n: I18n, store: Store, a: Alert): string {
  const t = i18n.t
  const p = a.params ?? {}
  const node = a.nodeId ? store.nodes.get(a.nodeId) : undefined
  const nodeName = node?.name ?? a.nodeId ?? ''
  const zoneName = store.zone(a.zoneId)?.name ?? a.zoneId ?? ''
  const n = (v: unknown) => (typeof v === 'number' ? v : Number.NaN)
  switch (a.kind) {
    case 'nodeOffline': {
      const since = typeof p.since === 'string' && p.since ? p.since : null
      return since
        ? t('alert.nodeOfflineSince', {
            node: nodeName,
            time: dateTimeOf(since, store.tz, i18n.locale()),
          })
        : t('alert.nodeOffline', { node: nodeName })
    }
    case 'zoneOffline':
      if (Number.isNaN(n(p.offline)) || Number.isNaN(n(p.total))) break
      return t('alert.zoneOffline', { zone: zoneName, offline: n(p.offline), total: n(p.total) })
    case 'nodeDegraded': {
      // The node's current reasons in full while it is still degraded; else the codes.
      const why =
        !a.resolvedAt && node?.state === 'degraded' && node.degradedReasons.length > 0
          ? degradedLine(i18n, node.degradedReasons)
          : String(p.reasons ?? '')
              .split(',')
              .filter(Boolean)
              .map((c) => degradedCodeText(i18n, c))
              .join(t('common.listSep'))
      return t('alert.nodeDegraded', { node: nodeName, why: why || t('common.none') })
    }
    case 'nodeFlapping':
      return t('alert.nodeFlapping', { node: nodeName })
    case 'playFailed':
      if (Number.isNaN(n(p.count))) break
      return t('alert.playFailed', {
        node: nodeName,
        count: n(p.count),
        reason: reasonText(i18n, String(p.reason || '') || null),
      })
    case 'incident': {
      if (Number.isNaN(n(p.nodes))) break
      const cause = incidentCauseText(i18n, String(p.cause ?? ''))
      return zoneName
        ? t('alert.incidentZone', { n: n(p.nodes), cause, zone: zoneName })
        : t('alert.incident', { n: n(p.nodes), cause })
    }
  }
  return a.message
}

/** Open alerts counted by severity. */
export function countBySeverity(alerts: Iterable<Alert>): Record<Severity, number> {
  const c: Record<Severity, number> = { critical: 0, warning: 0, info: 0 }
  for (const a of alerts) if (a.severity in c) c[a.severity]++
  return c
}
