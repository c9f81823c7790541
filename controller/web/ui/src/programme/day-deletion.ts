import { ElMessage, ElMessageBox } from 'element-plus'
import { h } from 'vue'
import { useI18n } from 'vue-i18n'
import { useApp } from '../session'
import { type Day, type DayVersion, targetPath, versionBefore, zoneQuery } from './orders'

/**
 * Deleting a date's own order from the editor: asks first, deletes, and offers an undo in the
 * message, which restores the newest version saved before the deletion. `apply` takes each day
 * the server answers; `changed` tells the page.
 */
export function useDayDeletion(apply: (d: Day) => void, changed: () => void) {
  const { t } = useI18n()
  const { api } = useApp()

  return async function removeDay(target: { date: string; zone: string }, day: Day): Promise<void> {
    const ok = await ElMessageBox.confirm(
      t('orders.deleteText', { n: day.items.length }),
      t('orders.deleteTitle', { day: target.date }),
      {
        type: 'warning',
        confirmButtonText: t('orders.deleteOk'),
        cancelButtonText: t('common.cancel'),
      },
    ).catch(() => false)
    if (!ok) return
    try {
      apply(await api.del<Day>(targetPath({ kind: 'date', ...target })))
      changed()
    } catch {
      return
    }
    const undo = async () => {
      msg.close()
      const path = `api/days/${target.date}/versions`
      const versions = await api.get<DayVersion[]>(`${path}${zoneQuery(target.zone)}`)
      const latest = versions.find((v) => v.deleted)
      const v = latest ? versionBefore(versions, latest.version) : null
      if (v === null) return
      apply(await api.post<Day>(`${path}/${v}/restore${zoneQuery(target.zone)}`))
      ElMessage.success(t('orders.undone', { day: target.date }))
      changed()
    }
    const msg = ElMessage({
      type: 'success',
      duration: 10000,
      message: h('span', {}, [
        t('orders.deleted', { day: target.date }),
        h(
          'button',
          {
            type: 'button',
            class: 'el-button el-button--small is-link undo-delete',
            onClick: () => void undo(),
          },
          t('orders.undo'),
        ),
      ]),
    })
  }
}
