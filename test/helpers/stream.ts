import { expect } from 'vitest'
import type { TestController } from './controller.js'

/**
 * Opens GET /api/stream with these headers and parses its frames as they come: `of(event)` gives
 * the data of every frame of that event so far; `close()` ends the request.
 */
export async function openStream(ctl: TestController, headers: Record<string, string>) {
  const abort = new AbortController()
  const res = await fetch(`${ctl.url}/api/stream`, { headers, signal: abort.signal })
  expect(res.status).toBe(200)
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let text = ''
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        text += decoder.decode(value, { stream: true })
      }
    } catch {
      // aborted by the test's cleanup
    }
  })()
  const frames = () =>
    [...text.matchAll(/^event: (.+)\ndata: (.+)$/gm)].map((m) => ({
      event: m[1]!,
      data: JSON.parse(m[2]!) as unknown,
    }))
  const of = (event: string) =>
    frames()
      .filter((f) => f.event === event)
      .map((f) => f.data)
  return { of, close: () => abort.abort() }
}
