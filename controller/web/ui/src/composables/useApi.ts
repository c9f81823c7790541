import { type Ref, ref, shallowRef } from 'vue'

/**
 * A call's loading and error state for a page: `run()` calls it again (a retry button, a
 * refresh after a change). The error is kept for an inline message; the client has already
 * shown it as a toast unless the call was quiet.
 */
export function useApi<T>(call: () => Promise<T>, opts: { immediate?: boolean } = {}) {
  const data = shallowRef<T | null>(null) as Ref<T | null>
  const loading = ref(false)
  const error = shallowRef<unknown>(null)
  let generation = 0

  async function run(): Promise<T | null> {
    const mine = ++generation
    loading.value = true
    error.value = null
    try {
      const value = await call()
      if (mine === generation) data.value = value
      return value
    } catch (err) {
      if (mine === generation) error.value = err
      return null
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  if (opts.immediate !== false) void run()
  return { data, loading, error, run }
}
