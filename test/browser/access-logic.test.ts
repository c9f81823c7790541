import { describe, expect, it } from 'vitest'
import {
  commandKindsFor,
  homeOf,
  mayOpen,
  passwordProblem,
  reachable,
  waitParts,
} from '../../controller/web/src/access.js'
import type { ProvisionedNode } from '../../controller/web/src/access-types.js'
import type { Command, Zone } from '../../controller/web/src/types.js'
import { checklist, latestTone } from '../../controller/web/src/views/commission-data.js'
import { parseCoord, zoneChoices } from '../../controller/web/src/views/install-data.js'

// The access pages' pure logic (issue 5), in Node: what each role sees, the commissioning
// checklist, typed coordinates.

const ZONES: Zone[] = [
  { id: 'd', name: '城北区', parentId: null, code: '630105' },
  { id: 't', name: '二十里铺镇', parentId: 'd', code: null },
  { id: 'v', name: '严小村', parentId: 't', code: null },
  { id: 'c', name: '西海路社区', parentId: 'd', code: null },
]

const ALL = ['testTone', 'ping', 'setVolume', 'stop', 'resync', 'restart'] as const

function node(over: Partial<ProvisionedNode> = {}): ProvisionedNode {
  return {
    id: 'node-1',
    name: '西海路 12号',
    zone: 'c',
    zoneName: '西海路社区',
    lat: null,
    lon: null,
    isTest: false,
    online: true,
    stateSince: null,
    lastSeen: '2026-11-27T08:00:00.000Z',
    agentVersion: '0.1.0',
    planVersion: 'p1',
    reportedPlanVersion: 'p1',
    appliedPlanVersion: 'p1',
    createdAt: '2026-11-27T07:00:00.000Z',
    retiredAt: null,
    state: 'online',
    playing: false,
    degradedReasons: [],
    offlineSince: null,
    incidentId: null,
    enrolledAt: '2026-11-27T07:30:00.000Z',
    replacedAt: null,
    ...over,
  }
}

function tone(status: Command['status'], issuedAt = '2026-11-27T08:00:00.000Z'): Command {
  return {
    id: `c-${issuedAt}`,
    batchId: null,
    nodeId: 'node-1',
    kind: 'testTone',
    params: null,
    issuedAt,
    expiresAt: '2026-11-27T08:05:00.000Z',
    status,
    ackedAt: null,
    error: null,
    result: null,
  }
}

describe('roles in the web UI', () => {
  it('open each role its own pages, and admins every page', () => {
    expect(mayOpen('/nodes', ['scheduler'])).toBe(false)
    expect(mayOpen('/map', ['scheduler'])).toBe(false)
    expect(mayOpen('/alerts', ['installer'])).toBe(false)
    expect(mayOpen('/programme', ['scheduler'])).toBe(true)
    expect(mayOpen('/plays', ['technician'])).toBe(true)
    expect(mayOpen('/install', ['installer'])).toBe(true)
    expect(mayOpen('/install', ['technician'])).toBe(false)
    expect(mayOpen('/users', ['technician', 'scheduler', 'installer'])).toBe(false)
    expect(mayOpen('/account', [])).toBe(true)
    for (const page of ['/users', '/audit', '/tokens', '/install', '/nodes', '/reports']) {
      expect(mayOpen(page, ['admin']), page).toBe(true)
    }
    // Several roles add up; an unknown page is the admin's.
    expect(mayOpen('/programme', ['installer', 'scheduler'])).toBe(true)
    expect(mayOpen('/nope', ['scheduler', 'technician'])).toBe(false)
  })

  it('start each role on its first page', () => {
    expect(homeOf(['admin'])).toBe('/nodes')
    expect(homeOf(['technician'])).toBe('/nodes')
    expect(homeOf(['installer'])).toBe('/nodes')
    expect(homeOf(['scheduler'])).toBe('/programme')
    expect(homeOf([])).toBe('/account')
  })

  it('let an installer send only ping and a test tone', () => {
    expect(commandKindsFor(['installer'], ALL)).toEqual(['testTone', 'ping'])
    expect(commandKindsFor(['technician'], ALL)).toEqual([...ALL])
    expect(commandKindsFor(['admin'], ALL)).toEqual([...ALL])
    expect(commandKindsFor(['scheduler'], ALL)).toEqual([])
  })

  it('reach a zone and everything below it', () => {
    expect(reachable(ZONES, [])).toBeNull()
    expect([...(reachable(ZONES, ['t']) ?? [])].sort()).toEqual(['t', 'v'])
    expect(zoneChoices(ZONES, ['t']).map((z) => [z.zone.id, z.depth])).toEqual([
      ['t', 1],
      ['v', 2],
    ])
    expect(zoneChoices(ZONES, []).length).toBe(4)
  })

  it('check a new password as the server does, and word a lockout', () => {
    expect(passwordProblem('short', 'li')).toBe('short')
    expect(passwordProblem('x'.repeat(257), 'li')).toBe('long')
    expect(passwordProblem('my-name-is-Wang-1', 'wang')).toBe('username')
    expect(passwordProblem('long-enough-pw', 'wang')).toBeNull()
    expect(waitParts(29.2)).toEqual({ min: 0, sec: 30 })
    expect(waitParts(125)).toEqual({ min: 2, sec: 5 })
  })

  it('read typed coordinates (comma decimals, degree signs) and refuse out of range', () => {
    expect(parseCoord(' 36,6345° ', 90)).toBe(36.6345)
    expect(parseCoord('', 90)).toBeNull()
    expect(parseCoord('91', 90)).toBe('bad')
    expect(parseCoord('abc', 180)).toBe('bad')
  })
})

describe('commissioning checklist', () => {
  it('counts a node in service only when every step passed', () => {
    const done = checklist({ node: node(), clockOffsetMs: 12, tone: tone('ok') })
    expect(done.steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done', 'done'])
    expect(done.inService).toBe(true)

    const fresh = checklist({
      node: node({ online: false, enrolledAt: null, appliedPlanVersion: null }),
      clockOffsetMs: null,
      tone: null,
    })
    expect(fresh.steps.map((s) => s.state)).toEqual(['wait', 'wait', 'wait', 'wait', 'wait'])
    expect(fresh.inService).toBe(false)
  })

  it('fails the clock beyond 1 s, waits for the plan, and asks for the tone', () => {
    const r = checklist({
      node: node({ appliedPlanVersion: 'p0' }),
      clockOffsetMs: -1500,
      tone: null,
    })
    const by = Object.fromEntries(r.steps.map((s) => [s.key, s.state]))
    expect(by).toEqual({
      enrolled: 'done',
      online: 'done',
      clock: 'fail',
      plan: 'wait',
      tone: 'todo',
    })
    const reason = checklist({
      node: node({ degradedReasons: [{ code: 'clock', message: 'off', params: {} }] }),
      clockOffsetMs: 10,
      tone: tone('pending'),
    })
    expect(reason.steps.find((s) => s.key === 'clock')?.state).toBe('fail')
    expect(reason.steps.find((s) => s.key === 'tone')?.state).toBe('wait')
    const failed = checklist({ node: node(), clockOffsetMs: 0, tone: tone('expired') })
    expect(failed.steps.find((s) => s.key === 'tone')?.state).toBe('fail')
    expect(
      checklist({ node: node({ retiredAt: 'x' }), clockOffsetMs: 0, tone: null }).inService,
    ).toBe(false)
  })

  it('takes the newest test tone issued since the node (re-)enrolled', () => {
    const before = tone('ok', '2026-11-27T07:00:00.000Z')
    const older = tone('error', '2026-11-27T08:00:00.000Z')
    const newer = tone('pending', '2026-11-27T08:01:00.000Z')
    expect(latestTone([before], node())).toBeNull()
    expect(latestTone([older, newer, before], node())?.status).toBe('pending')
    const replaced = node({ replacedAt: '2026-11-27T08:00:30.000Z' })
    expect(latestTone([older], replaced)).toBeNull()
    expect(latestTone([{ ...newer, nodeId: 'other' }], node())).toBeNull()
  })
})
