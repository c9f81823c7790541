/**
 * The bench suite's figures and how they are printed (pure: no I/O). Every measurement function
 * returns `Figure`s; `--json` prints one JSON line per figure, otherwise `figureTable` sets the
 * same figure measured on the embedded broker and on Mosquitto side by side with their ratio.
 */

/** Which broker a figure was measured on (`none`: no broker in the measurement). */
export type BrokerKind = 'embedded' | 'mosquitto' | 'raw-aedes' | 'raw-mosquitto' | 'none'

/** One measured figure: `{"name","nodes","value","unit","broker"}` on the JSON line. */
export interface Figure {
  name: string
  nodes: number
  value: number
  unit: string
  broker: BrokerKind
}

/** A measurement: runs at one fleet size on one broker and returns its figures. */
export type Measurement<Ctx> = (ctx: Ctx) => Promise<Figure[]>

/** The median of `xs` (upper middle for even lengths); NaN for none. */
export function median(xs: readonly number[]): number {
  return percentile(xs, 50)
}

/** The nearest-rank percentile `p` (0–100) of `xs`; NaN for none. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN
  const sorted = [...xs].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN
}

/** `ours / theirs`, or null when either is missing, not finite or `theirs` is 0. */
export function ratio(ours: number | undefined, theirs: number | undefined): number | null {
  if (ours === undefined || theirs === undefined) return null
  if (!Number.isFinite(ours) || !Number.isFinite(theirs) || theirs === 0) return null
  return ours / theirs
}

/** One JSON line per figure, in order. */
export function jsonLines(figures: readonly Figure[]): string {
  return figures.map((f) => JSON.stringify(f)).join('\n')
}

/**
 * Figures measured several times (repeated runs) become one figure per name, size and broker
 * holding the median value, in the order each first appeared.
 */
export function medianFigures(figures: readonly Figure[]): Figure[] {
  const groups = new Map<string, Figure[]>()
  for (const f of figures) {
    const key = `${f.name}\u0000${f.nodes}\u0000${f.broker}\u0000${f.unit}`
    const g = groups.get(key)
    if (g) g.push(f)
    else groups.set(key, [f])
  }
  return [...groups.values()].map((g) => ({
    ...(g[0] as Figure),
    value: median(g.map((f) => f.value)),
  }))
}

/** A value for a table cell: up to 3 significant figures, thousands kept whole. */
export function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return '—'
  const abs = Math.abs(value)
  // Counts (events, nodes, flags) are whole; measured quantities keep their precision.
  const counted = unit === '' || unit === 'events' || unit === 'nodes'
  const n =
    counted && Number.isInteger(value)
      ? value.toLocaleString('en-US')
      : abs >= 100
        ? Math.round(value).toLocaleString('en-US')
        : abs >= 10
          ? value.toFixed(1)
          : value.toFixed(2)
  return unit ? `${n} ${unit}` : n
}

/** The embedded broker's value against Mosquitto's: `1.52×`, or `—`. */
export function formatRatio(r: number | null): string {
  return r === null ? '—' : `${r.toFixed(2)}×`
}

/**
 * A markdown table: one row per figure name and fleet size, columns embedded, Mosquitto and
 * their ratio (embedded / Mosquitto); a figure measured on a raw broker or without one fills the
 * column of its broker family (`raw-aedes` under embedded, `raw-mosquitto` under Mosquitto).
 */
export function figureTable(figures: readonly Figure[]): string {
  const rows = new Map<
    string,
    { name: string; nodes: number; unit: string; emb?: number; mos?: number }
  >()
  for (const f of medianFigures(figures)) {
    const key = `${f.name}\u0000${f.nodes}`
    const row = rows.get(key) ?? { name: f.name, nodes: f.nodes, unit: f.unit }
    if (f.broker === 'mosquitto' || f.broker === 'raw-mosquitto') row.mos = f.value
    else row.emb = f.value
    rows.set(key, row)
  }
  const lines = [
    '| figure | nodes | embedded (aedes) | Mosquitto | embedded / Mosquitto |',
    '|---|---:|---:|---:|---:|',
  ]
  for (const r of rows.values()) {
    const cell = (v: number | undefined) => (v === undefined ? '—' : formatValue(v, r.unit))
    lines.push(
      `| ${r.name} | ${r.nodes.toLocaleString('en-US')} | ${cell(r.emb)} | ${cell(r.mos)} | ${formatRatio(ratio(r.emb, r.mos))} |`,
    )
  }
  return lines.join('\n')
}
