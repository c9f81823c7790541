import { mkdir, readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import type { AgentEvent, PayloadDecoder } from '../protocol/index.js'
import { fsyncDir } from './atomic-file.js'

/** Subdirectory of the outbox where torn event files are set aside, never sent. */
export const TORN_DIR = 'torn'

/** One outbox file read back: its event, or why it cannot be sent. */
export type OutboxRead = { ok: true; event: AgentEvent } | { ok: false; why: string }

/**
 * Reads one outbox file. A file cut short or damaged (a power loss on a file system that does not
 * order data before the rename, a disk fault, a hand edit) is not an event: it is empty, not JSON,
 * or JSON that is not an event the protocol accepts. Sending it would never earn a receipt and,
 * in a batch, could keep the intact events beside it from being stored, so it is never sent.
 */
export async function readOutboxEvent(
  path: string,
  decoder: PayloadDecoder | undefined,
): Promise<OutboxRead> {
  const text = await readFile(path, 'utf8')
  if (text.length === 0) return { ok: false, why: 'empty' }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { ok: false, why: 'not JSON (cut short or damaged)' }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, why: 'not an event object' }
  }
  if (typeof (value as { id?: unknown }).id !== 'string') {
    return { ok: false, why: 'event without an id' }
  }
  if (decoder) {
    const check = decoder.decode('events', JSON.stringify({ v: 1, events: [value] }))
    if (!check.ok) return { ok: false, why: `not a protocol event: ${check.errors.join('; ')}` }
  }
  return { ok: true, event: value as AgentEvent }
}

/** Moves `<dir>/<name>` to `<dir>/torn/<name>` (kept for a technician; never read again). */
export async function setAside(dir: string, name: string): Promise<string> {
  const torn = join(dir, TORN_DIR)
  await mkdir(torn, { recursive: true })
  const to = join(torn, name)
  await rename(join(dir, name), to)
  await fsyncDir(dir)
  return to
}
