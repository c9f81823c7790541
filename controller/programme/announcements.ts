import { randomBytes } from 'node:crypto'
import type { Logger } from 'pino'
import {
  ANNOUNCEMENT_PRIORITY,
  type AnnouncementLevel,
  instantToLocalDate,
} from '../../schedules/index.js'
import { ChorusError } from '../errors.js'
import type { Clock, EventBus } from '../platform/index.js'
import { type Outcome, outcomeOf } from '../reports/index.js'
import type { SharedRepositories } from '../repositories.js'
import type { AnnouncementRecord } from './repositories/announcements-repository.js'

/** What the office sends to create an announcement. */
export interface AnnouncementInput {
  audioId: string
  title?: string
  /** Zone ids; empty or absent: the whole district. */
  zones?: string[]
  /** ISO instant; absent: now. */
  at?: string
  level: AnnouncementLevel
  drill?: boolean
  /** The logged-in user who sends it (never free text from the request). */
  createdBy?: string | null
}

/** One targeted node's delivery and play of an announcement. */
export interface AnnouncementNode {
  nodeId: string
  name: string
  zoneId: string
  online: boolean
  isTest: boolean
  /** The plan version carrying the announcement was published to the node. */
  sentAt: string | null
  /** The node reported holding that plan (plan.applied). */
  acknowledgedAt: string | null
  delivery: 'acknowledged' | 'pending'
  play: Outcome | null
}

/** An announcement with its delivery, as the API returns it. */
export type AnnouncementView = AnnouncementRecord & {
  status: 'scheduled' | 'delivering' | 'delivered' | 'cancelled'
  counts: {
    targeted: number
    acknowledged: number
    pending: number
    /** Online nodes that have not acknowledged yet: what "delivered" waits for. */
    pendingOnline: number
    played: number
    failed: number
    interrupted: number
  }
  nodes: AnnouncementNode[]
}

/** How far in the past `at` may lie (clock skew of the office's browser). */
const AT_PAST_TOLERANCE_MS = 60_000

/**
 * Urgent announcements (插播) travel as plan items: they reach the targeted nodes with the version
 * handshake (so a node that reconnects still gets one, and keeps it on disk), their audio is
 * fetched like any other, and a node acknowledges one by reporting the plan version that carries
 * it. Their priority puts them above every scheduled segment (emergency above urgent), so they
 * interrupt what is playing; the programme resumes afterwards (see the agent's player).
 */
export function createAnnouncements(deps: {
  repos: Pick<SharedRepositories, 'announcements' | 'audio' | 'events' | 'nodes' | 'zones'>
  bus: EventBus
  clock: Clock
  log: Logger
  tz: string
  maxDelaySec: number
  silentThresholdDb: number
}) {
  const { repos, bus } = deps
  const log = deps.log.child({ module: 'announcements' })

  function check(input: AnnouncementInput): { at: number } {
    const audio = repos.audio.get(input.audioId)
    if (!audio) throw new ChorusError('ANNOUNCEMENT_INVALID', `unknown audio: ${input.audioId}`)
    if (audio.silent) {
      throw new ChorusError('ANNOUNCEMENT_INVALID', `the recording "${audio.title}" is silent`)
    }
    const unknown = (input.zones ?? []).filter((z) => !repos.zones.resolve(z))
    if (unknown.length > 0) {
      throw new ChorusError('ANNOUNCEMENT_INVALID', `unknown zone: ${unknown.join(', ')}`)
    }
    const now = deps.clock.now()
    const at = input.at === undefined ? now : Date.parse(input.at)
    if (Number.isNaN(at))
      throw new ChorusError('ANNOUNCEMENT_INVALID', `not an instant: ${input.at}`)
    if (at < now - AT_PAST_TOLERANCE_MS) {
      throw new ChorusError('ANNOUNCEMENT_INVALID', `${input.at} is in the past`)
    }
    return { at: Math.max(at, now) }
  }

  async function create(input: AnnouncementInput): Promise<AnnouncementView> {
    const { at } = check(input)
    const audio = repos.audio.get(input.audioId)
    const record: AnnouncementRecord = {
      id: randomBytes(6).toString('hex'),
      title: input.title?.trim() || audio?.title || '',
      audioId: input.audioId,
      // Zone ids or codes; stored by id.
      zones: [...new Set((input.zones ?? []).map((z) => repos.zones.resolve(z)?.id ?? z))],
      level: input.level,
      priority: ANNOUNCEMENT_PRIORITY[input.level],
      at: new Date(at).toISOString(),
      date: instantToLocalDate(at, deps.tz),
      latestStartAt: new Date(at + deps.maxDelaySec * 1000).toISOString(),
      drill: input.drill === true,
      createdBy: input.createdBy ?? null,
      createdAt: new Date(deps.clock.now()).toISOString(),
      cancelledAt: null,
    }
    repos.announcements.insert(record)
    log.info(
      { announcementId: record.id, level: record.level, zones: record.zones, drill: record.drill },
      'announcement created',
    )
    bus.emit('programmeChanged', {
      what: 'announcement',
      dates: [record.date],
      zones: record.zones.length > 0 ? record.zones : 'all',
      reason: `announcement ${record.id}`,
      urgent: true,
    })
    bus.emit('announcementChanged', { announcementId: record.id })
    return get(record.id)
  }

  function record(id: string): AnnouncementRecord {
    const a = repos.announcements.get(id)
    if (!a) throw new ChorusError('ANNOUNCEMENT_NOT_FOUND', `no announcement ${id}`)
    return a
  }

  function get(id: string): AnnouncementView {
    const a = record(id)
    const deliveries = repos.announcements.deliveries(id)
    const plays = new Map<
      string,
      { type: string; reason: string | null; body: Record<string, unknown> }[]
    >()
    for (const p of repos.events.playsOfItem(a.date, `${a.date}/ann-${id}`)) {
      const list = plays.get(p.nodeId) ?? []
      list.push({ ...p, body: { ...p.body, at: p.at } })
      plays.set(p.nodeId, list)
    }
    const nodes: AnnouncementNode[] = []
    for (const d of deliveries) {
      const n = repos.nodes.get(d.nodeId)
      if (!n) continue
      nodes.push({
        nodeId: n.id,
        name: n.name,
        zoneId: n.zoneId,
        online: n.online,
        isTest: n.isTest,
        sentAt: d.sentAt,
        acknowledgedAt: d.ackedAt,
        delivery: d.ackedAt ? 'acknowledged' : 'pending',
        play: outcomeOf(plays.get(n.id) ?? [], deps.silentThresholdDb),
      })
    }
    const counts = countsOf(nodes)
    const pendingOnline = counts.pendingOnline
    const status = a.cancelledAt
      ? 'cancelled'
      : nodes.length === 0
        ? 'scheduled'
        : pendingOnline > 0
          ? 'delivering'
          : 'delivered'
    return { ...a, status, counts, nodes }
  }

  /** Announcements filed under dates from..to, newest first; without a range, the latest 100. */
  function list(range?: { from: string; to: string }): AnnouncementView[] {
    const records = range
      ? repos.announcements.between(range.from, range.to).reverse()
      : repos.announcements.recent(100)
    return records.map((a) => get(a.id))
  }

  /** Withdraws an announcement from plans; a node playing it stops. */
  async function cancel(id: string): Promise<AnnouncementView> {
    const a = record(id)
    const over = Date.parse(a.latestStartAt) < deps.clock.now()
    if (a.cancelledAt || over) {
      throw new ChorusError(
        'ANNOUNCEMENT_CLOSED',
        `announcement ${id} is already ${a.cancelledAt ? 'cancelled' : 'over'}`,
      )
    }
    repos.announcements.cancel(id, new Date(deps.clock.now()).toISOString())
    log.info({ announcementId: id }, 'announcement cancelled')
    bus.emit('programmeChanged', {
      what: 'announcement',
      dates: [a.date],
      zones: a.zones.length > 0 ? a.zones : 'all',
      reason: `announcement ${id} cancelled`,
      urgent: true,
    })
    bus.emit('announcementChanged', { announcementId: id })
    return get(id)
  }

  const onApplied = (p: { nodeId: string; version: string; at: string }) => {
    const acked = repos.announcements.acknowledge(
      p.nodeId,
      p.version,
      new Date(deps.clock.now()).toISOString(),
    )
    for (const announcementId of acked) bus.emit('announcementChanged', { announcementId })
  }
  const onPlay = (p: { itemId: string | null }) => {
    const m = p.itemId ? /\/ann-(.+)$/.exec(p.itemId) : null
    if (m?.[1]) bus.emit('announcementChanged', { announcementId: m[1] })
  }

  return {
    create,
    get,
    list,
    cancel,
    /** The zones an announcement targets (null: no such announcement). */
    zonesOf: (id: string): string[] | null => repos.announcements.get(id)?.zones ?? null,
    start(): void {
      bus.on('planApplied', onApplied)
      bus.on('playReported', onPlay)
    },
    stop(): void {
      bus.off('planApplied', onApplied)
      bus.off('playReported', onPlay)
    },
  }
}

/** The announcements service. */
export type Announcements = ReturnType<typeof createAnnouncements>

/** An announcement's figures over its nodes (all of them, or those a user limited to zones sees). */
export function countsOf(nodes: readonly AnnouncementNode[]): AnnouncementView['counts'] {
  const count = (f: (n: AnnouncementNode) => boolean) => nodes.filter(f).length
  return {
    targeted: nodes.length,
    acknowledged: count((n) => n.delivery === 'acknowledged'),
    pending: count((n) => n.delivery === 'pending'),
    pendingOnline: count((n) => n.delivery === 'pending' && n.online),
    played: count((n) => n.play?.status === 'played'),
    failed: count((n) => n.play?.status === 'failed' || n.play?.status === 'silent'),
    interrupted: count((n) => n.play?.status === 'interrupted'),
  }
}
