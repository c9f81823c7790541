import { Writable } from 'node:stream'
import pino, { type Logger } from 'pino'

/** A logger that keeps every line in memory, so a test can assert what was logged. */
export function captureLog(level = 'debug'): {
  log: Logger
  lines: () => Record<string, unknown>[]
} {
  const lines: Record<string, unknown>[] = []
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line) lines.push(JSON.parse(line) as Record<string, unknown>)
      }
      cb()
    },
  })
  const log = pino({ level, redact: ['secret', '*.secret', 'password', '*.password'] }, stream)
  return { log, lines: () => lines }
}

/** A logger that discards everything; set CHORUS_TEST_LOG=debug to see it. */
export function quietLog(): Logger {
  return pino({ level: process.env.CHORUS_TEST_LOG ?? 'silent' })
}
