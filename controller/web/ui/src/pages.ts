import {
  Bell,
  Calendar,
  Clock,
  Document,
  Headset,
  Key,
  List,
  Location,
  Microphone,
  Monitor,
  Notebook,
  OfficeBuilding,
  Setting,
  Tickets,
  User,
  VideoPlay,
} from '@element-plus/icons-vue'
import type { Component } from 'vue'
import { mayOpen, type PageRoles } from './access'
import type { Role } from './api/types'
import { filterFromQuery, nodesPath } from './fleet/fleet'

// THE page table: one row per page. It drives the router (router.ts), the side navigation
// (layout/SideNav.vue), the title and breadcrumb (layout/AppLayout.vue) and the access checks
// (access.ts `decide`). To add a page: add a row here and write its component in its feature
// folder (admin/, programme/, fleet/, install/). See controller/web/README.md.

/** Feature groups: the side navigation's sections, and the folders pages live in. */
export type FeatureGroup = 'fleet' | 'programme' | 'install' | 'admin' | 'account'

/** One page of the UI. */
export interface PageDef {
  /** The hash path: `#/users`. Unique. */
  path: string
  /** The route name. Unique. */
  name: string
  /** Message key of the page's title (nav entry, breadcrumb, document title). */
  titleKey: string
  /** Who may open it besides admin (`[]`: admin only, `'any'`: every logged-in user). */
  roles: PageRoles
  group: FeatureGroup
  /** Loads the page's component (a separate chunk). */
  load: () => Promise<Component>
  /** Where the page is listed: the side navigation, the user menu, or nowhere (a sub-page). */
  nav: 'side' | 'user' | 'none'
  /** Phone-first page: the phone layout (no side navigation, top and bottom bars). */
  phone: boolean
  icon?: Component
  /**
   * The GETs the page (and its layout's banners) makes as it opens, from its query: on a fresh
   * load of its address they start beside the session check, before its chunk has loaded
   * (router.ts `warmRoute`). Exactly the paths the page asks, or they are wasted.
   */
  reads?: (query: Record<string, unknown>) => string[]
}

/** Every page, in navigation order. */
export const PAGES: readonly PageDef[] = [
  // Fleet.
  {
    path: '/nodes',
    name: 'nodes',
    titleKey: 'nav.nodes',
    roles: ['technician', 'installer'],
    group: 'fleet',
    load: () => import('./fleet/NodesPage.vue'),
    nav: 'side',
    phone: false,
    icon: Monitor,
    // The first page of the list, the counts, the zones' names (the banners' reads depend on
    // the user's roles, unknown yet).
    reads: (query) => [nodesPath(filterFromQuery(query)), 'api/fleet/summary', 'api/zones'],
  },
  {
    path: '/nodes/:id',
    name: 'node',
    titleKey: 'nav.node',
    roles: ['technician', 'installer'],
    group: 'fleet',
    load: () => import('./fleet/NodePage.vue'),
    nav: 'none',
    phone: false,
  },
  {
    path: '/map',
    name: 'map',
    titleKey: 'nav.map',
    roles: ['technician', 'installer'],
    group: 'fleet',
    load: () => import('./fleet/MapPage.vue'),
    nav: 'side',
    phone: false,
    icon: Location,
  },
  {
    path: '/alerts',
    name: 'alerts',
    titleKey: 'nav.alerts',
    roles: ['technician'],
    group: 'fleet',
    load: () => import('./fleet/AlertsPage.vue'),
    nav: 'side',
    phone: false,
    icon: Bell,
  },
  {
    path: '/plays',
    name: 'plays',
    titleKey: 'nav.plays',
    roles: ['scheduler', 'technician'],
    group: 'fleet',
    load: () => import('./fleet/PlaysPage.vue'),
    nav: 'side',
    phone: false,
    icon: VideoPlay,
  },
  // Programme.
  {
    path: '/programme',
    name: 'programme',
    titleKey: 'nav.programme',
    roles: ['scheduler'],
    group: 'programme',
    load: () => import('./programme/ProgrammePage.vue'),
    nav: 'side',
    phone: false,
    icon: List,
  },
  {
    path: '/calendar',
    name: 'calendar',
    titleKey: 'nav.calendar',
    roles: ['scheduler'],
    group: 'programme',
    load: () => import('./programme/CalendarPage.vue'),
    nav: 'side',
    phone: false,
    icon: Calendar,
  },
  {
    path: '/audio',
    name: 'audio',
    titleKey: 'nav.audio',
    roles: ['scheduler'],
    group: 'programme',
    load: () => import('./programme/AudioPage.vue'),
    nav: 'side',
    phone: false,
    icon: Headset,
  },
  {
    path: '/announcements',
    name: 'announcements',
    titleKey: 'nav.announcements',
    roles: ['scheduler'],
    group: 'programme',
    load: () => import('./programme/AnnouncementsPage.vue'),
    nav: 'side',
    phone: false,
    icon: Microphone,
  },
  {
    path: '/talk',
    name: 'talk',
    titleKey: 'nav.talk',
    roles: ['scheduler'],
    group: 'programme',
    load: () => import('./programme/TalkPage.vue'),
    nav: 'side',
    phone: false,
    icon: Microphone,
  },
  {
    path: '/reports',
    name: 'reports',
    titleKey: 'nav.reports',
    roles: ['scheduler'],
    group: 'programme',
    load: () => import('./programme/ReportsPage.vue'),
    nav: 'side',
    phone: false,
    icon: Document,
  },
  // Installation (phone first).
  {
    path: '/install',
    name: 'install',
    titleKey: 'nav.install',
    roles: ['installer'],
    group: 'install',
    load: () => import('./install/InstallPage.vue'),
    nav: 'side',
    phone: true,
    icon: Setting,
  },
  // Administration.
  {
    path: '/users',
    name: 'users',
    titleKey: 'nav.users',
    roles: [],
    group: 'admin',
    load: () => import('./admin/UsersPage.vue'),
    nav: 'side',
    phone: false,
    icon: User,
  },
  {
    path: '/zones',
    name: 'zones',
    titleKey: 'nav.zones',
    roles: [],
    group: 'admin',
    load: () => import('./admin/ZonesPage.vue'),
    nav: 'side',
    phone: false,
    icon: OfficeBuilding,
  },
  {
    path: '/tokens',
    name: 'tokens',
    titleKey: 'nav.tokens',
    roles: [],
    group: 'admin',
    load: () => import('./admin/TokensPage.vue'),
    nav: 'side',
    phone: false,
    icon: Key,
  },
  {
    path: '/audit',
    name: 'audit',
    titleKey: 'nav.audit',
    roles: [],
    group: 'admin',
    load: () => import('./admin/AuditPage.vue'),
    nav: 'side',
    phone: false,
    icon: Tickets,
  },
  // Own account: in the user menu, for everyone.
  {
    path: '/account',
    name: 'account',
    titleKey: 'nav.account',
    roles: 'any',
    group: 'account',
    load: () => import('./admin/AccountPage.vue'),
    nav: 'user',
    phone: false,
    icon: Notebook,
  },
]

/** Side navigation sections in order, with their title keys. */
export const GROUPS: readonly { group: FeatureGroup; titleKey: string; icon: Component }[] = [
  { group: 'fleet', titleKey: 'nav.group.fleet', icon: Monitor },
  { group: 'programme', titleKey: 'nav.group.programme', icon: Clock },
  { group: 'install', titleKey: 'nav.group.install', icon: Setting },
  { group: 'admin', titleKey: 'nav.group.admin', icon: User },
]

/** Where each role starts, in order of preference. */
const HOMES = ['/nodes', '/install', '/programme', '/plays', '/account']

/** The pages these roles may open. */
export function pagesFor(roles: readonly Role[], pages: readonly PageDef[] = PAGES): PageDef[] {
  return pages.filter((p) => mayOpen(p.roles, roles))
}

/** The first page these roles may open: fleet for technicians, install for installers, … */
export function homeOf(roles: readonly Role[], pages: readonly PageDef[] = PAGES): string {
  const open = new Set(pagesFor(roles, pages).map((p) => p.path))
  return HOMES.find((p) => open.has(p)) ?? '/account'
}

/** The side navigation for these roles: the groups that have a page they may open. */
export function navFor(roles: readonly Role[], pages: readonly PageDef[] = PAGES) {
  const mine = pagesFor(roles, pages).filter((p) => p.nav === 'side')
  return GROUPS.map((g) => ({ ...g, pages: mine.filter((p) => p.group === g.group) })).filter(
    (g) => g.pages.length > 0,
  )
}
