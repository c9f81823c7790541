import { describe, expect, it } from 'vitest'
import { useApi } from './useApi'

// useApi's state: loading while a call runs, the answer or the error after, and a newer run
// winning over an older one that answers late.

function deferred<T>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('useApi', () => {
  it('tracks loading, data and error', async () => {
    const calls = [deferred<string>(), deferred<string>()]
    let n = 0
    const api = useApi(() => (calls[n++] as ReturnType<typeof deferred<string>>).promise, {
      immediate: false,
    })
    expect(api.loading.value).toBe(false)
    const first = api.run()
    expect(api.loading.value).toBe(true)
    calls[0]?.resolve('first')
    await first
    expect(api.data.value).toBe('first')
    expect(api.loading.value).toBe(false)
    const second = api.run()
    calls[1]?.reject(new Error('boom'))
    await second
    expect(api.error.value).toBeInstanceOf(Error)
    expect(api.data.value).toBe('first') // the last good answer stays shown
    expect(api.loading.value).toBe(false)
  })

  it('calls at once unless told not to', () => {
    let called = 0
    const api = useApi(() => {
      called++
      return new Promise<never>(() => {})
    })
    expect(called).toBe(1)
    expect(api.loading.value).toBe(true)
  })

  it('keeps the newest answer when an older call answers late', async () => {
    const calls = [deferred<number>(), deferred<number>()]
    let n = 0
    const api = useApi(() => (calls[n++] as ReturnType<typeof deferred<number>>).promise, {
      immediate: false,
    })
    const old = api.run()
    const fresh = api.run()
    calls[1]?.resolve(2)
    await fresh
    calls[0]?.resolve(1)
    await old
    expect(api.data.value).toBe(2)
    expect(api.loading.value).toBe(false)
  })
})
