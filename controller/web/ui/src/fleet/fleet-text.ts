import type { Alert, Command, Node } from './types'

// The fleet pages' words (no Vue): durations, states and their reasons, transitions, commands'
// results and alerts, built from codes and params; the server's English only as a fallback.

/** A translate function (vue-i18n's `t`). */
export type T = (key: string, params?: Record<string, unknown>) => string

/** "3 小时 5 分钟": a duration in its two largest units. */
export function durationText(t: T, sec: number): string {
  const s = Math.max(0, Math.floor(sec))
  const d = Math.floor(s / 86_400)
  const h = Math.floor((s % 86_400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  if (d > 0)
    return [t('time.days', { n: d }), h > 0 ? t('time.hours', { n: h }) : ''].join(' ').trim()
  if (h > 0)
    return [t('time.hours', { n: h }), m > 0 ? t('time.minutes', { n: m }) : ''].join(' ').trim()
  if (m > 0) return t('time.minutes', { n: m })
  return t('time.seconds', { n: s })
}

/**
 * A formatter of instants as `Date#toLocaleString(locale, { hour12: false })` writes them, made
 * once: toLocaleString builds a new formatter per call, which a table of 100 rows pays 200 times
 * a render (issue 9: the nodes page's first render).
 */
export function localTimeFormat(locale: string): (iso: string) => string {
  const f = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    hour12: false,
  })
  return (iso) => f.format(new Date(iso))
}

/** "刚刚", "3 分钟前": how long ago; `never` when there is no time. */
export function agoText(t: T, iso: string | null, now: number): string {
  if (!iso) return t('time.never')
  const sec = (now - Date.parse(iso)) / 1000
  if (!Number.isFinite(sec)) return iso
  if (sec < 10) return t('time.justNow')
  if (sec < 60) return t('time.secondsAgo', { n: Math.floor(sec) })
  if (sec < 3600) return t('time.minutesAgo', { n: Math.floor(sec / 60) })
  if (sec < 86_400) return t('time.hoursAgo', { n: Math.floor(sec / 3600) })
  return t('time.daysAgo', { n: Math.floor(sec / 86_400) })
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const secs = (ms: number) => (Math.round(ms / 100) / 10).toString()

/** A degraded reason in words, from its code and params; the server's English as a fallback. */
export function degradedText(t: T, r: Node['degradedReasons'][number]): string {
  const p = r.params ?? {}
  switch (r.code) {
    case 'clock': {
      const ms = num(p.offsetMs)
      if (ms !== null) return t('fleet.degraded.clock', { s: secs(Math.abs(ms)) })
      const pm = num(p.uncertaintyMs)
      if (pm !== null) return t('fleet.degraded.clockUncertain', { ms: pm })
      break
    }
    case 'disk': {
      const mb = num(p.freeMb)
      if (mb !== null) return t('fleet.degraded.disk', { mb })
      break
    }
    case 'refused':
      return t(p.channel === 'cmd' ? 'fleet.degraded.refusedCmd' : 'fleet.degraded.refusedPlan', {
        id: String(p.id || '—'),
        reason: String(p.reason || ''),
      })
    case 'audio':
      return t(p.state === 'missing' ? 'fleet.degraded.audioMissing' : 'fleet.degraded.audioError')
    case 'plays': {
      const count = num(p.count)
      if (count !== null)
        return t('fleet.degraded.plays', { count, reason: reasonText(t, String(p.reason || '')) })
      break
    }
    case 'late': {
      const ms = num(p.medianMs)
      if (ms !== null) return t('fleet.degraded.late', { s: secs(ms) })
      break
    }
    case 'plan': {
      const minutes = num(p.minutes)
      if (minutes !== null) return t('fleet.degraded.plan', { minutes })
      break
    }
  }
  return r.message || r.code
}

const REASONS = [
  'checksum',
  'download',
  'decode',
  'late',
  'sink',
  'interrupted',
  'missing',
  'down',
  'offline',
  'no-audio',
]

/** Why a play failed, in words ("下载失败"). */
export function reasonText(t: T, reason: string | null): string {
  if (!reason) return t('fleet.reason.unknown')
  return REASONS.includes(reason) ? t(`fleet.reason.${reason}`) : reason
}

/** Under the state: why a node is degraded, or how long it has been offline. */
export function stateDetail(t: T, n: Node, now: number): string {
  if (n.retiredAt) return ''
  if (n.state === 'degraded' && n.degradedReasons.length > 0) {
    return n.degradedReasons.map((r) => degradedText(t, r)).join(t('common.listSep'))
  }
  if (n.offlineSince && !n.online) {
    const sec = (now - Date.parse(n.offlineSince)) / 1000
    if (sec >= 0) return t('fleet.state.offlineFor', { d: durationText(t, sec) })
  }
  if (n.state === 'flapping') return t('fleet.state.flappingDetail')
  return ''
}

const TRANSITIONS = [
  'birth',
  'rebirth',
  'will',
  'shutdown',
  'closed',
  'keepalive',
  'kicked',
  'broker-restart',
  'no-rebirth',
  'error',
  'broker-stop',
]

/** Why a node went online or offline ("心跳超时"); unknown reasons as sent. */
export function transitionText(t: T, reason: string): string {
  return TRANSITIONS.includes(reason) ? t(`fleet.transition.${reason}`) : reason
}

/** The ping's round trip: the agent's figure, else from the acknowledgement's time. */
export function rttOf(c: Command): number | null {
  const rtt = num(c.result?.rttMs)
  if (rtt !== null) return rtt
  if (c.kind !== 'ping' || c.status !== 'ok' || !c.ackedAt) return null
  const ms = Date.parse(c.ackedAt) - Date.parse(c.issuedAt)
  return Number.isNaN(ms) ? null : ms
}

/** What came back: "往返 12 毫秒", "音量已设为 40", an error, or what the command asked for. */
export function commandResult(t: T, c: Command): string {
  if (c.status === 'error') return c.error ?? t('fleet.cmd.failed')
  if (c.status === 'expired') return t('fleet.cmd.expiredDetail')
  const volume = num(c.result?.volume) ?? num(c.params?.volume)
  const seconds = num(c.result?.seconds) ?? num(c.params?.seconds)
  if (c.status === 'pending')
    return c.kind === 'setVolume' && volume !== null ? t('fleet.cmd.askedVolume', { volume }) : ''
  switch (c.kind) {
    case 'ping': {
      const rtt = rttOf(c)
      return rtt === null ? '' : t('fleet.cmd.rtt', { ms: Math.round(rtt) })
    }
    case 'setVolume':
      return volume === null ? '' : t('fleet.cmd.volumeSet', { volume })
    case 'testTone':
      return seconds === null ? '' : t('fleet.cmd.tonePlayed', { s: seconds })
    case 'stop':
      return c.result?.stopped === false ? t('fleet.cmd.nothingPlaying') : ''
    default:
      return ''
  }
}

const ALERT_KINDS = [
  'nodeOffline',
  'zoneOffline',
  'nodeDegraded',
  'nodeFlapping',
  'playFailed',
  'incident',
  'planFailed',
]
const CAUSES = ['broker-restart', 'zone-outage', 'mass-disconnect']

/** The rule's name ("节点离线"); unknown kinds as sent. */
export const alertKindText = (t: T, kind: string) =>
  ALERT_KINDS.includes(kind) ? t(`fleet.alertKind.${kind}`) : kind
/** An incident's cause in words. */
export const causeText = (t: T, cause: string) =>
  CAUSES.includes(cause) ? t(`fleet.cause.${cause}`) : cause

/** The alert in words, from its kind and params; the server's English is the fallback. */
export function alertText(
  t: T,
  a: Alert,
  names: {
    node: (id: string) => string
    zone: (id: string) => string
    time: (iso: string) => string
  },
): string {
  const p = a.params ?? {}
  const node = a.nodeId ? names.node(a.nodeId) : ''
  const zone = a.zoneId ? names.zone(a.zoneId) : ''
  const n = (v: unknown) => (typeof v === 'number' ? v : Number.NaN)
  switch (a.kind) {
    case 'nodeOffline':
      return typeof p.since === 'string' && p.since
        ? t('fleet.alert.nodeOfflineSince', { node, time: names.time(p.since) })
        : t('fleet.alert.nodeOffline', { node })
    case 'zoneOffline':
      if (Number.isNaN(n(p.offline)) || Number.isNaN(n(p.total))) break
      return t('fleet.alert.zoneOffline', { zone, offline: n(p.offline), total: n(p.total) })
    case 'nodeDegraded':
      return t('fleet.alert.nodeDegraded', {
        node,
        why:
          String(p.reasons ?? '')
            .split(',')
            .filter(Boolean)
            .map((c) => t(`fleet.degradedCode.${c}`))
            .join(t('common.listSep')) || t('common.none'),
      })
    case 'nodeFlapping':
      return t('fleet.alert.nodeFlapping', { node })
    case 'playFailed':
      if (Number.isNaN(n(p.count))) break
      return t('fleet.alert.playFailed', {
        node,
        count: n(p.count),
        reason: reasonText(t, String(p.reason || '') || null),
      })
    case 'incident': {
      if (Number.isNaN(n(p.nodes))) break
      const cause = causeText(t, String(p.cause ?? ''))
      return zone
        ? t('fleet.alert.incidentZone', { n: n(p.nodes), cause, zone })
        : t('fleet.alert.incident', { n: n(p.nodes), cause })
    }
  }
  return a.message
}
