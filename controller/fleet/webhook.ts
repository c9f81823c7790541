import type { Logger } from 'pino'
import type { CancelTimer, Clock } from '../platform/index.js'
import type { SharedRepositories } from '../repositories.js'
import type { AlertRecord } from './repositories/alerts-repository.js'

/** Longest wait for one webhook request. */
export const WEBHOOK_TIMEOUT_MS = 5_000

/**
 * Delivers alerts to the configured webhook as JSON POSTs: `{ event: 'opened' | 'resolved',
 * alert }`. A failed attempt (network error or a non-2xx answer) is retried with exponential
 * backoff (base, 2 × base, 4 × base …) up to `maxAttempts`; every attempt is recorded.
 */
export function createWebhook(deps: {
  repos: Pick<SharedRepositories, 'alerts'>
  clock: Clock
  log: Logger
  url: string
  maxAttempts: number
  retryBaseMs: number
}) {
  const log = deps.log.child({ module: 'webhook' })
  const timers = new Set<CancelTimer>()
  let stopped = false

  async function attempt(alert: AlertRecord, event: string, n: number): Promise<void> {
    let statusCode: number | null = null
    let error: string | null = null
    try {
      const res = await fetch(deps.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'chorus-controller' },
        body: JSON.stringify({ event, alert }),
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      })
      statusCode = res.status
      await res.arrayBuffer().catch(() => undefined)
      if (!res.ok) error = `HTTP ${res.status}`
    } catch (err) {
      error = (err as Error).message
    }
    const delivered = error === null
    deps.repos.alerts.recordDelivery({
      alertId: alert.id,
      event,
      url: deps.url,
      attempt: n,
      at: new Date(deps.clock.now()).toISOString(),
      statusCode,
      error,
      delivered,
    })
    if (delivered || stopped) return
    if (n >= deps.maxAttempts) {
      log.error({ alertId: alert.id, event, attempts: n, error }, 'webhook delivery gave up')
      return
    }
    const delay = deps.retryBaseMs * 2 ** (n - 1)
    log.warn({ alertId: alert.id, event, attempt: n, error, retryInMs: delay }, 'webhook failed')
    const timer = deps.clock.after(delay, () => {
      timers.delete(timer)
      void attempt(alert, event, n + 1).catch((err: unknown) => log.error({ err }, 'webhook'))
    })
    timers.add(timer)
  }

  return {
    enabled: deps.url !== '',
    /** Queues the delivery of one alert event. */
    send(alert: AlertRecord, event: 'opened' | 'resolved'): void {
      if (!deps.url || stopped) return
      void attempt(alert, event, 1).catch((err: unknown) => log.error({ err }, 'webhook'))
    },
    stop(): void {
      stopped = true
      for (const cancel of timers) cancel()
      timers.clear()
    },
  }
}

/** The webhook service. */
export type Webhook = ReturnType<typeof createWebhook>
