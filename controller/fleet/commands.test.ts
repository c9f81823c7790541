import { describe, expect, it, onTestFinished } from 'vitest'
import { createEventIngest, INGEST_BATCH_DELAY_MS } from '../ingest/event-ingest.js'
import { createSigner } from '../platform/signer.js'
import { type ServiceFixture, serviceFixture } from '../testing/service-fixture.js'
import { createCommands, EXPIRY_GRACE_MS } from './commands.js'

/** Commands as the controller runs them: acks come back through event ingest and the bus. */
function commandsOn(f: ServiceFixture) {
  const commands = createCommands({
    ...f,
    tz: 'Asia/Shanghai',
    zoneLineage: f.provisioning.zoneLineage,
    sign: createSigner(f.dataDir, f.clock).sign,
  })
  const ingest = createEventIngest({ ...f, tz: 'Asia/Shanghai' })
  commands.start()
  onTestFinished(() => {
    commands.stop()
    ingest.stop()
  })
  return { commands, ingest }
}

describe('commands on a manual clock', () => {
  it('shows an unanswered command expired after its lifetime and the grace', async () => {
    const f = serviceFixture()
    const { commands } = commandsOn(f)
    const id = f.addNode('西海路 3号')
    f.birth(id)
    const changes: string[] = []
    f.bus.on('commandChanged', (c) => changes.push(c.commandId))

    const cmd = commands.toNode(id, { kind: 'ping', ttlSec: 10 })
    await f.clock.advance(0)
    expect(f.published.map((p) => p.topic)).toEqual([`chorus/v1/nodes/${id}/cmd`])
    expect(JSON.parse(f.published[0]?.payload ?? '{}')).toMatchObject({ id: cmd.id, kind: 'ping' })

    await f.clock.advance(10_000 + EXPIRY_GRACE_MS)
    expect(f.repos.commands.get(cmd.id)?.status).toBe('pending') // an ack may still be in flight
    await f.clock.advance(1_000)
    expect(f.repos.commands.get(cmd.id)?.status).toBe('expired')
    expect(changes).toEqual([cmd.id, cmd.id])
  })

  it('shows a command answered in time as done, and never expires it', async () => {
    const f = serviceFixture()
    const { commands, ingest } = commandsOn(f)
    const id = f.addNode('西海路 4号')
    f.birth(id)
    const cmd = commands.toNode(id, { kind: 'setVolume', params: { volume: 40 }, ttlSec: 10 })
    await f.clock.advance(3_000)
    ingest.add(id, [
      {
        type: 'cmd.ack',
        id: 'ev-ack-1',
        at: new Date(f.clock.now()).toISOString(),
        cmdId: cmd.id,
        status: 'ok',
      },
    ])
    expect(f.repos.commands.get(cmd.id)?.status).toBe('pending') // batched: not stored yet
    await f.clock.advance(INGEST_BATCH_DELAY_MS)
    expect(f.repos.commands.get(cmd.id)).toMatchObject({ status: 'ok' })
    await f.clock.advance(60_000)
    expect(f.repos.commands.get(cmd.id)?.status).toBe('ok')
  })
})
