import { describe, expect, it } from 'vitest'
import {
  type Bundle,
  bundleJson,
  type Command,
  type CreatedNode,
  checklist,
  latestTone,
  type Node,
  nodeOf,
  qrSource,
  registerBody,
  registerProblem,
} from './commission'

// The installer's pure parts (ported from the hand-made UI's tests):
// the commissioning checklist, the test tone that counts, the registration's body and the
// 配置包 as an image and a file.

function node(over: Partial<Node> = {}): Node {
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
    serial: null,
    notes: null,
    enrolledAt: '2026-11-27T07:30:00.000Z',
    replacedAt: null,
    ...over,
  }
}

function tone(status: string, issuedAt = '2026-11-27T08:00:00.000Z'): Command {
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

describe('registering a speaker', () => {
  it('asks for a name and a zone, and sends what was typed, trimmed', () => {
    const form = { name: '  ', zone: '', serial: '', notes: '' }
    expect(registerProblem(form)).toBe('needName')
    expect(registerProblem({ ...form, name: '西海路 12号' })).toBe('needZone')
    expect(registerProblem({ ...form, name: '西海路 12号', zone: 'c' })).toBeNull()
    expect(
      registerBody({ name: ' 西海路 12号 ', zone: 'c', serial: ' ', notes: '' }, null),
    ).toEqual({
      name: '西海路 12号',
      zone: 'c',
    })
    expect(
      registerBody(
        { name: '西海路 12号', zone: 'c', serial: ' CB-1 ', notes: '北门电线杆' },
        { lat: 36.6, lon: 101.7 },
      ),
    ).toEqual({
      name: '西海路 12号',
      zone: 'c',
      lat: 36.6,
      lon: 101.7,
      serial: 'CB-1',
      notes: '北门电线杆',
    })
  })

  it('keeps the secret and the 配置包 out of the node, and shows the QR as an inert image', () => {
    const bundle = { v: 1, nodeId: 'node-1', enrollmentToken: 'tok' } as unknown as Bundle
    const created = { ...node(), secret: 's3cret', bundle, bundleQr: '<svg/>' } as CreatedNode
    const n = nodeOf(created)
    expect(n).toEqual(node())
    expect(JSON.stringify(n)).not.toContain('s3cret')
    expect(qrSource('<svg a="1"/>')).toBe(
      'data:image/svg+xml;charset=utf-8,%3Csvg%20a%3D%221%22%2F%3E',
    )
    expect(JSON.parse(bundleJson(bundle))).toEqual(bundle)
    expect(bundleJson(bundle).endsWith('}\n')).toBe(true)
  })
})
