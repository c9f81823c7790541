import { api } from './api.js'
import { createI18n, LOCALE } from './i18n.js'
import { startLive } from './live.js'
import { createRouter, type Route } from './router.js'
import { createStore } from './store.js'
import { createFooter } from './views/footer.js'
import { createHeader, PAGES } from './views/header.js'
import { nodesView } from './views/nodes.js'
import { playsView } from './views/plays.js'
import type { View, ViewContext, ViewFactory } from './views/view.js'

/** Pages by hash path; the first is the default. */
const VIEWS: Record<string, ViewFactory> = {
  '/nodes': nodesView,
  '/plays': playsView,
}
const DEFAULT_PATH = '/nodes'

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
  let footer: ReturnType<typeof createFooter> | null = null
  let view: View | null = null
  let shownPath = ''

  const router = createRouter({ fallback: DEFAULT_PATH, onRoute: (r) => show(r) })
  const ctx: ViewContext = { api, i18n, store, live, router }

  /** Mounts the page for a route (also when only its params changed, or the language did). */
  function show(route: Route): void {
    const path = route.path in VIEWS ? route.path : DEFAULT_PATH
    const factory = VIEWS[path] as ViewFactory
    view?.destroy()
    view = factory(ctx, route)
    main.replaceChildren(view.el)
    if (shownPath && path !== shownPath) main.focus({ preventScroll: true })
    shownPath = path
    header?.setActive(path)
    const page = PAGES.find((p) => p.path === path)
    document.title = page ? `${i18n.t(page.label)} · ${i18n.t('app.title')}` : i18n.t('app.title')
  }

  function shell(): void {
    const lang = i18n.lang()
    document.documentElement.lang = LOCALE[lang]
    header?.destroy()
    footer?.destroy()
    header = createHeader(i18n, store)
    footer = createFooter(i18n, api)
    const skip = document.createElement('a')
    skip.className = 'skip'
    skip.href = '#main'
    skip.textContent = i18n.t('app.skip')
    skip.addEventListener('click', (e) => {
      e.preventDefault()
      main.focus()
    })
    root.replaceChildren(skip, header.el, main, footer.el)
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
