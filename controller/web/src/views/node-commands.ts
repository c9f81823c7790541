import { commandKindsFor } from '../access.js'
import { errorText } from '../api.js'
import { button, h, setHidden, setText } from '../dom.js'
import type { CommandKind, CommandRequest, NodeView } from '../types.js'
import { createCommandTable } from './command-table.js'
import { COMMAND_KINDS, kindText } from './command-text.js'
import { confirmDialog, numberDialog } from './dialog.js'
import type { ViewContext } from './view.js'

/**
 * The node's commands: a button per kind (set volume asks for the value, restart for a
 * confirmation), and its pending and past commands, which move from pending to done, failed or
 * expired as the stream reports them.
 */
export function createNodeCommands(ctx: ViewContext, nodeId: string, volume: () => number | null) {
  const { i18n, store, api } = ctx
  const t = i18n.t
  const status = h('p', { class: 'panel-status', role: 'status' })
  const offline = h('p', { class: 'panel-note', hidden: true }, t('cmd.offlineNote'))
  // Only the commands the user's roles may send (an installer: ping and test tone).
  const kinds = commandKindsFor(ctx.session.me.roles, COMMAND_KINDS)
  const buttons = kinds.map((kind) =>
    button(kindText(i18n, kind), () => void send(kind), {
      'data-kind': kind,
      class: kind === 'restart' ? 'button danger-outline' : 'button',
    }),
  )
  const table = createCommandTable(i18n, { tz: () => store.tz, caption: t('cmd.caption') })
  const empty = h('p', { class: 'message' }, t('common.loading'))
  const el = h(
    'div',
    { class: 'node-cmd' },
    h('div', { class: 'cmd-buttons' }, ...buttons),
    offline,
    status,
    h('div', { class: 'table-wrap' }, table.el),
    empty,
  )

  async function send(kind: CommandKind): Promise<void> {
    const body: CommandRequest = { kind }
    const name = store.nodes.get(nodeId)?.name ?? nodeId
    if (kind === 'setVolume') {
      const v = await numberDialog(i18n, {
        title: t('cmd.volumeTitle', { node: name }),
        label: t('cmd.volumeLabel'),
        ok: t('cmd.kind.setVolume'),
        min: 0,
        max: 100,
        value: volume() ?? 70,
      })
      if (v === null) return
      body.params = { volume: v }
    } else if (kind === 'restart') {
      const ok = await confirmDialog(i18n, {
        title: t('cmd.restartTitle'),
        text: t('cmd.restartText', { node: name }),
        ok: t('cmd.kind.restart'),
        danger: true,
      })
      if (!ok) return
    }
    setText(status, t('zoneCmd.sending'))
    try {
      const c = await api.sendCommand(nodeId, body)
      table.merge([c])
      showEmpty()
      setText(status, t('cmd.sent', { kind: kindText(i18n, kind) }))
    } catch (err) {
      setText(status, t('cmd.sendError', { msg: errorText(err) }))
    }
  }

  function showEmpty(): void {
    const none = table.all.length === 0
    setHidden(empty, !none)
    setText(empty, t('cmd.none'))
  }

  const ac = new AbortController()
  function load(): void {
    api.commands(nodeId, ac.signal).then(
      (list) => {
        table.set(list)
        showEmpty()
      },
      (err: unknown) => {
        if (ac.signal.aborted) return
        setHidden(empty, false)
        setText(empty, t('common.loadError', { msg: errorText(err) }))
      },
    )
  }

  const offs = [
    store.on('commands', (list) => {
      const mine = list.filter((c) => c.nodeId === nodeId)
      if (mine.length === 0) return
      table.merge(mine)
      showEmpty()
    }),
    store.on('resync', load),
  ]
  load()

  return {
    el,
    /** Follows the node: no commands to a retired node; a note while it is offline. */
    update(n: NodeView): void {
      for (const b of buttons) b.disabled = n.retiredAt !== null
      setHidden(offline, n.online || n.retiredAt !== null)
    },
    destroy(): void {
      for (const off of offs) off()
      ac.abort()
    },
  }
}
