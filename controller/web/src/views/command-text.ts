import type { I18n } from '../i18n.js'
import type { Command, CommandKind, CommandStatus } from '../types.js'

/** Every command kind, in the order the buttons show them. */
export const COMMAND_KINDS: readonly CommandKind[] = [
  'testTone',
  'ping',
  'setVolume',
  'stop',
  'resync',
  'restart',
]

/** "测试音", "设置音量", … */
export function kindText(i18n: I18n, kind: string): string {
  return (COMMAND_KINDS as readonly string[]).includes(kind)
    ? i18n.t(`cmd.kind.${kind as CommandKind}`)
    : kind
}

/** "等待中", "完成", "失败", "已过期". */
export function statusText(i18n: I18n, status: CommandStatus): string {
  return i18n.t(`cmd.status.${status}`)
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

/** The ping's round trip: the agent's figure, else from the acknowledgement's time. */
export function rttOf(c: Command): number | null {
  const rtt = num(c.result?.rttMs)
  if (rtt !== null) return rtt
  if (c.kind !== 'ping' || c.status !== 'ok' || !c.ackedAt) return null
  const ms = Date.parse(c.ackedAt) - Date.parse(c.issuedAt)
  return Number.isNaN(ms) ? null : ms
}

/** What came back: "往返 12 ms", "音量 70", an error, or what the command asked for. */
export function resultText(i18n: I18n, c: Command): string {
  const t = i18n.t
  if (c.status === 'error') return c.error ?? t('cmd.failed')
  if (c.status === 'expired') return t('cmd.expiredDetail')
  const volume = num(c.result?.volume) ?? num(c.params?.volume)
  const seconds = num(c.result?.seconds) ?? num(c.params?.seconds)
  if (c.status === 'pending') {
    if (c.kind === 'setVolume' && volume !== null) return t('cmd.askedVolume', { volume })
    return ''
  }
  switch (c.kind) {
    case 'ping': {
      const rtt = rttOf(c)
      return rtt === null ? '' : t('cmd.rtt', { ms: Math.round(rtt) })
    }
    case 'setVolume':
      return volume === null ? '' : t('cmd.volumeSet', { volume })
    case 'testTone':
      return seconds === null ? '' : t('cmd.tonePlayed', { s: seconds })
    case 'stop':
      return c.result?.stopped === false ? t('cmd.nothingPlaying') : ''
    default:
      return ''
  }
}
