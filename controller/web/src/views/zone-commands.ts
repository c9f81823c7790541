import { errorText } from '../api.js'
import { button, h, setHidden, setText } from '../dom.js'
import type { CommandKind, CommandRequest, CommandStatus } from '../types.js'
import { createCommandTable } from './command-table.js'
import { kindText } from './command-text.js'
import { confirmDialog, numberDialog } from './dialog.js'
import type { ViewContext } from './view.js'

/** Commands that make sense for a whole zone. */
const ZONE_KINDS: CommandKind[] = ['testTone', 'setVolume', 'ping', 'resync']

/**
 * "Send to zone" on the dashboard: shown while a zone is selected; a command goes to every node
 * in the zone and below it, and the batch's per-node results update live.
 */
export function createZoneCommands(ctx: ViewContext, nodeCount: () => number) {
  const { i18n, store, api } = ctx
  const t = i18n.t
  let zoneId = ''
  let batchId: string | null = null
  let busy = false

  const heading = h('h2', { class: 'panel-title', id: 'zone-cmd-h' })
  const note = h('p', { class: 'panel-note' })
  const buttons = ZONE_KINDS.map((kind) =>
    button(kindText(i18n, kind), () => void send(kind), { 'data-kind': kind }),
  )
  const status = h('p', { class: 'panel-status', role: 'status' })
  const summary = h('p', { class: 'batch-summary', 'aria-live': 'polite' })
  const table = createCommandTable(i18n, {
    tz: () => store.tz,
    nodeName: (id) => store.nodes.get(id)?.name ?? id,
    caption: t('zoneCmd.caption'),
  })
  const results = h('div', { class: 'table-wrap batch', hidden: true }, table.el)
  const el = h(
    'section',
    { class: 'panel zone-cmd', 'aria-labelledby': 'zone-cmd-h', hidden: true },
    heading,
    note,
    h('div', { class: 'cmd-buttons' }, ...buttons),
    status,
    summary,
    results,
  )

  async function send(kind: CommandKind): Promise<void> {
    if (busy || !zoneId) return
    const zoneName = store.zone(zoneId)?.name ?? zoneId
    const n = nodeCount()
    const body: CommandRequest = { kind }
    if (kind === 'setVolume') {
      const volume = await numberDialog(i18n, {
        title: t('zoneCmd.volumeTitle', { zone: zoneName }),
        label: t('cmd.volumeLabel'),
        ok: t('cmd.kind.setVolume'),
        min: 0,
        max: 100,
        value: 70,
      })
      if (volume === null) return
      body.params = { volume }
    } else if (kind !== 'ping') {
      const ok = await confirmDialog(i18n, {
        title: t('zoneCmd.confirmTitle', { kind: kindText(i18n, kind) }),
        text: t('zoneCmd.confirmText', { zone: zoneName, n, kind: kindText(i18n, kind) }),
        ok: t('zoneCmd.send'),
      })
      if (!ok) return
    }
    busy = true
    for (const b of buttons) b.disabled = true
    setText(status, t('zoneCmd.sending'))
    try {
      const batch = await api.sendZoneCommand(zoneId, body)
      batchId = batch.batchId
      table.set(batch.commands)
      setText(status, t('zoneCmd.sent', { kind: kindText(i18n, kind), n: batch.commands.length }))
      show()
    } catch (err) {
      setText(status, t('cmd.sendError', { msg: errorText(err) }))
    } finally {
      busy = false
      for (const b of buttons) b.disabled = false
    }
  }

  function show(): void {
    const all = table.all
    setHidden(results, all.length === 0)
    if (all.length === 0) {
      setText(summary, '')
      return
    }
    const c: Record<CommandStatus, number> = { pending: 0, ok: 0, error: 0, expired: 0 }
    for (const cmd of all) c[cmd.status]++
    setText(summary, t('zoneCmd.summary', { total: all.length, ...c }))
  }

  const offs = [
    store.on('commands', (list) => {
      if (!batchId) return
      const mine = list.filter((c) => c.batchId === batchId)
      if (mine.length === 0) return
      table.merge(mine)
      show()
    }),
    store.on('resync', () => {
      if (!batchId) return
      const id = batchId
      api.batch(id).then(
        (b) => {
          if (batchId !== id) return
          table.set(b.commands)
          show()
        },
        () => undefined,
      )
    }),
  ]

  return {
    el,
    /** Shows the panel for a zone (or hides it for "all zones"). */
    setZone(id: string): void {
      if (id !== zoneId) {
        zoneId = id
        batchId = null
        table.set([])
        setText(status, '')
        show()
      }
      setHidden(el, !zoneId)
      if (zoneId) {
        const name = store.zone(zoneId)?.name ?? zoneId
        setText(heading, t('zoneCmd.heading', { zone: name }))
        setText(note, t('zoneCmd.note', { n: nodeCount() }))
      }
    },
    /** Node names in the results follow the node list. */
    refresh: () => table.refresh(),
    destroy(): void {
      for (const off of offs) off()
    },
  }
}
