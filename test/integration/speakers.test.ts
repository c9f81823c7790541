import { describe, expect, it } from 'vitest'
import { startController, type TestController } from '../helpers/controller.js'

interface Node {
  id: string
  name: string
  zone: string
  lat: number | null
  lon: number | null
  serial: string | null
  retired?: boolean
  retiredAt?: string | null
}

async function tree(ctl: TestController) {
  await ctl.api('POST', '/api/zones/setup', {
    district: '630105',
    towns: ['630105100', '630105101'],
  })
  const zones = (await ctl.api<{ id: string; code: string }[]>('GET', '/api/zones')).body
  const byCode = (c: string) => zones.find((z) => z.code === c)?.id as string
  return { district: byCode('630105'), dbz: byCode('630105100'), ershi: byCode('630105101') }
}

async function register(ctl: TestController, body: Record<string, unknown>) {
  const r = await ctl.api<Node & { secret: string }>('POST', '/api/nodes', body)
  expect(r.status).toBe(201)
  return r.body
}

describe('speakers', () => {
  it('edits name, zone, position and serial; a serial is unique and a twin name is warned about', async () => {
    const ctl = await startController()
    const z = await tree(ctl)
    const a = await register(ctl, { name: '村口', zone: z.dbz, serial: 'SN-001' })
    const b = await register(ctl, { name: '广场', zone: z.ershi })

    const moved = await ctl.api<{ node: Node; warnings: { code: string }[] }>(
      'PATCH',
      `/api/nodes/${b.id}`,
      { name: '村口', zone: '630105100', lat: 36.66, lon: 101.75, serial: 'SN-002' },
    )
    expect(moved.status).toBe(200)
    expect(moved.body.node).toMatchObject({
      name: '村口',
      zone: z.dbz,
      lat: 36.66,
      lon: 101.75,
      serial: 'SN-002',
    })
    expect(moved.body.warnings.map((w) => w.code)).toEqual(['DUPLICATE_NAME'])

    const taken = await ctl.api<{ code: string }>('PATCH', `/api/nodes/${b.id}`, {
      serial: 'SN-001',
    })
    expect([taken.status, taken.body.code]).toEqual([409, 'SERIAL_TAKEN'])
    const again = await ctl.api<{ code: string }>('POST', '/api/nodes', {
      name: '新',
      zone: z.dbz,
      serial: 'SN-001',
    })
    expect([again.status, again.body.code]).toEqual([409, 'SERIAL_TAKEN'])
    const half = await ctl.api('PATCH', `/api/nodes/${a.id}`, { lat: 36.1 })
    expect(half.status).toBe(400)
    const cleared = await ctl.api<{ node: Node }>('PATCH', `/api/nodes/${a.id}`, {
      lat: null,
      lon: null,
    })
    expect(cleared.body.node).toMatchObject({ lat: null, lon: null })
  })

  it('exports the survey sheet and imports it back: new rows register, known serials update, errors change nothing', async () => {
    const ctl = await startController()
    const z = await tree(ctl)
    const a = await register(ctl, {
      name: '村口',
      zone: z.dbz,
      serial: 'SN-001',
      lat: 36.5,
      lon: 101.9,
    })
    const csv = await fetch(`${ctl.url}/api/nodes/export`, { headers: ctl.headers })
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/)
    const lines = (await csv.text())
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
    expect(lines).toEqual([
      '名称,区域代码,区域,序列号,纬度,经度,备注,节点ID',
      `村口,630105100,大堡子镇,SN-001,36.5,101.9,,${a.id}`,
    ])

    const sheet = [
      lines[0],
      '村口（东）,630105100,大堡子镇,SN-001,36.51,101.91,,',
      '学校,630105101,二十里铺镇,SN-003,,,新装,',
    ].join('\r\n')
    const dry = await ctl.api<{
      applied: boolean
      rows: { action: string; nodeId: string | null }[]
    }>('POST', '/api/nodes/import', { csv: sheet })
    expect(dry.body.applied).toBe(false)
    expect(dry.body.rows.map((r) => [r.action, r.nodeId])).toEqual([
      ['update', a.id],
      ['create', null],
    ])
    expect((await ctl.api<Node[]>('GET', '/api/nodes')).body).toHaveLength(1)

    const bad = await ctl.api<{
      applied: boolean
      rows: { action: string; message: string | null }[]
    }>('POST', '/api/nodes/import', { csv: `${sheet}\r\n坏行,999999,,,,,`, apply: true })
    expect(bad.body.applied).toBe(false)
    expect(bad.body.rows.at(-1)).toMatchObject({
      action: 'error',
      message: 'zone "999999" does not exist',
    })
    expect((await ctl.api<Node[]>('GET', '/api/nodes')).body).toHaveLength(1)

    const done = await ctl.api<{ applied: boolean }>('POST', '/api/nodes/import', {
      csv: sheet,
      apply: true,
    })
    expect(done.body.applied).toBe(true)
    const nodes = (await ctl.api<Node[]>('GET', '/api/nodes')).body
    expect(nodes.map((n) => `${n.name} ${n.serial} ${n.lat}`).sort()).toEqual([
      '学校 SN-003 null',
      '村口（东） SN-001 36.51',
    ])
  })

  it('moves, commands and retires a filtered list in one action', async () => {
    const ctl = await startController()
    const z = await tree(ctl)
    const a = await register(ctl, { name: '一号', zone: z.dbz })
    const b = await register(ctl, { name: '二号', zone: z.dbz })
    const move = await ctl.api<{ count: number }>('POST', '/api/nodes/bulk', {
      ids: [a.id, b.id],
      action: 'move',
      zone: '630105101',
    })
    expect(move.body.count).toBe(2)
    const nodes = (await ctl.api<Node[]>('GET', '/api/nodes')).body
    expect(nodes.every((n) => n.zone === z.ershi)).toBe(true)
    const cmd = await ctl.api<{ count: number; batchId: string }>('POST', '/api/nodes/bulk', {
      ids: [a.id, b.id],
      action: 'command',
      command: { kind: 'ping' },
    })
    expect(cmd.body).toMatchObject({ count: 2, batchId: expect.stringMatching(/^b-/) })
    const noZone = await ctl.api('POST', '/api/nodes/bulk', { ids: [a.id], action: 'move' })
    expect(noZone.status).toBe(400)
    const retire = await ctl.api<{ count: number }>('POST', '/api/nodes/bulk', {
      ids: [a.id],
      action: 'retire',
    })
    expect(retire.body.count).toBe(1)
    const after = (await ctl.api<Node>('GET', `/api/nodes/${a.id}`)).body
    expect(after.retiredAt ?? after.retired).toBeTruthy()
    const unknown = await ctl.api('POST', '/api/nodes/bulk', {
      ids: ['node-nope'],
      action: 'retire',
    })
    expect(unknown.status).toBe(404)
  })
})
