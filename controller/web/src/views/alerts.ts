import { errorText } from '../api.js'
import { h, setText } from '../dom.js'
import type { Alert, Incident } from '../types.js'
import { createRulesEditor } from './alert-rules.js'
import { compareAlerts, createAlertTable } from './alert-table.js'
import { renderDeliveries } from './delivery-list.js'
import { renderIncidents } from './incident-list.js'
import type { ViewFactory } from './view.js'

type Mode = 'open' | 'all'

/**
 * The alerts page (`#/alerts`, `#/alerts?show=all`): open or all alerts with acknowledge and
 * resolve, updated live; incidents; the alert rules editor; the last webhook deliveries.
 */
export const alertsView: ViewFactory = (ctx, route) => {
  const { i18n, store, api } = ctx
  const t = i18n.t
  let mode: Mode = route.params.get('show') === 'all' ? 'all' : 'open'
  const alerts = new Map<string, Alert>()
  let incidents = new Map<string, Incident>()
  let loading = true
  let error: string | null = null
  let abort: AbortController | null = null
  const page = new AbortController()
  let frame = 0

  const toggles = (['open', 'all'] as const).map((m) => {
    const b = h('button', { type: 'button', class: 'seg', 'data-mode': m }, t(`alerts.show.${m}`))
    b.addEventListener('click', () => {
      if (mode === m) return
      mode = m
      ctx.router.replaceParams({ show: m === 'all' ? 'all' : '' })
      void load()
    })
    return b
  })
  const toolbar = h(
    'div',
    { class: 'segmented', role: 'group', 'aria-label': t('alerts.show.label') },
    ...toggles,
  )
  const message = h('p', { class: 'message', hidden: true })
  const table = createAlertTable(i18n, store, async (a, what) => {
    try {
      const next = what === 'ack' ? await api.ackAlert(a.id) : await api.resolveAlert(a.id)
      store.upsertAlerts([next])
      merge([next])
    } catch (err) {
      setText(actionError, t('alerts.actionError', { msg: errorText(err) }))
    }
  })
  const actionError = h('p', { class: 'panel-status', role: 'alert' })
  const incidentsBox = h('div', {}, h('p', { class: 'message' }, t('common.loading')))
  const deliveriesBox = h('div', {}, h('p', { class: 'message' }, t('common.loading')))
  const rules = createRulesEditor(i18n, api)

  const el = h(
    'section',
    { class: 'page page-alerts', 'aria-labelledby': 'alerts-h' },
    h('h1', { id: 'alerts-h' }, t('alerts.heading')),
    toolbar,
    actionError,
    h('div', { class: 'table-wrap' }, table.el),
    message,
    h('h2', { id: 'incidents-h' }, t('incidents.heading')),
    incidentsBox,
    h('h2', { id: 'rules-h' }, t('rules.heading')),
    rules.el,
    h('h2', { id: 'deliveries-h' }, t('deliveries.heading')),
    deliveriesBox,
  )

  function render(): void {
    frame = 0
    for (const b of toggles) b.setAttribute('aria-pressed', String(b.dataset.mode === mode))
    const list = [...alerts.values()].sort(compareAlerts)
    table.render(list)
    let text: string | null = null
    if (error) text = t('common.loadError', { msg: error })
    else if (loading) text = t('common.loading')
    else if (list.length === 0) text = t(mode === 'open' ? 'alerts.noneOpen' : 'alerts.none')
    message.hidden = text === null
    setText(message, text ?? '')
  }
  const schedule = () => {
    frame ||= requestAnimationFrame(render)
  }

  function merge(list: readonly Alert[]): void {
    for (const a of list) {
      if (mode === 'open' && a.resolvedAt) alerts.delete(a.id)
      else alerts.set(a.id, a)
    }
    schedule()
  }

  async function load(): Promise<void> {
    abort?.abort()
    const ac = new AbortController()
    abort = ac
    loading = true
    error = null
    render()
    try {
      const list = await api.alerts(mode, ac.signal)
      if (ac.signal.aborted) return
      alerts.clear()
      for (const a of list) alerts.set(a.id, a)
    } catch (err) {
      if (ac.signal.aborted) return
      error = errorText(err)
      alerts.clear()
    }
    loading = false
    render()
  }

  function showIncidents(): void {
    incidentsBox.replaceChildren(renderIncidents(i18n, store, [...incidents.values()]))
  }

  function failed(box: HTMLElement) {
    return (err: unknown) => {
      if (page.signal.aborted) return
      box.replaceChildren(
        h('p', { class: 'message' }, t('common.loadError', { msg: errorText(err) })),
      )
    }
  }

  function loadExtras(): void {
    api.incidents(page.signal).then((list) => {
      incidents = new Map(list.map((i) => [i.id, i]))
      showIncidents()
    }, failed(incidentsBox))
    api
      .deliveries(page.signal)
      .then(
        (list) => deliveriesBox.replaceChildren(renderDeliveries(i18n, store.tz, list)),
        failed(deliveriesBox),
      )
  }

  const offs = [
    store.on('alerts', (list) => {
      if (list) merge(list)
    }),
    store.on('incidents', (list) => {
      for (const i of list) incidents.set(i.id, i)
      showIncidents()
    }),
    store.on('nodes', (ids) => {
      if (ids === null) table.refresh()
    }),
    store.on('resync', () => {
      void load()
      loadExtras()
    }),
  ]
  // Relative times ("3 分钟前") and the deliveries move on by themselves.
  const tick = setInterval(() => {
    table.refresh()
    loadExtras()
  }, 30_000)
  void load()
  loadExtras()

  return {
    el,
    destroy() {
      for (const off of offs) off()
      clearInterval(tick)
      cancelAnimationFrame(frame)
      abort?.abort()
      page.abort()
      rules.destroy()
    },
  }
}
