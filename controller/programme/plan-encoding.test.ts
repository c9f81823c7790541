import { createHash, generateKeyPairSync, verify } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  canonicalJson,
  ITEMS_DIGEST_ALG,
  type PlanMessage,
  signingInput,
} from '../../protocol/index.js'
import { createManualClock } from '../../testing/manual-clock.js'
import { createSigner } from '../platform/signer.js'
import { planJson, planPayload, preparePlan, unsignedFor } from './plan-encoding.js'

const sha = (c: string) => c.repeat(64)

function plan(nodeId: string): PlanMessage {
  return {
    v: 1,
    nodeId,
    version: '9c1e44a0b2d3f7e1',
    generatedAt: '2026-12-07T09:00:00+08:00',
    tz: 'Asia/Shanghai',
    dates: ['2026-12-07', '2026-12-08'],
    items: [
      {
        itemId: '2026-12-07/a',
        startAt: '2026-12-07T08:00:00+08:00',
        audioId: 'a1',
        sha256: sha('a'),
        sizeBytes: 1000,
        durationMs: 2000,
        url: `/api/audio/files/${sha('a')}`,
        // Replacement patterns, quotes, a NUL and Chinese must come through as they are.
        title: '新闻 $& $1 $` "引号" \\ \u0000 end',
        priority: 1,
      },
      {
        itemId: '2026-12-08/ann-7',
        startAt: '2026-12-08T08:00:00+08:00',
        audioId: 'a2',
        sha256: sha('b'),
        sizeBytes: 10,
        durationMs: 20,
        url: `/api/audio/files/${sha('b')}`,
        title: '通知',
        priority: 5,
        kind: 'announcement',
        latestStartAt: '2026-12-08T09:00:00+08:00',
      },
    ],
  }
}

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('a plan encoded once for a group', () => {
  it('gives every node the same JSON as serialising its whole message', () => {
    const prepared = preparePlan(plan('node-a'))
    for (const id of ['node-a', 'node-b']) {
      expect(planJson(prepared, id)).toBe(JSON.stringify(plan(id)))
      const sig = { alg: 'Ed25519' as const, keyId: '0123456789abcdef', seq: 7, value: 'AAAA' }
      expect(planJson(prepared, id, sig)).toBe(JSON.stringify({ ...plan(id), sig }))
      // The payload handed to the broker: the same text's UTF-8 bytes (Chinese, NUL and all).
      expect(planPayload(prepared, id, sig).equals(Buffer.from(planJson(prepared, id, sig)))).toBe(
        true,
      )
    }
    // The body stored once for the group: the message without `nodeId`, keyed by its hash.
    const { nodeId: _n, ...shared } = plan('node-b')
    expect(JSON.parse(prepared.body.json)).toEqual(shared)
    expect(preparePlan(plan('node-b')).body).toEqual(prepared.body)
    expect(prepared.audio).toEqual([sha('a'), sha('b')])
    expect(prepared.announces).toBe(true)
  })

  it("is signed over the items' digest, which binds the items as the whole message did", () => {
    const dir = mkdtempSync(join(tmpdir(), 'chorus-plan-enc-'))
    dirs.push(dir)
    const signer = createSigner(dir, createManualClock())
    const prepared = preparePlan(plan('node-a'))
    const { sig } = signer.sign(unsignedFor(prepared, 'node-b'), undefined, prepared.itemsDigest)
    expect(sig?.alg).toBe(ITEMS_DIGEST_ALG)
    const received = JSON.parse(planPayload(prepared, 'node-b', sig).toString()) as PlanMessage
    expect(received).toEqual({ ...plan('node-b'), sig })
    // What an agent checks (speaker-agent/verify.ts): the digest of the items as received.
    const checks = (m: PlanMessage) => {
      const digest = createHash('sha256').update(canonicalJson(m.items)).digest('hex')
      const input = signingInput(m, undefined, digest)
      return verify(null, input, signer.publicKeyPem, Buffer.from(sig?.value ?? '', 'base64'))
    }
    expect(checks(received)).toBe(true)
    expect(checks({ ...received, items: received.items.slice(1) })).toBe(false)
    expect(checks({ ...received, nodeId: 'node-a' })).toBe(false)
  })

  it('is signed over the canonical form of the whole message, items included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chorus-plan-enc-'))
    dirs.push(dir)
    const signer = createSigner(dir, createManualClock())
    const prepared = preparePlan(plan('node-a'))
    const { sig } = signer.sign(unsignedFor(prepared, 'node-b'), prepared.known)
    const received = JSON.parse(planJson(prepared, 'node-b', sig)) as PlanMessage
    expect(received).toEqual({ ...plan('node-b'), sig })
    const key = signer.publicKeyPem
    const ok = verify(null, signingInput(received), key, Buffer.from(sig?.value ?? '', 'base64'))
    expect(ok).toBe(true)
    // Another key's signature over the same bytes does not pass (the check is real).
    const other = generateKeyPairSync('ed25519').publicKey
    expect(
      verify(null, signingInput(received), other, Buffer.from(sig?.value ?? '', 'base64')),
    ).toBe(false)
  })

  it('canonical JSON with known parts equals the canonical JSON computed in full', () => {
    const message = plan('node-c')
    const known = new Map([[message.items, canonicalJson(message.items)]])
    expect(canonicalJson(message, known)).toBe(canonicalJson(message))
    // A part is looked up by reference: an equal copy is computed, not taken from `known`.
    const stale = new Map([[message.items, '[]']])
    expect(canonicalJson({ ...message, items: [...message.items] }, stale)).toBe(
      canonicalJson(message),
    )
  })
})
