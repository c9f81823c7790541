/**
 * The technicians' home (the nodes page, `#/nodes`) in Chromium with `--nodes` speakers in the
 * controller (issue 9: first render ≤ 1 s at 10,000). The controller runs as in production (a
 * child process serving `controller/web/dist`: run `npm run build:web` first); the speakers are
 * registered, not connected (the page shows them offline, which is all its first render needs).
 * Each of `--runs` fresh browser contexts, already logged in, opens the page; "first render" is
 * the time from navigation start until the first row of the nodes table and the counts are on
 * screen. Also told: first contentful paint, the CPU time Chromium's renderer processes used
 * until then (`SystemInfo.getProcessInfo`: on a loaded machine the wall time is mostly waiting
 * for a core, the CPU time much less so), its tasks' and scripts' durations (wall time), and the
 * median waterfall of what the page fetched (start and end of each request, ms after
 * navigation start, bytes).
 *
 *   node --import tsx scripts/bench/dashboard.ts [--nodes 10000] [--runs 5] [--profile FILE]
 *
 * `--profile FILE`: the last run's page is CPU-profiled (DevTools protocol) from navigation to
 * first render, written to FILE (a .cpuprofile Chrome DevTools opens).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { type CDPSession, chromium } from 'playwright-core'
import { type Child, freePort, seed, startChild } from '../bench-scale.js'
import { ADMIN_PASSWORD } from './harness.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

interface Run {
  firstRender: number
  fcp: number | null
  /** CPU time of the renderer processes from navigation to first render, ms. */
  cpuMs: number
  /** Wall time of the page's tasks, and of its scripts, until first render (ms). */
  taskMs: number
  scriptMs: number
  resources: { name: string; start: number; end: number; bytes: number }[]
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? 0
}

/** CPU time (ms) each of Chromium's renderer processes has used so far, by process id. */
async function rendererCpu(system: CDPSession): Promise<Map<number, number>> {
  const { processInfo } = (await system.send('SystemInfo.getProcessInfo')) as {
    processInfo: { type: string; id: number; cpuTime: number }[]
  }
  return new Map(
    processInfo.filter((p) => p.type === 'renderer').map((p) => [p.id, p.cpuTime * 1000]),
  )
}

/** CPU (ms) the renderers used between two readings (a process gone since is not counted). */
function cpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0
  for (const [id, t] of after) ms += t - (before.get(id) ?? 0)
  return Math.round(ms)
}

async function sessionCookie(ctl: Child): Promise<{ name: string; value: string }> {
  const res = await fetch(`${ctl.httpUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  })
  const [pair = ''] = (res.headers.get('set-cookie') ?? '').split(';')
  const [name = '', ...rest] = pair.split('=')
  return { name, value: rest.join('=') }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '10000' },
      runs: { type: 'string', default: '5' },
      profile: { type: 'string' },
    },
  })
  const n = Number(values.nodes)
  const dir = mkdtempSync(join(tmpdir(), 'chorus-bench-dashboard-'))
  let ctl: Child | null = null
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
  try {
    await seed(dir, n)
    ctl = await startChild(dir, await freePort(), await freePort(), n)
    const cookie = await sessionCookie(ctl)
    const system = await browser.newBrowserCDPSession()
    const runs: Run[] = []
    // One run first to warm the controller (its first page query, the zones' counts); not counted.
    for (let i = 0; i <= Number(values.runs); i++) {
      const context = await browser.newContext({
        locale: 'zh-CN',
        viewport: { width: 1440, height: 900 },
      })
      await context.addCookies([{ ...cookie, url: ctl.httpUrl }])
      const page = await context.newPage()
      const profiled = values.profile && i === Number(values.runs)
      const cdp = await context.newCDPSession(page)
      await cdp.send('Performance.enable')
      if (profiled) {
        await cdp.send('Profiler.enable')
        await cdp.send('Profiler.start')
      }
      // Marks the moment the table's first row and the total count are both in the DOM (the
      // same measure for any build of the page).
      await page.addInitScript(() => {
        const g = globalThis as unknown as {
          document: { querySelector(s: string): { textContent: string | null } | null }
          performance: { mark(name: string): void }
          MutationObserver: new (
            fn: () => void,
          ) => { observe(t: unknown, o: object): void; disconnect(): void }
        }
        const seen = new g.MutationObserver(() => {
          const row = g.document.querySelector('.nodes-table tbody tr')
          const total = g.document.querySelector('[data-count="total"] .count-value')
          if (row && /^\d+$/.test(total?.textContent?.trim() ?? '')) {
            g.performance.mark('chorus:nodes-first-render')
            seen.disconnect()
          }
        })
        seen.observe(g.document, { childList: true, subtree: true, characterData: true })
      })
      const cpuBefore = await rendererCpu(system)
      await page.goto(`${ctl.httpUrl}/#/nodes`, { waitUntil: 'commit' })
      await page.locator('.nodes-table tbody tr').first().waitFor({ timeout: 60_000 })
      await page.locator('[data-count="total"] .count-value', { hasText: /^\d+$/ }).waitFor()
      const { metrics } = await cdp.send('Performance.getMetrics')
      const metric = (name: string) =>
        Math.round((metrics.find((m) => m.name === name)?.value ?? 0) * 1000)
      const cpu = {
        cpuMs: cpuSince(cpuBefore, await rendererCpu(system)),
        taskMs: metric('TaskDuration'),
        scriptMs: metric('ScriptDuration'),
      }
      const timing = await page.evaluate(() => {
        type Entry = {
          name: string
          startTime: number
          responseEnd: number
          encodedBodySize: number
        }
        const perf = (
          globalThis as unknown as {
            performance: {
              now(): number
              getEntriesByName(name: string): Entry[]
              getEntriesByType(type: string): Entry[]
            }
          }
        ).performance
        const fcp = perf.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null
        const resources = perf.getEntriesByType('resource').map((e) => ({
          name: e.name.replace(/^https?:\/\/[^/]+\//, ''),
          start: Math.round(e.startTime),
          end: Math.round(e.responseEnd),
          bytes: e.encodedBodySize,
        }))
        const rows = perf.getEntriesByName('chorus:nodes-first-render')[0]?.startTime
        return { firstRender: Math.round(rows ?? perf.now()), fcp, resources }
      })
      const run: Run = { ...timing, ...cpu }
      if (profiled && values.profile) {
        const { profile } = await cdp.send('Profiler.stop')
        writeFileSync(values.profile, JSON.stringify(profile))
      }
      await context.close()
      if (i > 0) runs.push(run)
    }
    const load = loadavg()[0]?.toFixed(1)
    const fig = (name: string, value: number, unit: string) =>
      console.log(JSON.stringify({ name, nodes: n, value, unit, load }))
    fig('dashboard first render (nodes page, median)', median(runs.map((r) => r.firstRender)), 'ms')
    fig('dashboard first render, each run', 0, runs.map((r) => r.firstRender).join(' '))
    fig('dashboard first contentful paint (median)', median(runs.map((r) => r.fcp ?? 0)), 'ms')
    fig('dashboard renderer CPU to first render (median)', median(runs.map((r) => r.cpuMs)), 'ms')
    fig('dashboard renderer CPU, each run', 0, runs.map((r) => r.cpuMs).join(' '))
    fig('dashboard task time to first render (median)', median(runs.map((r) => r.taskMs)), 'ms')
    fig('dashboard script time to first render (median)', median(runs.map((r) => r.scriptMs)), 'ms')
    const before = (r: Run) => r.resources.filter((x) => x.start < r.firstRender).length
    fig('dashboard requests before first render (median)', median(runs.map(before)), 'requests')
    const last = runs[Math.floor(runs.length / 2)]
    for (const r of last?.resources ?? []) {
      console.error(
        `${String(r.start).padStart(5)} → ${String(r.end).padStart(5)} ms  ${String(r.bytes).padStart(8)} B  ${r.name}`,
      )
    }
  } finally {
    await browser.close()
    await ctl?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
