import { h, setText } from '../dom.js'
import type { NodeView, Play } from '../types.js'
import { createTodayDeviation } from './deviation-panel.js'
import { createTelemetryCharts, createTimingPanel, TELEMETRY_HOURS } from './node-charts.js'
import { createNodeCommands } from './node-commands.js'
import { createNodeHistory, HISTORY_DAYS } from './node-history.js'
import { createNodePlays, NODE_PLAYS } from './node-plays.js'
import { createNodeProvision } from './node-provision.js'
import { createNodeSummary } from './node-summary.js'
import type { ViewFactory } from './view.js'

/** How often telemetry and timing are fetched again. */
const REFRESH_MS = 60_000
/** While a node has no telemetry yet, how soon to look again (the controller stores every 5 s). */
const FIRST_SAMPLE_MS = 5_000
/** The controller's default `lateStartMaxMs` (the API does not report the configured one). */
const LATE_MS = 1000

/** The node id of a `#/nodes/<id>` path, or null. */
export function nodeIdOf(path: string): string | null {
  const m = /^\/nodes\/([^/]+)$/.exec(path)
  if (!m) return null
  try {
    return decodeURIComponent(m[1] as string)
  } catch {
    return null
  }
}

/**
 * One node's page (`#/nodes/<id>`): state and reasons, commands, the last 7 days (bars,
 * availability, transitions), timing accuracy, 24 h of telemetry, recent plays. The summary
 * and the commands follow the stream; the rest is fetched again when the state changes.
 */
export const nodeView: ViewFactory = (ctx, route) => {
  const { i18n, store, api } = ctx
  const t = i18n.t
  const id = nodeIdOf(route.path) ?? ''
  const summary = createNodeSummary(i18n)
  let lastVolume: number | null = null
  const commands = createNodeCommands(ctx, id, () => lastVolume)
  const history = createNodeHistory(i18n)
  const timing = createTimingPanel(i18n, LATE_MS)
  const today =
    ctx.session.has('scheduler') || ctx.session.has('technician')
      ? createTodayDeviation(i18n, {
          load: (signal) => api.deviation(signal),
          tz: () => store.tz,
          nodeId: id,
        })
      : null
  const charts = createTelemetryCharts(i18n)
  const plays = createNodePlays(i18n)
  // Installers and admins: bundle, replace, retire, rotate (the server refuses the others).
  const provision = ctx.session.has('installer') ? createNodeProvision(ctx, id) : null
  const missing = h('p', { class: 'message', hidden: true })
  const section = (key: string, title: string, body: HTMLElement) =>
    h(
      'section',
      { class: `node-section node-${key}`, 'aria-labelledby': `node-${key}-h` },
      h('h2', { id: `node-${key}-h` }, title),
      body,
    )
  const body = h(
    'div',
    { class: 'node-body', hidden: true },
    summary.el,
    section('commands', t('node.commands'), commands.el),
    provision ? section('provision', t('prov.heading'), provision.el) : null,
    section('history', t('node.history', { days: HISTORY_DAYS }), history.el),
    section('timing', t('node.timing'), h('div', {}, today?.el ?? null, timing.el)),
    section('telemetry', t('node.telemetry', { hours: TELEMETRY_HOURS }), charts.el),
    section('plays', t('node.plays'), plays.el),
  )
  const el = h(
    'section',
    { class: 'page page-node', 'aria-labelledby': 'node-h', 'data-node-id': id },
    h('p', { class: 'crumbs' }, h('a', { href: '#/nodes' }, t('node.back'))),
    missing,
    body,
  )

  const ac = new AbortController()
  let shownState = ''
  let historyTimer: ReturnType<typeof setTimeout> | undefined
  let telemetryTimer: ReturnType<typeof setTimeout> | undefined
  let timingData: Awaited<ReturnType<typeof api.timing>> | null = null

  function node(): NodeView | undefined {
    return store.nodes.get(id)
  }

  function loadHistory(): void {
    const n = node()
    if (!n) return
    Promise.all([
      api.transitions(id, HISTORY_DAYS * 24, ac.signal),
      api.availability(id, HISTORY_DAYS, ac.signal).catch(() => null),
    ]).then(
      ([transitions, availability]) => {
        const now = node()
        if (now) history.show(now, transitions, availability, store.tz)
      },
      (err: unknown) => !ac.signal.aborted && history.fail(err),
    )
  }

  function loadTelemetry(): void {
    clearTimeout(telemetryTimer)
    api.telemetry(id, TELEMETRY_HOURS, ac.signal).then(
      (samples) => {
        const withVolume = samples.filter((s) => typeof s.volume === 'number')
        lastVolume = withVolume.at(-1)?.volume ?? lastVolume
        charts.show(samples, store.tz)
        // A node that just came online has its first sample stored within seconds.
        if (samples.length === 0 && node()?.online) {
          telemetryTimer = setTimeout(loadTelemetry, FIRST_SAMPLE_MS)
        }
      },
      (err: unknown) => !ac.signal.aborted && charts.fail(err),
    )
    api.timing(id, ac.signal).then(
      (data) => {
        timingData = data
        timing.show(data, plays.all, store.tz)
      },
      () => timing.show(null, plays.all, store.tz),
    )
  }

  function loadPlays(): void {
    api.nodePlays(id, NODE_PLAYS, ac.signal).then(
      (list) => {
        plays.set(list, store.tz)
        timing.show(timingData, plays.all, store.tz)
      },
      (err: unknown) => !ac.signal.aborted && plays.fail(err),
    )
  }

  let loaded = false
  function show(): void {
    const n = node()
    if (!n) {
      body.hidden = true
      missing.hidden = false
      setText(missing, store.loaded ? t('node.missing', { id }) : t('common.loading'))
      document.title = t('app.title')
      return
    }
    body.hidden = false
    missing.hidden = true
    document.title = `${n.name} · ${t('app.title')}`
    summary.update(n, store.tz)
    commands.update(n)
    provision?.update()
    if (!loaded) {
      loaded = true
      shownState = `${n.state}|${n.online}`
      loadHistory()
      loadTelemetry()
      loadPlays()
    } else if (`${n.state}|${n.online}` !== shownState) {
      // A transition: fetch the history again once the controller has stored it.
      shownState = `${n.state}|${n.online}`
      clearTimeout(historyTimer)
      historyTimer = setTimeout(loadHistory, 500)
    }
  }

  const offs = [
    store.on('nodes', (ids) => {
      if (ids === null || ids.has(id)) show()
    }),
    store.on('plays', (list: Play[]) => {
      const mine = list.filter((p) => p.nodeId === id)
      if (mine.length > 0 && plays.add(mine)) timing.show(timingData, plays.all, store.tz)
    }),
    store.on('resync', () => {
      loadHistory()
      loadTelemetry()
      loadPlays()
    }),
  ]
  const tick = setInterval(() => {
    const n = node()
    if (n) summary.update(n, store.tz)
    loadTelemetry()
  }, REFRESH_MS)
  show()

  return {
    el,
    destroy() {
      for (const off of offs) off()
      clearInterval(tick)
      clearTimeout(historyTimer)
      clearTimeout(telemetryTimer)
      ac.abort()
      commands.destroy()
      provision?.destroy()
      charts.destroy()
      timing.destroy()
      today?.destroy()
    },
  }
}
