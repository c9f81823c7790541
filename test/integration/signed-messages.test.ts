import { generateKeyPairSync, sign } from 'node:crypto'
import { once } from 'node:events'
import mqtt from 'mqtt'
import { describe, expect, it, onTestFinished } from 'vitest'
import { nodeTopic, type PlanMessage, signingInput } from '../../protocol/index.js'
import { keyIdOf } from '../../speaker-agent/verify.js'
import { startAgent } from '../helpers/agent.js'
import { startController } from '../helpers/controller.js'
import { startExternalBroker } from '../helpers/external-broker.js'

/** Someone who got onto the broker (a compromised broker, or a client past the ACL). */
async function intruder(url: string) {
  const c = await mqtt.connectAsync(url, { clientId: 'intruder', reconnectPeriod: 0 })
  onTestFinished(() => c.endAsync(true))
  return c
}

function forgeSigned<T extends object>(message: T, seq: number) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const meta = { alg: 'Ed25519' as const, keyId: keyIdOf(publicKey), seq, value: '' }
  const value = sign(null, signingInput({ ...message, sig: meta }), privateKey).toString('base64')
  return { ...message, sig: { ...meta, value } }
}

describe('signed plans and commands', () => {
  it('makes an agent refuse unsigned, forged, replayed and misaddressed messages', async () => {
    const broker = await startExternalBroker()
    const ctl = await startController({
      args: ['--broker-url', broker.url, '--broker-username', 'svc', '--broker-password', 'pw'],
    })
    const extra = { brokerUrl: broker.url }
    const a = await startAgent(ctl, { name: 'A', zone: '西海路社区', extra, start: false })
    const b = await startAgent(ctl, { name: 'B', zone: '西海路社区', extra, start: false })
    const evil = await intruder(broker.url)
    // The intruder records the controller's genuine plan for A as it goes by.
    await evil.subscribeAsync(nodeTopic(a.nodeId, 'plan'), { qos: 1 })
    await evil.subscribeAsync(nodeTopic(a.nodeId, 'cmd'), { qos: 1 })
    const captured: Record<string, Buffer> = {}
    const heard = (kind: string) =>
      new Promise<Buffer>((resolve) => {
        const onMessage = (topic: string, payload: Buffer) => {
          if (!topic.endsWith(`/${kind}`)) return
          captured[kind] = payload
          evil.off('message', onMessage)
          resolve(payload)
        }
        evil.on('message', onMessage)
      })
    const planSeen = heard('plan')
    const firstPlan = once(a.agent.events, 'planApplied')
    await Promise.all([a.agent.start(), b.agent.start()])
    const [genuine] = (await firstPlan) as [string]
    await planSeen

    const refusals: string[] = []
    a.agent.events.on('refused', (channel, reason) => refusals.push(`${channel}:${reason}`))
    b.agent.events.on('refused', (channel, reason) => refusals.push(`B ${channel}:${reason}`))
    const next = async (n: number) => {
      while (refusals.length < n) {
        await Promise.race([once(a.agent.events, 'refused'), once(b.agent.events, 'refused')])
      }
    }

    const plan = JSON.parse(captured.plan!.toString()) as PlanMessage
    const evilPlan = { ...plan, version: 'evil', sig: undefined }
    await evil.publishAsync(nodeTopic(a.nodeId, 'plan'), JSON.stringify(evilPlan), { qos: 1 })
    await next(1)
    const forged = forgeSigned({ ...plan, version: 'forged', sig: undefined }, Date.now() * 1000)
    await evil.publishAsync(nodeTopic(a.nodeId, 'plan'), JSON.stringify(forged), { qos: 1 })
    await next(2)
    const altered = { ...plan, version: 'altered' }
    await evil.publishAsync(nodeTopic(a.nodeId, 'plan'), JSON.stringify(altered), { qos: 1 })
    await next(3)
    // The genuine plan again, word for word: a replay.
    await evil.publishAsync(nodeTopic(a.nodeId, 'plan'), captured.plan!, { qos: 1 })
    await next(4)

    // A genuine command for A, replayed to B; and an unsigned restart.
    const cmdSeen = heard('cmd')
    const cmd = await ctl.api<{ id: string }>('POST', `/api/nodes/${a.nodeId}/commands`, {
      kind: 'ping',
    })
    await Promise.all([once(a.agent.events, 'ack'), cmdSeen])
    const cmdForA = JSON.parse(captured.cmd!.toString()) as Record<string, unknown>
    expect(cmdForA.id).toBe(cmd.body.id)
    await evil.publishAsync(nodeTopic(b.nodeId, 'cmd'), captured.cmd!, { qos: 1 })
    await next(5)
    const unsigned = { ...cmdForA, id: 'c-evil', kind: 'restart', sig: undefined }
    await evil.publishAsync(nodeTopic(a.nodeId, 'cmd'), JSON.stringify(unsigned), { qos: 1 })
    await next(6)

    expect(refusals).toEqual([
      'plan:unsigned',
      'plan:unknown-key',
      'plan:bad-signature',
      'plan:replay',
      'B cmd:other-node',
      'cmd:unsigned',
    ])
    expect(a.agent.status().planVersion).toBe(genuine)
    expect(a.agent.status().connected).toBe(true)
  })
})
