import type { I18n, MessageKey } from '../i18n.js'

/** protocol/'s PLAY_FAILURE_REASONS; each has a `reason.*` message. */
export const REASONS = ['checksum', 'download', 'decode', 'late', 'sink', 'interrupted', 'missing']

/** protocol/'s MISS_REASONS not among REASONS; each has a `reason.*` message too. */
export const MISS_REASONS = ['down', 'offline', 'no-audio']

/** "下载失败" for `download`; unknown reasons are shown as sent. */
export function reasonText(i18n: I18n, reason: string | null): string {
  if (reason && (REASONS.includes(reason) || MISS_REASONS.includes(reason))) {
    return i18n.t(`reason.${reason}` as MessageKey)
  }
  return reason ?? i18n.t('reason.unknown')
}
