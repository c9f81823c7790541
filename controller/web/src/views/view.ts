import type { Api } from '../api.js'
import type { I18n } from '../i18n.js'
import type { Live } from '../live.js'
import type { Route, Router } from '../router.js'
import type { Session } from '../session.js'
import type { Store } from '../store.js'

/** What every view gets. */
export interface ViewContext {
  api: Api
  i18n: I18n
  store: Store
  live: Live
  router: Router
  /** Who is signed in and with which roles (views hide what the roles may not do). */
  session: Session
}

/** A mounted page; `destroy()` removes its listeners and timers. */
export interface View {
  el: HTMLElement
  destroy(): void
}

/** Creates a page for a route. */
export type ViewFactory = (ctx: ViewContext, route: Route) => View
