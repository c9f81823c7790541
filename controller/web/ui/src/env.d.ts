/// <reference types="vite/client" />
import type { PageRoles } from './access'
import type { PageDef } from './pages'

declare module 'vue-router' {
  interface RouteMeta {
    /** Message key of the page title. */
    titleKey?: string
    /** Who may open it besides admin. */
    roles?: PageRoles
    /** Open without a session (the login page). */
    public?: boolean
    /** The page table's row, for pages that have one. */
    page?: PageDef
  }
}
