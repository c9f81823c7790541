/**
 * How agents retry a lost broker connection: full-jitter exponential backoff, the first delay up
 * to `baseMs`, doubling to at most `capMs`. Part of the contract because the controller sizes its
 * start-up wait for the fleet by it (a reachable agent is back within `capMs` of the broker).
 */
export const RECONNECT_BACKOFF = { baseMs: 1000, capMs: 60_000 } as const
