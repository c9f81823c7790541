import { accessApi } from '../access-api.js'
import type { ProvisionedNode } from '../access-types.js'
import { h, setAttr, setHidden, setText } from '../dom.js'
import { dateTimeOf, secondsText } from '../format.js'
import type { MessageKey } from '../i18n.js'
import { normalizeNode } from '../node-state.js'
import type { Command } from '../types.js'
import { accessErrorText } from './access-errors.js'
import { checklist, latestTone, STEPS, type Step, type StepKey } from './commission-data.js'
import type { ViewContext } from './view.js'

/** How often the clock offset (and, until enrolled, the node) is asked for while commissioning. */
const POLL_MS = 3000
/** …and once the node is in service. */
const IDLE_POLL_MS = 30_000

/**
 * The live commissioning checklist of one node: enrolled → online → clock in sync → plan
 * applied → test tone played and acknowledged. It follows the stream's `nodes` and `commands`
 * events, asks for the clock offset (telemetry) every few seconds, and says clearly whether the
 * node counts as in service: only when every step passed.
 */
export function createCommission(ctx: ViewContext, nodeId: string) {
  const { i18n, store, api } = ctx
  const t = i18n.t
  let node = (store.nodes.get(nodeId) as ProvisionedNode | undefined) ?? null
  let offset: number | null = null
  const commands = new Map<string, Command>()
  let sendError: string | null = null
  let sending = false

  const title = h('h2', { class: 'panel-title', id: 'commission-h' })
  const verdict = h('p', { class: 'verdict', role: 'status' })
  const toneButton = h('button', { type: 'button', class: 'button primary tone-button' })
  const rows = new Map<StepKey, { li: HTMLElement; state: HTMLElement; detail: HTMLElement }>()
  const list = h('ol', { class: 'checklist' })
  for (const key of STEPS) {
    const state = h('span', { class: 'sr-only' })
    const detail = h('span', { class: 'check-detail' })
    const li = h(
      'li',
      { class: 'check-item', 'data-step': key },
      h('span', { class: 'check-mark', 'aria-hidden': 'true' }),
      h(
        'span',
        { class: 'check-body' },
        h('span', { class: 'check-label' }, t(`check.${key}` as MessageKey), state),
        detail,
        key === 'tone' ? toneButton : null,
      ),
    )
    rows.set(key, { li, state, detail })
    list.append(li)
  }
  const nodeLink = h('a', { href: `#/nodes/${encodeURIComponent(nodeId)}` }, t('check.nodePage'))
  const el = h(
    'section',
    { class: 'panel commission', 'aria-labelledby': 'commission-h', 'data-node-id': nodeId },
    title,
    verdict,
    list,
    h('p', { class: 'panel-note' }, nodeLink),
  )

  function detailOf(step: Step): string {
    const n = node
    switch (step.key) {
      case 'enrolled':
        return step.state === 'done' && n?.enrolledAt
          ? t('check.enrolled.done', { at: dateTimeOf(n.enrolledAt, store.tz, i18n.locale()) })
          : t('check.enrolled.wait')
      case 'online':
        if (step.state === 'done') return t('check.online.done')
        return n?.lastSeen ? t('check.online.offline') : t('check.online.wait')
      case 'clock':
        if (step.state === 'done')
          return t('check.clock.done', { ms: Math.round(step.offsetMs ?? 0) })
        if (step.state === 'fail') {
          return step.offsetMs === undefined
            ? t('check.clock.reason')
            : t('check.clock.fail', { s: secondsText(Math.abs(step.offsetMs)) })
        }
        return t('check.clock.wait')
      case 'plan':
        return step.state === 'done' ? t('check.plan.done') : t('check.plan.wait')
      case 'tone': {
        if (sendError) return t('check.tone.sendError', { msg: sendError })
        const tone = latestTone([...commands.values()], node)
        if (step.state === 'done') return t('check.tone.done')
        if (step.state === 'fail') {
          const why = tone?.status === 'expired' ? t('check.tone.expired') : (tone?.error ?? '')
          return t('check.tone.fail', { why })
        }
        if (tone?.status === 'pending') return t('check.tone.wait')
        return n?.online ? t('check.tone.todo') : t('check.tone.offline')
      }
    }
  }

  function render(): void {
    const tone = latestTone([...commands.values()], node)
    const { steps, inService } = checklist({ node, clockOffsetMs: offset, tone })
    setText(title, t('check.heading', { node: node?.name ?? nodeId }))
    for (const step of steps) {
      const row = rows.get(step.key)
      if (!row) continue
      setAttr(row.li, 'data-state', step.state)
      setText(row.state, ` (${t(`check.state.${step.state}`)})`)
      setText(row.detail, detailOf(step))
    }
    const passed = steps.filter((s) => s.state === 'done').length
    setAttr(el, 'data-in-service', String(inService))
    setAttr(verdict, 'class', `verdict ${inService ? 'verdict-ok' : 'verdict-wait'}`)
    setText(
      verdict,
      node?.retiredAt
        ? t('check.retired')
        : inService
          ? t('check.inService')
          : t('check.notYet', { done: passed, total: steps.length }),
    )
    const toneStep = steps.find((s) => s.key === 'tone')
    const pending = tone?.status === 'pending'
    setHidden(toneButton, !node || node.retiredAt !== null)
    toneButton.disabled = sending || pending || !node?.online
    // Once it passed, playing it again is a side action.
    toneButton.classList.toggle('primary', toneStep?.state !== 'done')
    setText(
      toneButton,
      toneStep?.state === 'done' || toneStep?.state === 'fail'
        ? t('check.tone.again')
        : t('check.tone.send'),
    )
    schedulePoll(inService)
  }

  toneButton.addEventListener('click', () => {
    if (sending) return
    sending = true
    sendError = null
    render()
    api.sendCommand(nodeId, { kind: 'testTone' }).then(
      (c) => {
        sending = false
        commands.set(c.id, c)
        render()
      },
      (err: unknown) => {
        sending = false
        sendError = accessErrorText(i18n, err)
        render()
      },
    )
  })

  const ac = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  let pollEvery = 0
  function schedulePoll(inService: boolean): void {
    const every = inService ? IDLE_POLL_MS : POLL_MS
    if (timer !== undefined && every === pollEvery) return
    clearTimeout(timer)
    pollEvery = every
    timer = setTimeout(poll, every)
  }

  /** Asks for what the stream does not carry: the clock offset, and enrollment before birth. */
  function poll(): void {
    timer = undefined
    const asks: Promise<unknown>[] = []
    if (!node?.enrolledAt || !node.online) {
      asks.push(
        accessApi.node(nodeId, ac.signal).then((n) => {
          node = normalizeNode(n) as ProvisionedNode
          store.upsertNodes([node])
        }),
      )
    }
    if (node?.online) {
      asks.push(
        api.timing(nodeId, ac.signal).then((d) => {
          offset = d.clockOffsetMs
        }),
      )
    }
    void Promise.allSettled(asks).then(() => {
      if (!ac.signal.aborted) render()
    })
  }

  function loadCommands(): void {
    api.commands(nodeId, ac.signal).then(
      (list) => {
        for (const c of list) commands.set(c.id, c)
        render()
      },
      () => {},
    )
  }

  const offs = [
    store.on('nodes', (ids) => {
      if (ids !== null && !ids.has(nodeId)) return
      const n = store.nodes.get(nodeId) as ProvisionedNode | undefined
      if (!n) return
      const cameOnline = n.online && !node?.online
      node = n
      render()
      // Its first telemetry follows the birth message within a moment.
      if (cameOnline) {
        clearTimeout(timer)
        timer = setTimeout(poll, 1000)
      }
    }),
    store.on('commands', (list) => {
      let mine = false
      for (const c of list) {
        if (c.nodeId !== nodeId) continue
        commands.set(c.id, c)
        mine = true
      }
      if (mine) render()
    }),
    store.on('resync', () => {
      loadCommands()
      poll()
    }),
  ]
  render()
  loadCommands()
  poll()

  return {
    el,
    destroy(): void {
      for (const off of offs) off()
      clearTimeout(timer)
      ac.abort()
    },
  }
}
