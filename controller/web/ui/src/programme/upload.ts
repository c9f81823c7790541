import { ApiError, CSRF_HEADER, errorOf } from '../api/client'

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
