import {
  createRouter,
  createWebHashHistory,
  type RouteRecordRaw,
  type Router,
  type RouterHistory,
} from 'vue-router'
import { decide } from './access'
import { homeOf, PAGES, type PageDef } from './pages'
import type { Session } from './session'

// The router, built from the page table: desktop pages inside AppLayout, phone-first pages
// inside PhoneLayout, plus the login, "no access" and "not found" pages. One guard checks access.

const route = (p: PageDef): RouteRecordRaw => ({
  path: p.path.slice(1),
  name: p.name,
  component: p.load,
  meta: { titleKey: p.titleKey, roles: p.roles, page: p },
})

/** The app's router over `history` (the hash history in the browser). */
export function createAppRouter(session: Session, history: RouterHistory = createWebHashHistory()) {
  const roles = () => session.me.value?.roles ?? []
  const routes: RouteRecordRaw[] = [
    {
      path: '/login',
      name: 'login',
      component: () => import('./frame/LoginPage.vue'),
      meta: { public: true, titleKey: 'login.heading' },
    },
    {
      path: '/',
      component: () => import('./layout/AppLayout.vue'),
      children: [
        // Home: the user's first page; without a session the login, which comes back here.
        {
          path: '',
          name: 'home',
          redirect: () =>
            session.me.value ? homeOf(roles()) : { name: 'login', query: { redirect: '/' } },
        },
        ...PAGES.filter((p) => !p.phone).map(route),
        {
          path: 'no-access',
          name: 'forbidden',
          component: () => import('./frame/NoAccessPage.vue'),
          meta: { roles: 'any', titleKey: 'forbidden.heading' },
        },
        {
          path: ':pathMatch(.*)*',
          name: 'notFound',
          component: () => import('./frame/NotFoundPage.vue'),
          meta: { roles: 'any', titleKey: 'notFound.heading' },
        },
      ],
    },
    {
      path: '/',
      component: () => import('./layout/PhoneLayout.vue'),
      children: PAGES.filter((p) => p.phone).map(route),
    },
  ]
  const router = createRouter({ history, routes })
  router.beforeEach((to) => {
    const d = decide(to.meta, to.fullPath, session.me.value, homeOf, to.name === 'login')
    switch (d.kind) {
      case 'open':
        return true
      case 'home':
        return d.to
      case 'login':
        return { name: 'login', query: { redirect: d.redirect } }
      case 'forbidden':
        return { name: 'forbidden', query: { from: d.from }, replace: true }
    }
  })
  return router
}

/**
 * A fresh load of `path` (the address's hash without `#`): starts loading its layout's and page's
 * chunks and the page's first reads (page table `reads`) now, beside the session check, instead
 * of one after the other once the app has mounted. The router finds the chunks already loading
 * (an import runs once) and the page its answers on the way. Only the page the address names:
 * the home redirect depends on who is logged in.
 */
export function warmRoute(router: Router, path: string, prefetch: (path: string) => void): void {
  const to = router.resolve(path || '/')
  for (const record of to.matched) {
    const load = record.components?.default
    // A lazy component is a plain function; a loaded one is an object.
    if (typeof load === 'function' && !('__vccOpts' in load)) {
      void (load as () => Promise<unknown>)().catch(() => undefined)
    }
  }
  for (const read of to.meta.page?.reads?.(to.query) ?? []) prefetch(read)
}
