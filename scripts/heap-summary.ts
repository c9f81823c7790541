/**
 * What a V8 heap snapshot holds, by kind: `npx tsx scripts/heap-summary.ts A.heapsnapshot
 * [B.heapsnapshot] [--top 25]`. With two snapshots, the growth from A to B (e.g. before and after
 * 10,000 nodes connected, taken by `bench-scale.ts --heap-snapshot DIR`), sorted by bytes.
 * Groups by node type and name (an object's constructor, a closure's function, "(string)", …):
 * self sizes only, so a Map's entries count under their own kinds.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } }
  nodes: number[]
  strings: string[]
}

/** Bytes and count per `type:name`. */
export function summarise(file: string): Map<string, { bytes: number; count: number }> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot
  const fields = snap.snapshot.meta.node_fields
  const width = fields.length
  const iType = fields.indexOf('type')
  const iName = fields.indexOf('name')
  const iSize = fields.indexOf('self_size')
  const types = snap.snapshot.meta.node_types[0]
  const out = new Map<string, { bytes: number; count: number }>()
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + iType] as number] ?? '?'
    // Strings and code are grouped by type alone: their names are their contents.
    const name =
      type === 'object' || type === 'closure' || type === 'native'
        ? (snap.strings[snap.nodes[i + iName] as number] ?? '?')
        : ''
    const key = name ? `${type}: ${name.slice(0, 60)}` : `(${type})`
    const e = out.get(key) ?? { bytes: 0, count: 0 }
    e.bytes += snap.nodes[i + iSize] as number
    e.count++
    out.set(key, e)
  }
  return out
}

if (process.argv[1]?.endsWith('heap-summary.ts')) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' } },
  })
  const [a, b] = positionals
  if (!a) {
    console.error('usage: heap-summary.ts A.heapsnapshot [B.heapsnapshot] [--top N]')
    process.exit(2)
  }
  const first = summarise(a)
  const second = b ? summarise(b) : null
  const rows = [...(second ?? first)].map(([key, e]) => {
    const before = second ? (first.get(key) ?? { bytes: 0, count: 0 }) : { bytes: 0, count: 0 }
    return { key, bytes: e.bytes - before.bytes, count: e.count - before.count }
  })
  rows.sort((x, y) => y.bytes - x.bytes)
  const total = rows.reduce((s, r) => s + r.bytes, 0)
  console.log(`| kind | ${second ? 'growth' : 'bytes'} (MB) | ${second ? 'growth' : ''} count |`)
  console.log('|---|---|---|')
  for (const r of rows.slice(0, Number(values.top))) {
    console.log(`| ${r.key} | ${(r.bytes / 1048576).toFixed(1)} | ${r.count} |`)
  }
  console.log(`| total | ${(total / 1048576).toFixed(1)} | |`)
}
