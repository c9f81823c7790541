import { createPublicKey, verify } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { describe, expect, it, onTestFinished } from 'vitest'
import { RECEIPT_MAX_IDS, type ReceiptMessage, signingInput } from '../../protocol/index.js'
import { createSigner } from '../platform/signer.js'
import { clockWithNow } from '../platform/time.js'
import { createReceipts } from './receipts.js'

describe('receipts', () => {
  it('splits a large commit into signed receipts of at most RECEIPT_MAX_IDS ids, losing none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chorus-receipts-'))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    const clock = clockWithNow(() => Date.parse('2026-11-27T08:00:00Z'))
    const signer = createSigner(dir, clock)
    const sent: { topic: string; message: ReceiptMessage }[] = []
    const receipts = createReceipts({
      sign: (m) => signer.sign(m),
      publish: (topic, payload) => {
        sent.push({ topic, message: JSON.parse(payload) as ReceiptMessage })
        return Promise.resolve()
      },
      clock,
      tz: 'Asia/Shanghai',
      log: pino({ level: 'silent' }),
    })
    const stored = Array.from({ length: 1200 }, (_, i) => `s${i}`)
    const rejected = ['r1', 'r2', 'r3']
    receipts.send('node-1', stored, rejected)
    expect(sent.map((s) => s.message.stored.length + s.message.rejected.length)).toEqual([
      RECEIPT_MAX_IDS,
      RECEIPT_MAX_IDS,
      203,
    ])
    expect(sent.every((s) => s.topic === 'chorus/v1/nodes/node-1/receipt')).toBe(true)
    expect(sent.flatMap((s) => s.message.stored)).toEqual(stored)
    expect(sent.flatMap((s) => s.message.rejected)).toEqual(rejected)
    const key = createPublicKey(signer.publicKeyPem)
    for (const { message } of sent) {
      const signature = Buffer.from(message.sig?.value ?? '', 'base64')
      expect(verify(null, signingInput(message), key, signature)).toBe(true)
    }
  })
})
