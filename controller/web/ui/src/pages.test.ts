import { describe, expect, it } from 'vitest'
import { messagesOf } from './i18n'
import { GROUPS, homeOf, navFor, PAGES, pagesFor } from './pages'

// Who may open each page besides admin: the server's access policy says the same for the routes
// each page calls (test/integration/access.test.ts); a change here is a change of who sees what.
const PAGE_ROLES: Readonly<Record<string, readonly string[] | 'any'>> = {
  '/nodes': ['technician', 'installer'],
  '/map': ['technician', 'installer'],
  '/alerts': ['technician'],
  '/plays': ['scheduler', 'technician'],
  '/programme': ['scheduler'],
  '/calendar': ['scheduler'],
  '/audio': ['scheduler'],
  '/announcements': ['scheduler'],
  '/reports': ['scheduler'],
  '/install': ['installer'],
  '/users': [],
  '/zones': [],
  '/tokens': [],
  '/audit': [],
  '/account': 'any',
}

describe('the page table', () => {
  it('has unique paths and names, and a title in both languages for every page and group', () => {
    expect(new Set(PAGES.map((p) => p.path)).size).toBe(PAGES.length)
    expect(new Set(PAGES.map((p) => p.name)).size).toBe(PAGES.length)
    const zh = messagesOf('zh-CN')
    const en = messagesOf('en')
    for (const key of [...PAGES.map((p) => p.titleKey), ...GROUPS.map((g) => g.titleKey)]) {
      expect(zh[key], key).toBeTruthy()
      expect(en[key], key).toBeTruthy()
    }
    // Sub-pages carry one parameter: /nodes/:id.
    for (const p of PAGES) expect(p.path).toMatch(/^\/[a-z-]+(\/:[a-z]+)?$/)
  })

  it('has every page of the UI, open to the roles it always was', () => {
    for (const [path, roles] of Object.entries(PAGE_ROLES)) {
      const page = PAGES.find((p) => p.path === path)
      expect(page, path).toBeDefined()
      expect(page?.roles, path).toEqual(roles)
    }
  })

  it('starts each role on its home page and lists only what it may open', () => {
    expect(homeOf(['admin'])).toBe('/nodes')
    expect(homeOf(['technician'])).toBe('/nodes')
    expect(homeOf(['installer'])).toBe('/nodes')
    expect(homeOf(['scheduler'])).toBe('/programme')
    expect(homeOf([])).toBe('/account')
    const tech = navFor(['technician'])
    expect(tech.map((g) => g.group)).toEqual(['fleet'])
    expect(tech.flatMap((g) => g.pages.map((p) => p.path))).toEqual([
      '/nodes',
      '/map',
      '/alerts',
      '/plays',
    ])
    expect(navFor(['admin']).map((g) => g.group)).toEqual([
      'fleet',
      'programme',
      'install',
      'admin',
    ])
    // The account page is in the user menu, for everyone; nobody without roles sees more.
    expect(pagesFor([]).map((p) => p.path)).toEqual(['/account'])
  })

  it('gives the installer the phone layout for installation only', () => {
    expect(PAGES.filter((p) => p.phone).map((p) => p.path)).toEqual(['/install'])
  })
})
