/**
 * Share of each local day a node was online, from its transitions (oldest first) and its state
 * before the window. Time before `activeFrom` (the node's first connection) does not count.
 */
export function availabilityByDay(input: {
  transitions: { to: string; at: string }[]
  initialOnline: boolean
  activeFrom: number
  fromMs: number
  toMs: number
  localDate: (ms: number) => string
}): { date: string; onlinePct: number }[] {
  const days = new Map<string, { online: number; total: number }>()
  const add = (from: number, to: number, online: boolean) => {
    // Walk hour by hour so each slice is attributed to its local date.
    for (let t = from; t < to; ) {
      const next = Math.min(to, t + 3_600_000 - (t % 3_600_000))
      const d = days.get(input.localDate(t)) ?? { online: 0, total: 0 }
      d.total += next - t
      if (online) d.online += next - t
      days.set(input.localDate(t), d)
      t = next
    }
  }
  let cursor = Math.max(input.fromMs, input.activeFrom)
  let online = input.initialOnline
  for (const tr of input.transitions) {
    const at = Date.parse(tr.at)
    if (at > cursor) add(cursor, at, online)
    cursor = Math.max(cursor, at)
    online = tr.to === 'online'
  }
  if (input.toMs > cursor) add(cursor, input.toMs, online)
  return [...days].map(([date, d]) => ({
    date,
    onlinePct: d.total > 0 ? Math.round((d.online / d.total) * 1000) / 10 : 0,
  }))
}
