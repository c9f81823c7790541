/**
 * One agent's memory (issue 9's target: ≤ 64 MB RSS while playing, ffmpeg included), called from
 * `npm run bench` and runnable alone: `npx tsx scripts/bench-agent-memory.ts [--play-sec 30]`.
 *
 * A controller in this process; one real agent process per variant, as a node runs it:
 * - `bundle, service flags`: the built bundle with Node's flags of chorus-agent.service's
 *   ExecStart line (`--max-old-space-size=16 --max-semi-space-size=1 --lite-mode …`);
 * - `bundle, memory limits only`: the two V8 limits, without `--lite-mode`;
 * - `bundle`: the bundle without any flag;
 * - `npm run agent`: TypeScript through tsx (development).
 * Each plays one `play-sec` segment on ALSA's `null` device (a real ALSA output paced in real time
 * by the agent, with no sound card). The resident set of the agent and of its ffmpeg children is
 * read from /proc every 100 ms: idle (connected, plan held), then while the segment plays. The
 * anonymous part (heap, stacks: what the kernel cannot drop and read back from the binaries) is
 * given beside RSS.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { instantToLocalDate, instantToLocalTime } from '../schedules/index.js'
import {
  ROOT,
  shippedNodeFlags,
  spawnAgentProcess,
} from '../speaker-agent/testing/agent-process.js'
import { type BenchController, startBenchController } from './bench/in-process.js'

const TZ = 'Asia/Shanghai'
const MB = 1024 * 1024

/**
 * A process's RSS, PSS (shared pages split between the processes mapping them) and anonymous
 * (not file-backed) memory, bytes (0 when it is gone).
 */
function memOf(pid: number): { rss: number; pss: number; anon: number } {
  try {
    const s = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')
    const kb = (f: string) => Number(new RegExp(`^${f}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? 0)
    return { rss: kb('Rss') * 1024, pss: kb('Pss') * 1024, anon: kb('Anonymous') * 1024 }
  } catch {
    return { rss: 0, pss: 0, anon: 0 }
  }
}

/** Every descendant of `pid` (from each process's parent in /proc/<p>/stat). */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      // Field 4 (ppid) follows the command in parentheses, which may itself hold spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      parent.set(Number(name), ppid)
    } catch {
      // Gone meanwhile.
    }
  }
  const out: number[] = []
  const walk = (p: number) => {
    for (const [child, pp] of parent) {
      if (pp === p) {
        out.push(child)
        walk(child)
      }
    }
  }
  walk(pid)
  return out
}

interface Sample {
  agentRss: number
  treeRss: number
  treePss: number
  treeAnon: number
  children: number
}

function sample(pid: number): Sample {
  const own = memOf(pid)
  const kids = descendants(pid).map(memOf)
  return {
    agentRss: own.rss,
    treeRss: own.rss + kids.reduce((a, k) => a + k.rss, 0),
    treePss: own.pss + kids.reduce((a, k) => a + k.pss, 0),
    treeAnon: own.anon + kids.reduce((a, k) => a + k.anon, 0),
    children: kids.length,
  }
}

/** Samples every 100 ms for `ms`. */
async function sampleFor(pid: number, ms: number): Promise<Sample[]> {
  const out: Sample[] = []
  const end = Date.now() + ms
  while (Date.now() < end) {
    out.push(sample(pid))
    await new Promise((r) => setTimeout(r, 100))
  }
  return out
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? 0
const max = (xs: number[]) => Math.max(0, ...xs)

/** Figures of one variant, MB. */
export interface AgentMemory {
  variant: string
  idleRss: number
  idleAnon: number
  idlePss: number
  playingRssMax: number
  playingPssMax: number
  playingAnonMax: number
  playingAgentRssMax: number
  ffmpegChildrenMax: number
}

async function measure(
  ctl: BenchController,
  audioId: string,
  variant: string,
  entry: string[] | undefined,
  playSec: number,
): Promise<AgentMemory> {
  const node = await ctl.register(`bench memory ${variant}`, 'bench')
  const agent = spawnAgentProcess({
    nodeId: node.id,
    secret: node.secret,
    brokerUrl: ctl.brokerUrl,
    controllerUrl: ctl.httpUrl,
    dataDir: join(ctl.tmp, `agent-${node.id}`),
    sink: 'alsa:null',
    ...(entry ? { entry } : {}),
  })
  const pid = agent.child.pid as number
  try {
    await ctl.untilOnline(node.id)
    // The segment, far enough ahead for the plan and the audio to arrive and settle first.
    const at = Math.ceil((Date.now() + 15_000) / 1000) * 1000
    await ctl.api('PUT', `/api/days/${instantToLocalDate(at, TZ)}`, {
      mode: 'add',
      items: [{ start: instantToLocalTime(at, TZ), audioId, title: 'memory', zones: [] }],
    })
    await new Promise((r) => setTimeout(r, at - Date.now() - 6000))
    const idle = await sampleFor(pid, 5000)
    await new Promise((r) => setTimeout(r, Math.max(0, at - Date.now() + 500)))
    const playing = (await sampleFor(pid, (playSec - 1.5) * 1000)).filter((s) => s.children > 0)
    if (playing.length === 0)
      throw new Error(`${variant}: no ffmpeg child while playing\n${agent.output()}`)
    return {
      variant,
      idleRss: median(idle.map((s) => s.treeRss)) / MB,
      idleAnon: median(idle.map((s) => s.treeAnon)) / MB,
      idlePss: median(idle.map((s) => s.treePss)) / MB,
      playingPssMax: max(playing.map((s) => s.treePss)) / MB,
      playingRssMax: max(playing.map((s) => s.treeRss)) / MB,
      playingAnonMax: max(playing.map((s) => s.treeAnon)) / MB,
      playingAgentRssMax: max(playing.map((s) => s.agentRss)) / MB,
      ffmpegChildrenMax: max(playing.map((s) => s.children)),
    }
  } finally {
    if (agent.child.exitCode === null) agent.child.kill('SIGTERM')
    await agent.exited
  }
}

/** Builds the bundle into the controller's scratch directory and measures every variant. */
export async function benchAgentMemory(playSec = 30): Promise<AgentMemory[]> {
  const ctl = await startBenchController('chorus-bench-mem-')
  try {
    const out = join(ctl.tmp, 'agent-bundle')
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-agent.mjs'), '--out', out], {
      stdio: 'ignore',
    })
    const bundle = join(out, 'chorus-agent.mjs')
    const audioId = await ctl.uploadTone(playSec, 'memory tone')
    const variants: [string, string[] | undefined][] = [
      ['bundle, service flags', [...shippedNodeFlags(), bundle]],
      [
        'bundle, memory limits only',
        ['--max-old-space-size=16', '--max-semi-space-size=1', bundle],
      ],
      ['bundle', [bundle]],
      ['npm run agent (tsx)', undefined],
    ]
    const figures: AgentMemory[] = []
    for (const [variant, entry] of variants) {
      const f = await measure(ctl, audioId, variant, entry, playSec)
      console.error(
        `agent memory, ${variant}: idle ${f.idleRss.toFixed(1)} MB RSS (${f.idleAnon.toFixed(1)} anonymous, PSS ${f.idlePss.toFixed(1)}), ` +
          `playing ≤ ${f.playingRssMax.toFixed(1)} MB RSS (${f.playingAnonMax.toFixed(1)} anonymous, PSS ${f.playingPssMax.toFixed(1)}; node ${f.playingAgentRssMax.toFixed(1)}, ${f.ffmpegChildrenMax} ffmpeg)`,
      )
      figures.push(f)
    }
    return figures
  } finally {
    await ctl.stop()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { 'play-sec': { type: 'string', default: '30' } } })
  const figures = await benchAgentMemory(Number(values['play-sec']))
  console.log(
    '| variant | idle: RSS / anonymous / PSS | playing, max: RSS / anonymous / PSS | of which node RSS | ffmpeg processes |',
  )
  console.log('|---|---|---|---|---|')
  for (const f of figures) {
    console.log(
      `| ${f.variant} | ${f.idleRss.toFixed(1)} / ${f.idleAnon.toFixed(1)} / ${f.idlePss.toFixed(1)} MB | ${f.playingRssMax.toFixed(1)} / ${f.playingAnonMax.toFixed(1)} / ${f.playingPssMax.toFixed(1)} MB | ${f.playingAgentRssMax.toFixed(1)} MB | ${f.ffmpegChildrenMax} |`,
    )
  }
  process.exit(0)
}
