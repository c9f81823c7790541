/**
 * The functions that spent the most self time in a V8 CPU profile (`node --cpu-prof`), e.g. the
 * controller's during a bench (`scripts/bench-scale.ts --cpu-prof DIR`):
 *
 *   npx tsx scripts/cpu-profile-top.ts FILE.cpuprofile [--top 25] [--inclusive] [--match TEXT]
 *
 * Prints one line per function: ms, share of the sampled time, name and file (`--inclusive`:
 * time with the function anywhere on the stack; `--match`: only names containing TEXT).
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { parseArgs } from 'node:util'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

const nameOf = (frame: ProfileNode['callFrame']) =>
  `${frame.functionName || '(anonymous)'}${frame.url ? ` ${basename(frame.url)}` : ''}`

/**
 * Time per function (name and file), ms, largest first: self time, or with `inclusive` the time
 * of the samples in which the function was anywhere on the stack (what it and its callees cost).
 */
export function selfTimes(
  profile: Profile,
  inclusive = false,
): { fn: string; ms: number; share: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const totals = new Map<string, number>()
  let all = 0
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0
    all += us
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame
      if (!frame) break
      const fn = nameOf(frame)
      if (!seen.has(fn)) totals.set(fn, (totals.get(fn) ?? 0) + us)
      seen.add(fn)
      if (!inclusive) break
    }
  })
  return [...totals]
    .map(([fn, us]) => ({ fn, ms: us / 1000, share: all > 0 ? us / all : 0 }))
    .sort((a, b) => b.ms - a.ms)
}

if (process.argv[1]?.endsWith('cpu-profile-top.ts')) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      top: { type: 'string', default: '25' },
      inclusive: { type: 'boolean', default: false },
      match: { type: 'string' },
    },
  })
  for (const file of positionals) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
    const rows = selfTimes(profile, values.inclusive).filter(
      (r) => !values.match || r.fn.includes(values.match),
    )
    console.log(`# ${file}`)
    for (const r of rows.slice(0, Number(values.top))) {
      console.log(
        `${r.ms.toFixed(0).padStart(8)} ms ${(r.share * 100).toFixed(1).padStart(5)}%  ${r.fn}`,
      )
    }
  }
}
