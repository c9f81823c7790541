import type { Logger } from 'pino'

/**
 * One part of the controller with a lifecycle: a domain module, the broker, the HTTP listener.
 * `stop()` must be safe on a part whose `start()` threw halfway (it is called then too).
 */
export interface Part {
  readonly name: string
  start?(): void | Promise<void>
  stop?(): void | Promise<void>
}

/**
 * Starts parts in order and stops them in exactly the reverse order. The owner calls `stopAll()`
 * when a start (or anything between two starts) throws, so nothing keeps running (no timer, no
 * socket, no open database) after a failed start. One part's failing stop does not keep the
 * others from stopping; the first error is rethrown once all have stopped.
 */
export function createLifecycle(log: Logger) {
  const started: Part[] = []

  async function stopAll(): Promise<void> {
    let first: unknown = null
    while (started.length > 0) {
      const part = started.pop() as Part
      try {
        await part.stop?.()
      } catch (err) {
        log.error({ err, part: part.name }, 'stop failed')
        first ??= err
      }
    }
    if (first !== null) throw first
  }

  return {
    /**
     * Starts one part after those already started. It counts as started even when its start
     * throws, so that `stopAll()` (which the caller runs on any failure) stops it too.
     */
    async start<P extends Part>(part: P): Promise<P> {
      started.push(part)
      await part.start?.()
      return part
    },
    stopAll,
    /** Names of the started parts, in start order. */
    started: (): string[] => started.map((p) => p.name),
  }
}

/** A lifecycle. */
export type Lifecycle = ReturnType<typeof createLifecycle>
