// Element Plus's components come with the pages that use them (vite.config.ts); the message and
// message box are called from code, so their styles are imported here.
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import './frame/frame.css'
import { ElMessage } from 'element-plus'
import { createApp, watch } from 'vue'
import App from './App.vue'
import { accessApi } from './api/access'
import { type ApiError, createApiClient } from './api/client'
import { errorText } from './api/errors'
import { createLive, LIVE } from './api/live'
import { createAppI18n } from './i18n'
import { createAppRouter, warmRoute } from './router'
import { APP_CONTEXT, createSession } from './session'

// Boot: the API client, who is logged in, then the app (i18n, router).

/** localStorage, or null where the browser refuses it (sandboxed frames, some private modes). */
function storage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}
const i18n = createAppI18n(storage())
const t = (key: string, vars?: Record<string, unknown>) => i18n.global.t(key, vars ?? {})
const api = createApiClient({
  base: '../',
  onAuthLost: () => {
    // Only a session we had can be lost (the boot's "who am I" answers 401 without one).
    if (!session.me.value) return
    session.lost()
    const here = router.currentRoute.value
    if (here.name !== 'login')
      void router.push({ name: 'login', query: { redirect: here.fullPath } })
  },
  onError: (err: ApiError) => {
    ElMessage.error({ message: errorText(err, t), grouping: true })
  },
})
const access = accessApi(api)
const session = createSession(api, access)
const router = createAppRouter(session)
// A refused stream may mean the session ended: asking who is logged in finds out (a 401 there
// hands over to the login).
const live = createLive({
  url: '../api/stream',
  onRefused: () => void access.me().catch(() => null),
})
// Logged out or session lost: close the stream (the next page that subscribes opens it again).
watch(session.me, (me) => {
  if (!me) live.stop()
})

// Who is logged in, and meanwhile the page the address names: its chunks and its first reads.
const loading = session.load()
warmRoute(router, window.location.hash.slice(1), api.prefetch)
try {
  await loading
} catch {
  // The controller is unreachable: the login page says so when the user tries.
}
const app = createApp(App)
app.use(i18n)
app.use(router)
app.provide(APP_CONTEXT, { api, access, session })
app.provide(LIVE, live)
app.mount('#app')
