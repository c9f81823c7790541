import { secondsText } from '../format.js'
import type { I18n, MessageKey } from '../i18n.js'
import type { ShownState } from '../node-state.js'
import type { DegradedReason, Timing } from '../types.js'
import { reasonText } from './play-text.js'

/** "在线", "降级", … */
export function stateText(i18n: I18n, s: ShownState): string {
  return i18n.t(`state.${s}`)
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

/** A degraded reason in words ("节目开始平均晚 1.8 秒"); the server's English is a fallback. */
export function degradedText(i18n: I18n, r: DegradedReason): string {
  const t = i18n.t
  const p = r.params ?? {}
  switch (r.code) {
    case 'clock': {
      const ms = num(p.offsetMs)
      if (ms !== null) return t('degraded.clock', { s: secondsText(Math.abs(ms)) })
      const pm = num(p.uncertaintyMs)
      if (pm !== null) return t('degraded.clockUncertain', { ms: pm })
      break
    }
    case 'disk': {
      const mb = num(p.freeMb)
      const unsaved = num(p.unsavedEvents) ?? 0
      if (mb !== null && unsaved > 0) return t('degraded.diskUnsaved', { mb, count: unsaved })
      if (mb !== null) return t('degraded.disk', { mb })
      break
    }
    case 'refused': {
      const key = p.channel === 'cmd' ? 'degraded.refusedCmd' : 'degraded.refusedPlan'
      return t(key, { id: String(p.id || '—'), reason: String(p.reason || '') })
    }
    case 'audio':
      return t(p.state === 'missing' ? 'degraded.audioMissing' : 'degraded.audioError')
    case 'plays': {
      const count = num(p.count)
      if (count !== null) {
        return t('degraded.plays', { count, reason: reasonText(i18n, String(p.reason || '')) })
      }
      break
    }
    case 'late': {
      const ms = num(p.medianMs)
      if (ms !== null) return t('degraded.late', { s: secondsText(ms) })
      break
    }
    case 'plan': {
      const minutes = num(p.minutes)
      if (minutes !== null) return t('degraded.plan', { minutes })
      break
    }
  }
  return r.message || r.code
}

/** All of a node's degraded reasons on one line. */
export function degradedLine(i18n: I18n, reasons: readonly DegradedReason[]): string {
  return reasons.map((r) => degradedText(i18n, r)).join(i18n.t('common.listSep'))
}

/** Short names of degraded reason codes (alerts carry only the codes). */
export function degradedCodeText(i18n: I18n, code: string): string {
  const known = ['clock', 'disk', 'audio', 'plays', 'late', 'plan', 'refused']
  return known.includes(code) ? i18n.t(`degradedCode.${code}` as MessageKey) : code
}

const TRANSITION_REASONS = [
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

/** Why a node went online or offline ("心跳超时"); unknown reasons are shown as sent. */
export function transitionReasonText(i18n: I18n, reason: string): string {
  return TRANSITION_REASONS.includes(reason) ? i18n.t(`transition.${reason}` as MessageKey) : reason
}

/** A clock offset: "+12 毫秒" below a second, else "+1.2 秒". */
export function offsetText(i18n: I18n, ms: number): string {
  const sign = ms > 0 ? '+' : ms < 0 ? '−' : ''
  const abs = Math.abs(ms)
  return abs < 1000
    ? `${sign}${i18n.t('unit.ms', { n: Math.round(abs) })}`
    : `${sign}${i18n.t('unit.s', { n: secondsText(abs) })}`
}

/** "时钟偏差 +2.1 秒（±3 毫秒）": the node's offset and how sure its estimate is; '' if unknown. */
export function clockText(i18n: I18n, timing: Timing | null): string {
  const off = timing?.clockOffsetMs ?? null
  if (off === null) return ''
  const pm = timing?.clockUncertaintyMs ?? null
  const offset = offsetText(i18n, off)
  return pm === null
    ? i18n.t('timing.clock', { offset })
    : i18n.t('timing.clockPm', { offset, ms: Math.round(pm) })
}
