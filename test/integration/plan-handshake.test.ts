import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { MqttClient } from 'mqtt'
import { describe, expect, it } from 'vitest'
import { ITEMS_DIGEST_ALG, nodeTopic, type PlanMessage } from '../../protocol/index.js'
import { createVerifier } from '../../speaker-agent/verify.js'
import { makeTone } from '../helpers/audio.js'
import { startController, type TestController } from '../helpers/controller.js'
import { connectRaw, waitFor } from '../helpers/mqtt.js'
import { tmpDir } from '../helpers/tmp-dir.js'

/** More nodes than plans sent at once (PLAN_SENDS_AT_ONCE = 64), over two zones. */
const CROWD = 90
const OLD = '0000000000000000'

// `digest`: the birth says the agent accepts plans signed over their items' digest (as today's
// agents do); without it the node stands for an agent that predates that algorithm.
const birth = (nodeId: string, bootId: string, planVersion: string | null, digest = true) =>
  JSON.stringify({
    v: 1,
    state: 'online',
    nodeId,
    bootId,
    agentVersion: 'test',
    planVersion,
    at: new Date().toISOString(),
    reason: 'birth',
    ...(digest ? { planSig: [ITEMS_DIGEST_ALG] } : {}),
  })

interface Node {
  id: string
  secret: string
  client: MqttClient
  /** Every plan this node received, in order. */
  plans: PlanMessage[]
  birth(planVersion: string | null, bootId?: string): Promise<void>
}

async function connectNode(
  ctl: TestController,
  node: { id: string; secret: string },
  digest = true,
) {
  const client = await connectRaw(ctl.brokerUrl, {
    clientId: node.id,
    username: node.id,
    password: node.secret,
  })
  const plans: PlanMessage[] = []
  client.on('message', (topic, payload) => {
    if (topic === nodeTopic(node.id, 'plan')) plans.push(JSON.parse(payload.toString()))
  })
  await client.subscribeAsync(nodeTopic(node.id, 'plan'), { qos: 1 })
  const self: Node = {
    ...node,
    client,
    plans,
    birth: async (planVersion, bootId = 'boot-1') => {
      await client.publishAsync(
        nodeTopic(node.id, 'status'),
        birth(node.id, bootId, planVersion, digest),
        {
          qos: 1,
        },
      )
    },
  }
  return self
}

/**
 * Proves a node was sent nothing more: plans to one node go out in the order they were asked
 * for, so once the answer to a birth naming an old version arrives, anything owed to the node
 * before it has arrived too.
 */
async function nothingMoreFor(node: Node, had: number): Promise<void> {
  await node.birth(OLD, 'probe')
  await waitFor(() => node.plans.length > had, `the answer to ${node.id}'s probe`, 30_000)
  expect(node.plans.length).toBe(had + 1)
}

/** Whether the controller's key signed this plan as received (the agent's own check). */
function verified(plan: PlanMessage | undefined, key: string): boolean {
  if (!plan?.sig) return false
  return createVerifier(key).check(plan, 0).ok
}

/** The stored plans: node rows, and the bodies they name (read beside the running controller). */
function storedPlans(ctl: TestController) {
  const db = new Database(join(ctl.dataDir, 'chorus.db'), { readonly: true })
  try {
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n
    return {
      nodes: count('SELECT count(*) AS n FROM node_plans'),
      named: count('SELECT count(DISTINCT body_hash) AS n FROM node_plans'),
      bodies: count('SELECT count(*) AS n FROM plan_bodies'),
    }
  } finally {
    db.close()
  }
}

async function withProgramme(ctl: TestController) {
  return { audio: await ctl.upload(await makeTone(tmpDir(), 'news', 1), '新闻') }
}

describe('the plan handshake at a birth (issue 9)', () => {
  it('a crowd born at once: each node gets one plan, signed for it; the current version gets nothing again, an old one the current plan', async () => {
    const ctl = await startController()
    const { audio } = await withProgramme(ctl)
    const registered = await Promise.all(
      Array.from({ length: CROWD }, (_, i) =>
        ctl.register(`人群 ${i}`, i % 2 ? '工具厂社区' : '西海路社区'),
      ),
    )
    // One node in five stands for an agent that predates digest-signed plans.
    const older = (i: number) => i % 5 === 4
    const nodes = await Promise.all(registered.map((n, i) => connectNode(ctl, n, !older(i))))
    await Promise.all(nodes.map((n) => n.birth(null)))
    await waitFor(() => nodes.every((n) => n.plans.length === 1), 'every first plan', 60_000)

    const key = ctl.controller.deps?.signer.publicKeyPem ?? ''
    for (const n of nodes) {
      expect(n.plans[0]?.nodeId).toBe(n.id)
      expect(verified(n.plans[0], key)).toBe(true)
    }
    const seqs = new Set(nodes.map((n) => n.plans[0]?.sig?.seq))
    expect(seqs.size).toBe(CROWD)

    // A change: every node gets the new version once, with its items.
    const date = nodes[0]?.plans[0]?.dates[1] ?? ''
    const put = await ctl.api('PUT', `/api/days/${date}`, {
      items: [{ start: '08:00:00', audioId: audio.id, title: '新闻' }],
    })
    expect(put.status).toBe(200)
    await waitFor(() => nodes.every((n) => n.plans.length === 2), 'every new plan', 60_000)
    const current = nodes[0]?.plans[1]?.version
    for (const [i, n] of nodes.entries()) {
      expect(n.plans[1]).toMatchObject({ nodeId: n.id, version: current })
      expect(n.plans[1]?.items.map((i) => i.sha256)).toEqual([audio.sha256])
      // The signature covers the items too: through their digest, computed once per group, for
      // agents whose birth accepts it; over the whole plan for older agents, which know no other.
      expect(n.plans[1]?.sig?.alg).toBe(older(i) ? 'Ed25519' : ITEMS_DIGEST_ALG)
      expect(verified(n.plans[1], key)).toBe(true)
      expect(verified({ ...n.plans[1], items: [] } as PlanMessage, key)).toBe(false)
      const other = nodes.find((o) => o.id !== n.id)?.id ?? ''
      expect(verified({ ...n.plans[1], nodeId: other } as PlanMessage, key)).toBe(false)
    }
    // Two groups (two zones): at most one stored body each (one when both plans came out the
    // same to the second), every body named by its nodes; the first plans' bodies are gone.
    const stored = storedPlans(ctl)
    expect(stored.nodes).toBe(CROWD)
    expect(stored.bodies).toBeLessThanOrEqual(2)
    expect(stored.named).toBe(stored.bodies)

    // Reconnects: the node holding the current version is sent nothing; the old one is answered.
    const [holds, old] = nodes as [Node, Node]
    await holds.birth(current ?? '', 'boot-2')
    await old.birth(nodes[0]?.plans[0]?.version ?? '', 'boot-2')
    await waitFor(() => old.plans.length === 3, 'the current plan for the old version', 30_000)
    expect(old.plans[2]).toMatchObject({ nodeId: old.id, version: current })
    await nothingMoreFor(holds, 2)
  })

  it('after a restart on the same data: nodes holding the current plan get none; one that missed a change gets it', async () => {
    const dataDir = tmpDir('chorus-ctl-')
    let ctl = await startController({ dataDir })
    const { audio } = await withProgramme(ctl)
    const registered = [await ctl.register('重启 1'), await ctl.register('重启 2')]
    let [holds, missed] = await Promise.all(registered.map((n) => connectNode(ctl, n)))
    if (!holds || !missed) throw new Error('two nodes')
    await Promise.all([holds.birth(null), missed.birth(null)])
    await waitFor(() => holds?.plans.length === 1 && missed?.plans.length === 1, 'first plans')
    const first = holds.plans[0] as PlanMessage
    // One node is away during a change.
    await missed.client.endAsync(true)
    const put = await ctl.api('PUT', `/api/days/${first.dates[1]}`, {
      items: [{ start: '09:00:00', audioId: audio.id, title: '通知' }],
    })
    expect(put.status).toBe(200)
    await waitFor(() => holds?.plans.length === 2, 'the new plan')
    const current = holds.plans[1]?.version
    expect(current).not.toBe(first.version)
    await holds.client.endAsync(true)
    await ctl.stop()

    ctl = await startController({ dataDir })
    holds = await connectNode(ctl, registered[0] as { id: string; secret: string })
    missed = await connectNode(ctl, registered[1] as { id: string; secret: string })
    await holds.birth(current ?? '', 'boot-2')
    await missed.birth(first.version, 'boot-2')
    await waitFor(() => missed?.plans.length === 1, 'the plan the node missed', 30_000)
    expect(missed.plans[0]).toMatchObject({ nodeId: missed.id, version: current })
    expect(missed.plans[0]?.items.map((i) => i.sha256)).toEqual([audio.sha256])
    expect(verified(missed.plans[0], ctl.controller.deps?.signer.publicKeyPem ?? '')).toBe(true)
    await nothingMoreFor(holds, 0)
  })
})
