/**
 * Shared steps of the programme tests (issue 3): uploads with metadata, agents on test nodes,
 * reading a node's plan, and dates of a given day type within the plan horizon.
 */
import { readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { onTestFinished } from 'vitest'
import type { PlanMessage } from '../../protocol/index.js'
import { planDates } from '../../schedules/index.js'
import { type Agent, createAgent } from '../../speaker-agent/agent.js'
import { loadNodeConfig } from '../../speaker-agent/config.js'
import type { HostClock } from '../../speaker-agent/host-clock.js'
import { ffmpegPath, makeTone } from '../helpers/audio.js'
import type { TestController } from '../helpers/controller.js'
import { quietLog } from '../helpers/log.js'
import { tmpDir } from '../helpers/tmp-dir.js'

/** The library record the API returns. */
export interface Audio {
  id: string
  sha256: string
  title: string
  durationMs: number
  silent: boolean
  columnId: string | null
  uploadedBy: string | null
}

/** Uploads a file with extra multipart fields; returns status and body. */
export async function uploadWith(
  ctl: TestController,
  file: string,
  fields: Record<string, string> = {},
): Promise<{ status: number; body: Audio & { code?: string; message?: string } }> {
  const form = new FormData()
  form.append('file', new Blob([await readFile(file)]), basename(file))
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  const res = await fetch(`${ctl.url}/api/audio`, {
    method: 'POST',
    body: form,
    headers: ctl.headers,
  })
  return { status: res.status, body: (await res.json()) as Audio }
}

/** Generates a tone and uploads it; throws unless it was stored. */
export async function uploadTone(
  ctl: TestController,
  name: string,
  seconds: number,
  hz = 440,
  fields: Record<string, string> = {},
): Promise<Audio> {
  const file = await makeTone(tmpDir(), name, seconds, hz)
  const r = await uploadWith(ctl, file, { title: name, ...fields })
  if (r.status >= 300) throw new Error(`upload failed: ${r.status} ${JSON.stringify(r.body)}`)
  return r.body
}

/**
 * The plan the controller holds for a node once the writes made so far are published (plans are
 * re-planned after a write answers, off the request path).
 */
export async function planOf(ctl: TestController, nodeId: string): Promise<PlanMessage> {
  await ctl.plansPublished()
  const plan = ctl.controller.deps?.services.plans.currentPlan(nodeId)
  if (!plan) throw new Error(`no plan for ${nodeId}`)
  return plan
}

/** Item ids of a node's plan on one date (once the writes made so far are published). */
export async function itemsOn(
  ctl: TestController,
  nodeId: string,
  date: string,
): Promise<string[]> {
  return (await planOf(ctl, nodeId)).items
    .filter((i) => i.itemId.startsWith(`${date}/`))
    .map((i) => i.itemId)
}

/** Calendar days of the plan horizon (today and the next 7), from the API. */
export async function horizon(
  ctl: TestController,
): Promise<{ date: string; type: 'working' | 'rest' }[]> {
  const deps = ctl.controller.deps
  if (!deps) throw new Error('controller not started')
  const dates = planDates(deps.clock.now(), deps.config.horizonDays, deps.config.tz)
  const out: { date: string; type: 'working' | 'rest' }[] = []
  for (const date of dates) {
    const r = await ctl.api<{ type: 'working' | 'rest' }>('GET', `/api/calendar/${date}`)
    out.push({ date, type: r.body.type })
  }
  return out
}

/** A running agent on a node registered with the given zone and test flag. */
export async function startNode(
  ctl: TestController,
  opts: {
    name: string
    zone?: string
    isTest?: boolean
    controllerUrl?: string
    /** The node's own clocks (e.g. a system clock that is off); default the real ones. */
    host?: HostClock
  },
): Promise<{ agent: Agent; nodeId: string; wavDir: string }> {
  // Registering never creates a zone; POST /api/zones returns the zone when it exists.
  const zone = opts.zone ?? '西海路社区'
  if (!zone.startsWith('z-')) await ctl.api('POST', '/api/zones', { name: zone })
  const r = await ctl.api<{ id: string; secret: string }>('POST', '/api/nodes', {
    name: opts.name,
    zone: opts.zone ?? '西海路社区',
    isTest: opts.isTest ?? false,
  })
  if (r.status !== 201) throw new Error(`register failed: ${r.status}`)
  const dataDir = tmpDir('chorus-agent-')
  const wavDir = join(dataDir, 'played')
  const config = loadNodeConfig({
    flags: {
      nodeId: r.body.id,
      secret: r.body.secret,
      brokerUrl: ctl.brokerUrl,
      controllerUrl: opts.controllerUrl ?? ctl.url,
      sink: `wav:${wavDir}`,
      dataDir,
    },
  })
  const agent = createAgent({
    config,
    log: quietLog().child({ nodeId: r.body.id }),
    ffmpegPath,
    ...(opts.host ? { host: opts.host } : {}),
  })
  onTestFinished(() => agent.stop())
  await agent.start()
  return { agent, nodeId: r.body.id, wavDir }
}
