import { describe, expect, it } from 'vitest'
import {
  allNodesFilter,
  createPayloadDecoder,
  FLEET_TOPICS,
  isNodeId,
  MAX_PAYLOAD_BYTES,
  nodeTopic,
  parseNodeTopic,
} from './index.js'

describe('topics', () => {
  it('builds and parses a node topic symmetrically', () => {
    const topic = nodeTopic('node-1', 'status')
    expect(topic).toBe('chorus/v1/nodes/node-1/status')
    expect(parseNodeTopic(topic)).toEqual({ nodeId: 'node-1', channel: 'status' })
  })

  it.each([
    ['chorus/v1/nodes/node-1/unknown'],
    ['chorus/v1/nodes/node-1/status/extra'],
    ['chorus/v1/nodes/+/status'],
    ['chorus/v1/nodes/#'],
    ['chorus/v2/nodes/node-1/status'],
    ['chorus/v1/fleet/rebirth'],
    ['chorus/v1/nodes/Node_1/status'],
  ])('rejects %s as a node topic', (topic) => {
    expect(parseNodeTopic(topic)).toBeNull()
  })

  it('refuses to build a topic from a node id with wildcards or slashes', () => {
    for (const bad of ['a/b', '+', '#', '', 'UPPER', '-lead']) {
      expect(isNodeId(bad)).toBe(false)
      expect(() => nodeTopic(bad, 'plan')).toThrow(/invalid node id/)
    }
  })

  it('names the fleet-wide filters the controller subscribes to', () => {
    expect(allNodesFilter('events')).toBe('chorus/v1/nodes/+/events')
    expect(FLEET_TOPICS.rebirth).toBe('chorus/v1/fleet/rebirth')
  })
})

describe('createPayloadDecoder', () => {
  const decoder = createPayloadDecoder()
  const birth = {
    v: 1,
    state: 'online',
    nodeId: 'n1',
    bootId: 'b1',
    agentVersion: '0.1.0',
    planVersion: null,
    at: '2026-11-27T08:00:00.000Z',
  }

  it('accepts a valid birth message', () => {
    const r = decoder.decode('status', JSON.stringify(birth))
    expect(r.ok).toBe(true)
  })

  it('rejects malformed JSON with a reason', () => {
    const r = decoder.decode('status', Buffer.from('{"v":1,'))
    expect(r).toMatchObject({ ok: false })
    if (!r.ok) expect(r.errors[0]).toMatch(/not JSON/)
  })

  it('rejects a payload that violates the schema and says where', () => {
    const r = decoder.decode('status', JSON.stringify({ ...birth, state: 'sleeping' }))
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors.join(' ')).toMatch(/state/)
  })

  it('rejects an instant without an offset', () => {
    const r = decoder.decode('status', JSON.stringify({ ...birth, at: '2026-11-27T08:00:00' }))
    expect(r.ok).toBe(false)
  })

  it('rejects an oversized payload before parsing it', () => {
    const r = decoder.decode('telemetry', Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 32))
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors[0]).toMatch(/larger/)
  })

  it('accepts an events batch and rejects an empty one', () => {
    const ev = {
      id: 'e1',
      at: '2026-11-27T08:00:00Z',
      type: 'play.failed',
      itemId: 'i1',
      scheduledAt: '2026-11-27T08:00:00+08:00',
      reason: 'checksum',
    }
    expect(decoder.decode('events', JSON.stringify({ v: 1, events: [ev] })).ok).toBe(true)
    expect(decoder.decode('events', JSON.stringify({ v: 1, events: [] })).ok).toBe(false)
    const bad = { ...ev, reason: 'gremlins' }
    expect(decoder.decode('events', JSON.stringify({ v: 1, events: [bad] })).ok).toBe(false)
  })

  it('decodes a rebirth request', () => {
    const ok = decoder.decodeRebirth(JSON.stringify({ v: 1, requestId: 'r', at: birth.at }))
    expect(ok.ok).toBe(true)
    expect(decoder.decodeRebirth('[]').ok).toBe(false)
  })
})

describe('enumerations', () => {
  it('accepts exactly the documented command kinds and failure reasons', async () => {
    const {
      COMMAND_KINDS,
      LIVE_COMMAND_KINDS,
      PLAY_FAILURE_REASONS,
      CommandMessageSchema,
      PlayFailedEventSchema,
    } = await import('./index.js')
    const kinds = CommandMessageSchema.properties.kind.anyOf.map((s: { const: string }) => s.const)
    expect(kinds).toEqual([...COMMAND_KINDS, ...LIVE_COMMAND_KINDS])
    const reasons = PlayFailedEventSchema.properties.reason.anyOf.map(
      (s: { const: string }) => s.const,
    )
    expect(reasons).toEqual([...PLAY_FAILURE_REASONS])
  })
})

describe('signing input', () => {
  it('is canonical: key order and an absent field do not change it', async () => {
    const { canonicalJson, signingInput } = await import('./index.js')
    expect(canonicalJson({ b: 1, a: [{ d: null, c: 'x' }], e: undefined })).toBe(
      '{"a":[{"c":"x","d":null}],"b":1}',
    )
    const sig = { alg: 'Ed25519' as const, keyId: '0123456789abcdef', seq: 7, value: 'AA==' }
    const a = signingInput({ v: 1, id: 'c1', sig } as never)
    const b = signingInput({ sig: { ...sig, value: 'BB==' }, id: 'c1', v: 1 } as never)
    expect(a.equals(b)).toBe(true)
    expect(a.toString()).toContain('"seq":7')
    expect(signingInput({ v: 1, id: 'c2', sig } as never).equals(a)).toBe(false)
  })
})

describe('plans signed over their items digest (issue 9)', () => {
  it('pass the plan schema; an agent of the earlier schema refuses them as invalid, naming sig/alg', async () => {
    const { Type } = await import('typebox')
    const { Compile } = await import('typebox/compile')
    const { ITEMS_DIGEST_ALG, PlanMessageSchema, SignatureSchema } = await import('./index.js')
    const plan = {
      v: 1,
      nodeId: 'node-1',
      version: 'v1',
      generatedAt: '2026-12-07T09:00:00+08:00',
      tz: 'Asia/Shanghai',
      dates: ['2026-12-07'],
      items: [],
      sig: { alg: ITEMS_DIGEST_ALG, keyId: '0123456789abcdef', seq: 7, value: 'AA==' },
    }
    expect(createPayloadDecoder().decode('plan', JSON.stringify(plan)).ok).toBe(true)
    // The plan schema as agents before this version compiled it: `alg` was 'Ed25519' only.
    const earlier = Compile(
      Type.Object({
        ...PlanMessageSchema.properties,
        sig: Type.Optional(
          Type.Object({ ...SignatureSchema.properties, alg: Type.Literal('Ed25519') }),
        ),
      }),
    )
    expect(earlier.Check(plan)).toBe(false)
    expect(earlier.Errors(plan).map((e) => e.instancePath)).toContain('/sig/alg')
  })
})
