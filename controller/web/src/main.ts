import { homeOf, mayOpen, reachable } from './access.js'
import { accessApi } from './access-api.js'
import type { Me } from './access-types.js'
import { ApiError, api, setAuthLostHandler, setCsrfToken } from './api.js'
import { createI18n, type I18n, LOCALE } from './i18n.js'
import { startLive } from './live.js'
import { createRouter, type Route } from './router.js'
import { createSession } from './session.js'
import { createStore } from './store.js'
import type { NodeView, Zone } from './types.js'
import { accountView } from './views/account.js'
import { createAlertBanner } from './views/alert-banner.js'
import { alertsView } from './views/alerts.js'
import { announcementsView } from './views/announcements.js'
import { audioView } from './views/audio.js'
import { auditView } from './views/audit.js'
import { bootErrorPage, forbiddenView } from './views/boot-pages.js'
import { calendarView } from './views/calendar.js'
import { createFooter } from './views/footer.js'
import { createHeader, PAGES } from './views/header.js'
import { installView } from './views/install.js'
import { createLoginPage, type LoginReason } from './views/login.js'
import { mapView } from './views/map.js'
import { nodeIdOf, nodeView } from './views/node.js'
import { nodesView } from './views/nodes.js'
import { orderEditorView, orderTargetOf } from './views/order-editor.js'
import { playsView } from './views/plays.js'
import { programmeView } from './views/programme.js'
import { reportsView } from './views/reports.js'
import { tokensView } from './views/tokens.js'
import { usersView } from './views/users.js'
import type { View, ViewContext, ViewFactory } from './views/view.js'
// The programme pages' styles (issue 3), bundled by esbuild into dist/app.css.
import './programme.css'
// Login, accounts, tokens, audit and the installer's pages (issue 5), into dist/app.css too.
import './access.css'

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
  '/install': installView,
  '/users': usersView,
  '/tokens': tokensView,
  '/audit': auditView,
  '/account': accountView,
}
const DEFAULT_PATH = '/nodes'
/** Pages shown under another page's tab (the admin pages share one). */
const TAB_OF: Record<string, string> = { '/tokens': '/users', '/audit': '/users' }

/** The page for a path, and the tab it belongs to (`/nodes/<id>` is under `/nodes`). */
function resolve(path: string): { key: string; tab: string; factory: ViewFactory } | null {
  const exact = VIEWS[path]
  if (exact) return { key: path, tab: TAB_OF[path] ?? path, factory: exact }
  if (nodeIdOf(path) !== null) return { key: path, tab: '/nodes', factory: nodeView }
  const order = orderTargetOf(path)
  if (order) return { key: path, tab: '/programme', factory: orderEditorView(order) }
  return null
}

function storage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

/** The signed-in app: shell, store, live stream and pages, for one session until it ends. */
function startApp(root: HTMLElement, i18n: I18n, me: Me, logout: () => Promise<void>) {
  const session = createSession(me, logout)
  const roles = me.roles
  const home = homeOf(roles)
  const store = createStore()
  const live = startLive({
    store,
    api,
    // The stream was refused: ask who we are, so a session that ended shows the login.
    onRefused: () => void accessApi.me().catch(() => {}),
    alerts: session.has('technician'),
    // The stream carries every node; a user limited to zones keeps only theirs.
    ...(me.zones.length > 0 ? { accept: (n: NodeView) => inMyZones(n.zone) } : {}),
  })
  let reach: { zones: readonly Zone[]; ids: Set<string> | null } | null = null
  function inMyZones(zone: string): boolean {
    if (reach?.zones !== store.zones)
      reach = { zones: store.zones, ids: reachable(store.zones, me.zones) }
    return reach.ids?.has(zone) ?? true
  }
  const main = document.createElement('main')
  main.id = 'main'
  main.tabIndex = -1

  let header: ReturnType<typeof createHeader> | null = null
  let banner: ReturnType<typeof createAlertBanner> | null = null
  let footer: ReturnType<typeof createFooter> | null = null
  let view: View | null = null
  let shownPath = ''

  const router = createRouter({ fallback: home, onRoute: (r) => show(r) })
  const ctx: ViewContext = { api, i18n, store, live, router, session }

  /** Mounts the page for a route (also when only its params changed, or the language did). */
  function show(route: Route): void {
    // An unknown path opens the user's first page; one the roles may not open says so.
    const { key, tab, factory } = resolve(route.path) ??
      resolve(home) ?? { key: home, tab: home, factory: VIEWS[DEFAULT_PATH] as ViewFactory }
    const allowed = mayOpen(tab, roles)
    const page = PAGES.find((p) => p.path === key)
    // Before the view: a page may set a more precise title itself.
    document.title = page ? `${i18n.t(page.label)} · ${i18n.t('app.title')}` : i18n.t('app.title')
    view?.destroy()
    view = allowed ? factory(ctx, route) : forbiddenView(ctx, route)
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
    header = createHeader(i18n, store, session)
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

  const offResync = store.on('resync', () => footer?.refresh())
  shell()
  router.start()

  return {
    /** Rebuilds the shell and the page in the new language. */
    relang(): void {
      // The switch is rebuilt with the page: keep the keyboard focus on it.
      const onSwitch = document.activeElement?.classList.contains('lang') ?? false
      shell()
      show(router.current())
      if (onSwitch) root.querySelector<HTMLButtonElement>('.lang')?.focus()
    },
    stop(): void {
      offResync()
      router.stop()
      view?.destroy()
      view = null
      header?.destroy()
      banner?.destroy()
      footer?.destroy()
      live.stop()
    },
  }
}

/**
 * Boot: `GET api/auth/me` decides between the app and the login page. A 401 anywhere later
 * (the session ended) goes back to the login page and keeps the address, so that the app opens
 * the same page again after logging in.
 */
function boot(root: HTMLElement): void {
  const i18n = createI18n(storage())
  let app: ReturnType<typeof startApp> | null = null
  let login: ReturnType<typeof createLoginPage> | null = null
  let reason: LoginReason = 'none'

  function enter(me: Me): void {
    setCsrfToken(me.csrfToken)
    login?.destroy()
    login = null
    app?.stop()
    app = startApp(root, i18n, me, logout)
  }

  function toLogin(why: LoginReason, username = ''): void {
    if (login) return
    app?.stop()
    app = null
    setCsrfToken(null)
    reason = why
    document.documentElement.lang = LOCALE[i18n.lang()]
    document.title = `${i18n.t('login.heading')} · ${i18n.t('app.title')}`
    login = createLoginPage(i18n, { api: accessApi, reason, username, onLogin: enter })
    root.replaceChildren(login.el)
    login.focus()
  }

  async function logout(): Promise<void> {
    await accessApi.logout().catch(() => {})
    toLogin('loggedOut')
  }

  function start(): void {
    accessApi.me().then(enter, (err: unknown) => {
      if (err instanceof ApiError && err.status === 401) toLogin('none')
      else root.replaceChildren(bootErrorPage(i18n, err, start))
    })
  }

  // Only a running app can lose its session; at boot the 401 of `/me` is the answer itself.
  setAuthLostHandler(() => {
    if (app) toLogin('expired')
  })
  i18n.onChange(() => {
    if (app) app.relang()
    else if (login) {
      const username = login.username()
      login.destroy()
      login = null
      toLogin(reason, username)
    }
  })
  start()
}

const root = document.getElementById('app')
if (root) boot(root)
