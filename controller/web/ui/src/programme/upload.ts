import { ApiError, CSRF_HEADER, errorOf } from '../api/client'
import type { AppContext } from '../session'

// A multipart upload with progress: fetch cannot report the bytes sent, XMLHttpRequest can.
// Same rules as the API client: the session's CSRF token, a typed ApiError for a refusal (with
// the server's code and details), status 0 when the controller could not be reached.

/** Sends `form` to `url` (POST); `progress(sent, total)` as the bytes go up. */
export function sendForm<T>(
  url: string,
  form: FormData,
  o: {
    csrf: string | null
    progress?: (sent: number, total: number) => void
    signal?: AbortSignal
  },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.setRequestHeader('accept', 'application/json')
    if (o.csrf) xhr.setRequestHeader(CSRF_HEADER, o.csrf)
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) o.progress?.(e.loaded, e.total)
    }
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(errorOf(xhr.status, xhr.statusText, xhr.responseText))
        return
      }
      try {
        resolve(JSON.parse(xhr.responseText) as T)
      } catch {
        reject(new ApiError(xhr.status, `${xhr.status} ${xhr.statusText}`))
      }
    }
    xhr.onerror = () => reject(new ApiError(0, 'the controller could not be reached', 'NETWORK'))
    xhr.onabort = () => reject(new DOMException('upload cancelled', 'AbortError'))
    if (o.signal?.aborted) {
      reject(new DOMException('upload cancelled', 'AbortError'))
      return
    }
    o.signal?.addEventListener('abort', () => xhr.abort(), { once: true })
    xhr.send(form)
  })
}

/**
 * `sendForm` to an `api/...` path with the session's CSRF token. A refusal for the token
 * (CSRF_INVALID: the user logged in again elsewhere in this browser, so the cookie is a newer
 * session's) or for the session asks who is logged in — a lost session goes to the login page,
 * as with every other call — and with a fresh token sends once more.
 */
export async function postForm<T>(
  ctx: Pick<AppContext, 'api' | 'session'>,
  path: string,
  form: FormData,
  o: { progress?: (sent: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<T> {
  const send = () =>
    sendForm<T>(ctx.api.href(path), form, { ...o, csrf: ctx.session.me.value?.csrfToken ?? null })
  try {
    return await send()
  } catch (err) {
    const stale = err instanceof ApiError && (err.status === 401 || err.code === 'CSRF_INVALID')
    if (!stale || o.signal?.aborted) throw err
    const me = await ctx.session.load().catch(() => null)
    if (!me?.csrfToken || (err as ApiError).status === 401) throw err
    return send()
  }
}
