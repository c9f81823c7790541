import { createHash } from 'node:crypto'
import { join } from 'node:path'
import Database from 'better-sqlite3'

/** A seeded pseudo-random source (mulberry32), so a failing fuzz case can be replayed. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number
  int(maxExclusive: number): number
  pick<T>(items: readonly T[]): T
  bytes(n: number): Buffer
  chance(p: number): boolean
}

/** Creates a Rng from a 32-bit seed. */
export function rng(seed: number): Rng {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  return {
    next,
    int,
    pick: (items) => items[int(items.length)] as (typeof items)[number],
    bytes: (n) => Buffer.from(Array.from({ length: n }, () => int(256))),
    chance: (p) => next() < p,
  }
}

/** Strings that break naive code: empty, huge, control characters, traversal, injection. */
const NASTY = [
  '',
  ' ',
  '\u0000',
  '\u202e\u0644',
  '../../../../etc/passwd',
  '%2e%2e%2f',
  "'; DROP TABLE nodes; --",
  '<script>alert(1)</script>',
  '{{7*7}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template injection probe, on purpose
  '${process.exit()}',
  '__proto__',
  'constructor',
  'NaN',
  '-1',
  '1e309',
  '9999-99-99',
  '2026-02-30',
  '25:61:61',
  'null',
  'true',
  '城北区'.repeat(40),
  'x'.repeat(5000),
  '\ud800',
  '🔊'.repeat(10),
]

/** A random string: nasty, random unicode, or random ASCII. */
export function randomString(r: Rng): string {
  if (r.chance(0.5)) return r.pick(NASTY)
  const len = r.int(r.chance(0.1) ? 600 : 24)
  let s = ''
  for (let i = 0; i < len; i++) {
    s += String.fromCodePoint(r.chance(0.8) ? 32 + r.int(95) : r.int(0x3000))
  }
  return s
}

/** A random JSON value up to `depth` levels deep. */
export function randomJson(r: Rng, depth = 3): unknown {
  const kind = r.int(depth > 0 ? 8 : 6)
  switch (kind) {
    case 0:
      return null
    case 1:
      return r.chance(0.5)
    case 2:
      return r.pick([0, -1, 1.5, 2 ** 53, -(2 ** 31), 1e308, 65536, 7])
    case 3:
      return randomString(r)
    case 4:
      return r.int(1000)
    case 5:
      return []
    case 6:
      return Array.from({ length: r.int(5) }, () => randomJson(r, depth - 1))
    default: {
      const o: Record<string, unknown> = {}
      for (let i = r.int(5); i > 0; i--) o[randomString(r).slice(0, 30)] = randomJson(r, depth - 1)
      return o
    }
  }
}

/** A value of the wrong type for `v`. */
function wrongType(r: Rng, v: unknown): unknown {
  const options: unknown[] = [null, 0, -1, 'x', true, [], {}, [v], { v }]
  return r.pick(options.filter((o) => typeof o !== typeof v || Array.isArray(o)))
}

/**
 * A body that no route may accept: a non-object, or an object (from `example` when given) with
 * fields changed to the wrong type, removed, or given absurd values, and always one unknown key
 * (every body schema sets additionalProperties: false).
 */
export function invalidBody(r: Rng, example?: Record<string, unknown>): unknown {
  // Not null: a JSON null body means "no body", which routes with an optional body accept.
  if (r.chance(0.25)) return r.pick([0, 'text', [], [example ?? {}], true, randomString(r)])
  const base: Record<string, unknown> = { ...(example ?? (randomJson(r, 0) as object) ?? {}) }
  for (const key of Object.keys(base)) {
    const roll = r.int(4)
    if (roll === 0) delete base[key]
    else if (roll === 1) base[key] = wrongType(r, base[key])
    else if (roll === 2) base[key] = randomJson(r, 2)
  }
  base[`fuzz${r.int(1_000_000)}`] = randomJson(r, 2)
  if (r.chance(0.2)) {
    // An own "__proto__" key, as a hostile JSON body would carry it.
    Object.defineProperty(base, '__proto__', { value: { admin: true }, enumerable: true })
  }
  return base
}

/** Row counts of every table, and a digest of their contents (except volatile columns). */
export function dbSnapshot(dataDir: string): Record<string, string> {
  const db = new Database(join(dataDir, 'chorus.db'), { readonly: true, fileMustExist: true })
  try {
    const tables = db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
      )
      .all()
      .map((t) => t.name)
    const out: Record<string, string> = {}
    for (const t of tables) {
      const rows = db.prepare(`SELECT * FROM "${t}"`).all() as Record<string, unknown>[]
      // A token's last use and the controller's own heartbeat are bookkeeping, not a change
      // anyone made.
      const stable = rows.map((row) => ({ ...row, last_used_at: undefined, alive_at: undefined }))
      out[t] =
        `${rows.length} rows, ${createHash('sha256').update(JSON.stringify(stable)).digest('hex')}`
    }
    return out
  } finally {
    db.close()
  }
}

/** The heap in use after a collection (when the process runs with --expose-gc). */
export function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  return process.memoryUsage().heapUsed
}
