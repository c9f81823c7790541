import { h, setText } from '../dom.js'
import { dateIn } from '../format.js'
import type { DayItem, Play } from '../types.js'
import { createKeyedList } from './keyed-list.js'
import { createPager } from './pager.js'
import { createPlayRow, type ItemInfo } from './play-row.js'
import { createSummaryTable } from './play-summary.js'
import { createPlayLog, outcomeOf, playDate, summarise } from './plays-data.js'
import type { ViewFactory } from './view.js'

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/

/**
 * The plays page: one date's play events (today by default, or `#/plays?date=…`), newest first,
 * with counts per item; stream events of the shown date are added live.
 */
export const playsView: ViewFactory = (ctx, route) => {
  const { i18n, store, api } = ctx
  const t = i18n.t
  const asked = route.params.get('date')
  let followToday = !(asked && DATE_RE.test(asked))
  let date = followToday ? dateIn(store.tz) : (asked as string)
  let failedOnly = route.params.get('result') === 'failed'
  let items: DayItem[] = []
  const itemInfo = new Map<string, ItemInfo>()
  const log = createPlayLog()
  let loading = true
  let error: string | null = null
  let abort: AbortController | null = null
  let frame = 0
  // Stream events that arrive while the day is loading are added after the snapshot.
  let early: Play[] = []

  const dateInput = h('input', { id: 'p-date', type: 'date', required: true })
  dateInput.value = date
  const today = h('button', { type: 'button', class: 'button' }, t('plays.today'))
  const result = h(
    'select',
    { id: 'p-result' },
    h('option', { value: '' }, t('plays.resultAll')),
    h('option', { value: 'failed' }, t('plays.resultFailed')),
  )
  result.value = failedOnly ? 'failed' : ''
  const form = h(
    'form',
    { class: 'filters', 'aria-label': t('filter.label') },
    h('div', { class: 'field' }, h('label', { for: 'p-date' }, t('plays.date')), dateInput),
    h('div', { class: 'field field-button' }, today),
    h('div', { class: 'field' }, h('label', { for: 'p-result' }, t('plays.result')), result),
  )
  form.addEventListener('submit', (e) => e.preventDefault())

  const totals = h('p', { class: 'totals', 'aria-live': 'polite' })
  const summary = createSummaryTable(i18n)
  const tbody = h('tbody')
  const labels = ['time', 'node', 'item', 'result'] as const
  const table = h(
    'table',
    { class: 'grid plays-table' },
    h('caption', { class: 'sr-only' }, t('plays.eventsCaption')),
    h(
      'thead',
      {},
      h('tr', {}, ...labels.map((c) => h('th', { scope: 'col' }, t(`plays.col.${c}`)))),
    ),
    tbody,
  )
  const message = h('p', { class: 'message', hidden: true })
  const pager = createPager(i18n, () => render())

  const el = h(
    'section',
    { class: 'page page-plays', 'aria-labelledby': 'plays-h' },
    h('h1', { id: 'plays-h' }, t('plays.heading')),
    form,
    totals,
    h('h2', {}, t('plays.byItem')),
    h('div', { class: 'table-wrap' }, summary.el),
    h('h2', {}, t('plays.events')),
    h('div', { class: 'table-wrap' }, table),
    message,
    pager.el,
  )

  const list = createKeyedList<Play>({
    container: tbody,
    key: (p) => p.eventId,
    create: createPlayRow(
      i18n,
      (id) => store.nodes.get(id),
      (id) => itemInfo.get(id),
      () => store.tz,
    ),
  })

  function render(): void {
    const all = log.all
    const c = { started: 0, finished: 0, failed: 0 }
    for (const p of all) {
      const o = outcomeOf(p)
      if (o === 'started' || o === 'finished' || o === 'failed') c[o]++
    }
    setText(totals, t('plays.totals', c))
    summary.render(summarise(all, date, items))
    const shown = failedOnly ? all.filter((p) => outcomeOf(p) === 'failed') : all
    list.render(shown.slice(0, pager.limit))
    pager.show(list.size, shown.length)
    table.hidden = shown.length === 0
    let text: string | null = null
    if (error) text = t('common.loadError', { msg: error })
    else if (loading) text = t('common.loading')
    else if (shown.length === 0) text = t('plays.empty')
    message.hidden = text === null
    setText(message, text ?? '')
  }

  async function load(): Promise<void> {
    abort?.abort()
    const ac = new AbortController()
    abort = ac
    loading = true
    error = null
    early = []
    render()
    try {
      const [plays, day] = await Promise.all([
        api.plays(date, ac.signal),
        // The running order only names the items; the page works without it.
        api.day(date, ac.signal).catch(() => null),
      ])
      if (ac.signal.aborted) return
      items = day?.items ?? []
      itemInfo.clear()
      for (const i of items) {
        itemInfo.set(`${date}/${i.id}`, { title: i.title || null, clock: i.start.slice(0, 5) })
      }
      log.reset(plays)
      log.add(early)
      list.refresh()
    } catch (err) {
      if (ac.signal.aborted) return
      error = err instanceof Error ? err.message : String(err)
      log.reset([])
    }
    early = []
    loading = false
    render()
  }

  function setDate(next: string, follow: boolean): void {
    followToday = follow
    dateInput.value = next
    if (next === date) return
    date = next
    pager.reset()
    ctx.router.replaceParams({ date: follow ? '' : date, result: failedOnly ? 'failed' : '' })
    void load()
  }

  dateInput.addEventListener('change', () => {
    if (DATE_RE.test(dateInput.value))
      setDate(dateInput.value, dateInput.value === dateIn(store.tz))
  })
  today.addEventListener('click', () => setDate(dateIn(store.tz), true))
  result.addEventListener('change', () => {
    failedOnly = result.value === 'failed'
    pager.reset()
    ctx.router.replaceParams({ date: followToday ? '' : date, result: failedOnly ? 'failed' : '' })
    render()
  })

  const offs = [
    store.on('plays', (plays) => {
      const mine = plays.filter((p) => playDate(p) === date)
      if (loading) early.push(...mine)
      else if (log.add(mine) > 0) render()
    }),
    // Rows show node names: refresh them when nodes change (at most once a frame).
    store.on('nodes', () => {
      frame ||= requestAnimationFrame(() => {
        frame = 0
        list.refresh()
      })
    }),
    store.on('resync', () => void load()),
  ]
  // After midnight the page moves on to the new day unless a date was picked.
  const tick = setInterval(() => {
    if (followToday && dateIn(store.tz) !== date) setDate(dateIn(store.tz), true)
  }, 30_000)
  void load()

  return {
    el,
    destroy() {
      for (const off of offs) off()
      clearInterval(tick)
      cancelAnimationFrame(frame)
      abort?.abort()
      pager.destroy()
    },
  }
}
