import { api } from './api.js'
import { createI18n, LOCALE } from './i18n.js'
import { startLive } from './live.js'
import { createRouter, type Route } from './router.js'
import { createStore } from './store.js'
import { createAlertBanner } from './views/alert-banner.js'
import { alertsView } from './views/alerts.js'
import { announcementsView } from './views/announcements.js'
import { audioView } from './views/audio.js'
import { calendarView } from './views/calendar.js'
import { createFooter } from './views/footer.js'
import { createHeader, PAGES } from './views/header.js'
import { mapView } from './views/map.js'
import { nodeIdOf, nodeView } from './views/node.js'
import { nodesView } from './views/nodes.js'
import { orderEditorView, orderTargetOf } from './views/order-editor.js'
import { playsView } from './views/plays.js'
import { programmeView } from './views/programme.js'
import { reportsView } from './views/reports.js'
import type { View, ViewContext, ViewFactory } from './views/view.js'
// The programme pages' styles (issue 3), bundled by esbuild into dist/app.css.
import './programme.css'

/** Pages by hash path; the first is the default. */
const VIEWS: Record<string, ViewFactory> = {
  '/nodes': nodesView,
  '/map': mapView,
  '/alerts': alertsView,
  '/plays': playsView,
  '/programme': programmeView,
  '/calendar': calendarView,
  '/audio': audioView,
  '/announcements': announcementsView,
  '/reports': reportsView,
}
const DEFAULT_PATH = '/nodes'

/** The page for a path, and the tab it belongs to (`/nodes/<id>` is under `/nodes`). */
function resolve(path: string): { key: string; tab: string; factory: ViewFactory } {
  const exact = VIEWS[path]
  if (exact) return { key: path, tab: path, factory: exact }
  if (nodeIdOf(path) !== null) return { key: path, tab: '/nodes', factory: nodeView }
  const order = orderTargetOf(path)
  if (order) return { key: path, tab: '/programme', factory: orderEditorView(order) }
  return { key: DEFAULT_PATH, tab: DEFAULT_PATH, factory: VIEWS[DEFAULT_PATH] as ViewFactory }
}

function storage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

function boot(root: HTMLElement): void {
  const i18n = createI18n(storage())
  const store = createStore()
  const live = startLive({ store, api })
  const main = document.createElement('main')
  main.id = 'main'
  main.tabIndex = -1

  let header: ReturnType<typeof createHeader> | null = null
  let banner: ReturnType<typeof createAlertBanner> | null = null
  let footer: ReturnType<typeof createFooter> | null = null
  let view: View | null = null
  let shownPath = ''

  const router = createRouter({ fallback: DEFAULT_PATH, onRoute: (r) => show(r) })
  const ctx: ViewContext = { api, i18n, store, live, router }

  /** Mounts the page for a route (also when only its params changed, or the language did). */
  function show(route: Route): void {
    const { key, tab, factory } = resolve(route.path)
    const page = PAGES.find((p) => p.path === key)
    // Before the view: a page may set a more precise title itself.
    document.title = page ? `${i18n.t(page.label)} · ${i18n.t('app.title')}` : i18n.t('app.title')
    view?.destroy()
    view = factory(ctx, route)
    main.replaceChildren(view.el)
    if (shownPath && key !== shownPath) {
      main.focus({ preventScroll: true })
      window.scrollTo(0, 0)
    }
    shownPath = key
    header?.setActive(tab)
  }

  function shell(): void {
    const lang = i18n.lang()
    document.documentElement.lang = LOCALE[lang]
    header?.destroy()
    banner?.destroy()
    footer?.destroy()
    header = createHeader(i18n, store)
    banner = createAlertBanner(i18n, store)
    footer = createFooter(i18n, api)
    const skip = document.createElement('a')
    skip.className = 'skip'
    skip.href = '#main'
    skip.textContent = i18n.t('app.skip')
    skip.addEventListener('click', (e) => {
      e.preventDefault()
      main.focus()
    })
    root.replaceChildren(skip, header.el, banner.el, main, footer.el)
  }

  i18n.onChange(() => {
    // The switch is rebuilt with the page: keep the keyboard focus on it.
    const onSwitch = document.activeElement?.classList.contains('lang') ?? false
    shell()
    show(router.current())
    if (onSwitch) root.querySelector<HTMLButtonElement>('.lang')?.focus()
  })
  store.on('resync', () => footer?.refresh())
  shell()
  router.start()
}

const root = document.getElementById('app')
if (root) boot(root)
