import { type InjectionKey, inject, readonly, ref } from 'vue'
import { hasRole } from './access'
import type { AccessApi } from './api/access'
import type { ApiClient } from './api/client'
import type { Me, Role } from './api/types'

/** Why the login page is shown: first visit, a session that ended, or a logout. */
export type LoginReason = 'none' | 'expired' | 'loggedOut'

/** Who is logged in, shared by every page (provided by main.ts, read with `useSession()`). */
export function createSession(api: ApiClient, access: AccessApi) {
  const me = ref<Me | null>(null)
  const reason = ref<LoginReason>('none')

  function set(next: Me | null): void {
    me.value = next
    api.setCsrfToken(next?.csrfToken ?? null)
  }

  return {
    me: readonly(me),
    /** Why the login page shows (a note above the form). */
    reason: readonly(reason),
    /** Asks the controller who is logged in (on start). */
    async load(): Promise<Me | null> {
      set(await access.me())
      return me.value
    },
    async login(username: string, password: string): Promise<Me> {
      const who = await access.login(username, password)
      api.dropPrefetched()
      set(who)
      reason.value = 'none'
      return who
    },
    async logout(): Promise<void> {
      try {
        await access.logout()
      } finally {
        api.dropPrefetched()
        set(null)
        reason.value = 'loggedOut'
      }
    },
    /** The controller said the session is gone. */
    lost(): void {
      api.dropPrefetched()
      set(null)
      reason.value = 'expired'
    },
    /** Whether the logged-in user holds the role (admin holds every role). */
    has(role: Role): boolean {
      return me.value !== null && hasRole(me.value.roles, role)
    },
  }
}

/** The session. */
export type Session = ReturnType<typeof createSession>

/** What main.ts provides to every component. */
export interface AppContext {
  api: ApiClient
  access: AccessApi
  session: Session
}

export const APP_CONTEXT: InjectionKey<AppContext> = Symbol('chorus.app')

/** The app's client, access API and session (inside a component's setup). */
export function useApp(): AppContext {
  const ctx = inject(APP_CONTEXT)
  if (!ctx) throw new Error('useApp() outside the Chorus app')
  return ctx
}
