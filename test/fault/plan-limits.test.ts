import { once } from 'node:events'
import mqtt from 'mqtt'
import { describe, expect, it, onTestFinished } from 'vitest'
import { MAX_PLAN_ITEMS, nodeTopic, type PlanMessage } from '../../protocol/index.js'
import { instantToLocalDate } from '../../schedules/index.js'
import { startAgent } from '../helpers/agent.js'
import { makeTone } from '../helpers/audio.js'
import { startController } from '../helpers/controller.js'
import { startExternalBroker } from '../helpers/external-broker.js'
import { waitFor } from '../helpers/mqtt.js'
import { nodesById } from '../helpers/presence.js'
import { tmpDir } from '../helpers/tmp-dir.js'

/** `count` items of one audio, 15 s apart from midnight ("HH:MM:SS"). */
function manyItems(count: number, audioId: string) {
  return Array.from({ length: count }, (_, i) => {
    const s = i * 15
    const hh = String(Math.floor(s / 3600)).padStart(2, '0')
    const mm = String(Math.floor(s / 60) % 60).padStart(2, '0')
    const ss = String(s % 60).padStart(2, '0')
    return { start: `${hh}:${mm}:${ss}`, audioId, title: `item ${i}` }
  })
}

describe('fault: plans larger than an agent accepts', () => {
  it('refuses with 422 a day order that would make a plan no agent accepts, changing nothing', async () => {
    const ctl = await startController()
    const audio = await ctl.upload(await makeTone(tmpDir(), 'tick', 0.5, 440), 'tick')
    const date = instantToLocalDate(Date.now() + 86_400_000, 'Asia/Shanghai')
    // One request is capped by the HTTP schema (500 items)…
    const huge = await ctl.api('PUT', `/api/days/${date}`, { items: manyItems(5500, audio.id) })
    expect(huge.status).toBe(400)
    // …but a template plus a date order added to it could still make plans too big. The default
    // horizon is 7 days after today: plans of 8 days, so 625 items a day at most.
    const type = (await ctl.api<{ dayType: { type: string } }>('GET', `/api/days/${date}`)).body
      .dayType.type
    const tpl = await ctl.api('PUT', `/api/templates/${type}`, { items: manyItems(400, audio.id) })
    expect(tpl.status).toBe(200)
    const more = manyItems(800, audio.id).slice(400)
    const big = await ctl.api<{ code: string; message: string }>('PUT', `/api/days/${date}`, {
      mode: 'add',
      items: more,
    })
    expect(big.status).toBe(422)
    expect(big.body.code).toBe('DAY_INVALID')
    expect(big.body.message).toContain(`at most ${Math.floor(MAX_PLAN_ITEMS / 8)}`)
    expect(big.body.message).toContain(`${MAX_PLAN_ITEMS} items an agent accepts`)
    const day = await ctl.api<{ hasOwnOrder: boolean }>('GET', `/api/days/${date}`)
    expect(day.body.hasOwnOrder).toBe(false)
    // Within the limit it is saved.
    const fits = await ctl.api('PUT', `/api/days/${date}`, {
      mode: 'add',
      items: more.slice(0, 225),
    })
    expect(fits.status).toBe(200)
  })

  it('a node that refuses a plan or a command says so, and node health shows it', async () => {
    const broker = await startExternalBroker()
    const ctl = await startController({
      args: ['--broker-url', broker.url, '--broker-username', 'svc', '--broker-password', 'pw'],
    })
    const a = await startAgent(ctl, {
      sink: 'null',
      extra: { brokerUrl: broker.url },
      start: false,
    })
    const applied = once(a.agent.events, 'planApplied')
    await a.agent.start()
    await applied
    const evil = await mqtt.connectAsync(broker.url, { clientId: 'intruder', reconnectPeriod: 0 })
    onTestFinished(() => evil.endAsync(true))

    // A plan of 5,500 items (1.8 MB), even signed with the controller's own key.
    const item = {
      itemId: 'x',
      startAt: new Date(Date.now() + 3_600_000).toISOString(),
      audioId: 'a',
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      sizeBytes: 1,
      durationMs: 1000,
      url: '/api/audio/files/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.mp3',
      title: 'padding '.repeat(20),
      priority: 10,
    }
    const huge: PlanMessage = {
      v: 1,
      nodeId: a.nodeId,
      version: 'huge-1',
      generatedAt: new Date().toISOString(),
      tz: 'Asia/Shanghai',
      dates: [],
      items: Array.from({ length: 5500 }, (_, i) => ({ ...item, itemId: `x/${i}` })),
    }
    const payload = JSON.stringify(ctl.controller.deps!.signer.sign(huge))
    expect(payload.length).toBeGreaterThan(1_500_000)
    await evil.publishAsync(nodeTopic(a.nodeId, 'plan'), payload, { qos: 1 })
    const refused = await waitFor(
      async () =>
        (await nodesById(ctl))
          .get(a.nodeId)
          ?.degradedReasons.find((r) => r.code === 'refused' && r.params?.channel === 'plan'),
      'plan refusal in node health',
      20_000,
    )
    expect(refused.params).toMatchObject({ id: 'huge-1', reason: 'too-large' })
    expect(String(refused.params?.error)).toContain(`at most ${MAX_PLAN_ITEMS}`)
    expect(a.agent.status().planVersion).not.toBe('huge-1')

    // A forged command: refused and reported too.
    const forged = {
      v: 1,
      id: 'cmd-forged',
      nodeId: a.nodeId,
      kind: 'restart',
      issuedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    }
    await evil.publishAsync(nodeTopic(a.nodeId, 'cmd'), JSON.stringify(forged), { qos: 1 })
    const cmd = await waitFor(
      async () =>
        (await nodesById(ctl))
          .get(a.nodeId)
          ?.degradedReasons.find((r) => r.code === 'refused' && r.params?.channel === 'cmd'),
      'command refusal in node health',
      20_000,
    )
    expect(cmd.params).toMatchObject({ id: 'cmd-forged', reason: 'unsigned' })

    // A restarted controller still shows the refused plan (read back from the stored events).
    await ctl.stop()
    const again = await startController({
      dataDir: ctl.dataDir,
      args: ['--broker-url', broker.url, '--broker-username', 'svc', '--broker-password', 'pw'],
    })
    const still = await waitFor(
      async () =>
        (await nodesById(again))
          .get(a.nodeId)
          ?.degradedReasons.find((r) => r.code === 'refused' && r.params?.channel === 'plan'),
      'plan refusal after a controller restart',
      20_000,
    ).catch(async (err: unknown) => {
      throw new Error(`${err}: ${JSON.stringify((await nodesById(again)).get(a.nodeId))}`)
    })
    expect(still.params).toMatchObject({ id: 'huge-1', reason: 'too-large' })
  })
})
