import { ElMessageBox } from 'element-plus'
import type { T } from './fleet'
import type { CommandRequest } from './types'

/**
 * What a command needs before it goes: a volume is asked for, a restart (and any command to many
 * speakers) is confirmed; a ping goes at once. Null: the user cancelled.
 */
export async function askCommand(
  t: T,
  kind: CommandRequest['kind'],
  o: { target: string; many?: { n: number; zone: string } },
): Promise<CommandRequest | null> {
  const kindName = t(`fleet.cmd.kind.${kind}`)
  if (kind === 'setVolume') {
    const answer = await ElMessageBox.prompt(
      t('fleet.cmd.volumeLabel'),
      o.many
        ? t('fleet.zoneCmd.volumeTitle', { zone: o.many.zone })
        : t('fleet.cmd.volumeTitle', { node: o.target }),
      {
        inputValue: '70',
        inputPattern: /^(100|[1-9]?\d)$/,
        inputErrorMessage: t('fleet.cmd.volumeLabel'),
        confirmButtonText: kindName,
        cancelButtonText: t('common.cancel'),
        customClass: 'volume-box',
      },
    ).catch(() => null)
    return answer ? { kind, params: { volume: Number(answer.value) } } : null
  }
  if (o.many && kind !== 'ping') {
    const ok = await ElMessageBox.confirm(
      t('fleet.zoneCmd.confirmText', { zone: o.many.zone, n: o.many.n, kind: kindName }),
      t('fleet.zoneCmd.confirmTitle', { kind: kindName }),
      {
        type: 'warning',
        confirmButtonText: t('fleet.zoneCmd.send'),
        cancelButtonText: t('common.cancel'),
      },
    ).catch(() => false)
    return ok ? { kind } : null
  }
  if (kind === 'restart') {
    const ok = await ElMessageBox.confirm(
      t('fleet.cmd.restartText', { node: o.target }),
      t('fleet.cmd.restartTitle'),
      {
        type: 'warning',
        confirmButtonText: kindName,
        cancelButtonText: t('common.cancel'),
      },
    ).catch(() => false)
    return ok ? { kind } : null
  }
  return { kind }
}
