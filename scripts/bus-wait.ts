import type { ControllerEvents, EventBus } from '../controller/platform/events.js'

/**
 * Resolves once `done()` holds: checked at once and after each `event` on an in-process
 * controller's bus, so a benchmark awaits what it waits for instead of polling on a timer.
 */
export function untilBus<K extends keyof ControllerEvents>(
  bus: EventBus,
  event: K,
  done: () => boolean,
): Promise<void> {
  return new Promise((resolve) => {
    if (done()) return resolve()
    const check = (): void => {
      if (!done()) return
      bus.off(event, check as never)
      resolve()
    }
    bus.on(event, check as never)
  })
}
