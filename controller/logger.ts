import { createRequire } from 'node:module'
import pino, { type Logger } from 'pino'

/** Paths pino redacts everywhere (STYLE rule 19). */
export const REDACT_PATHS = [
  'secret',
  '*.secret',
  'password',
  '*.password',
  'token',
  '*.token',
  'enrollmentToken',
  '*.enrollmentToken',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'adminPassword',
  '*.adminPassword',
  'brokerHookSecret',
  '*.brokerHookSecret',
  'req.headers["x-chorus-hook-secret"]',
  'csrfToken',
  '*.csrfToken',
]

/**
 * The root logger: JSON lines, or pretty output when stdout is a terminal and pino-pretty is
 * installed (it is a dev dependency).
 */
export function createLogger(opts: { level: string; pretty?: boolean; name?: string }): Logger {
  const options = { level: opts.level, name: opts.name ?? 'chorus', redact: REDACT_PATHS }
  if (opts.pretty) {
    try {
      createRequire(import.meta.url).resolve('pino-pretty')
      return pino({
        ...options,
        transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } },
      })
    } catch {
      // pino-pretty is not installed (production install): fall back to JSON.
    }
  }
  return pino(options)
}
