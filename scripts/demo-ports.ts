import { createServer } from 'node:net'

// The ports of the controller `npm run demo` starts (scripts/demo.ts): a port someone else
// holds (`npm start`, another demo, another program) is said in words and, unless the user chose
// it with a flag, replaced by the next free one. Tested by demo-ports.test.ts and
// test/integration/demo-ports.test.ts.

/** One listener the demo's controller needs. */
export interface PortWish {
  /** 'HTTP' or 'MQTT', as the messages name it. */
  name: string
  /** The flag that chooses it, e.g. `--http-port`. */
  flag: string
  host: string
  port: number
  /** Given by its flag: used as given or refused, never changed. */
  explicit: boolean
}

/** The port to listen on, and a line saying why it is not the one wished for; or why none. */
export type PortChoice = { port: number; note?: string } | { error: string }

/** How many ports after a taken one are tried before the system picks one. */
const TRIES = 20

/** Whether `port` on `host` can be listened on now (it is, for a moment, then closed). */
export function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)))
  })
}

/** A `--…-port` value: an integer 0–65535 (0: the system picks), or an error. */
export function parsePort(flag: string, text: string): number | { error: string } {
  const n = Number(text)
  return /^\d+$/.test(text.trim()) && n <= 65535
    ? n
    : { error: `${flag} must be a port number from 0 to 65535 (0: any free port), not "${text}"` }
}

/** Where the wished-for listener goes: its port if free, else (unless explicit) the next free. */
export async function choosePort(w: PortWish, isFree = portFree): Promise<PortChoice> {
  if (w.port === 0 || (await isFree(w.host, w.port))) return { port: w.port }
  const held = `${w.name} port ${w.port} on ${w.host} is in use (npm start, another demo or another program)`
  if (w.explicit) return { error: `${held}: stop it, or choose a free port with ${w.flag}` }
  for (let p = w.port + 1; p <= Math.min(w.port + TRIES, 65535); p++) {
    if (await isFree(w.host, p))
      return { port: p, note: `${held}: using ${p} instead (${w.flag} chooses)` }
  }
  return {
    port: 0,
    note: `${held}, and the ${TRIES} after it too: using a free port the system picks (${w.flag} chooses)`,
  }
}

/** Whether an error is a listener's "address in use", and which port. */
export function addressInUse(err: unknown): { port: number | undefined } | null {
  const e = err as { code?: unknown; port?: unknown } | null
  if (e?.code !== 'EADDRINUSE') return null
  return { port: typeof e.port === 'number' ? e.port : undefined }
}
