import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it, onTestFinished } from 'vitest'
import type { CommandAckEvent } from '../../speaker-agent/events.js'
import { startAgent } from '../helpers/agent.js'
import { ROOT } from '../helpers/agent-process.js'
import { makeTone } from '../helpers/audio.js'
import { createUser } from '../helpers/auth.js'
import { startController, type TestController } from '../helpers/controller.js'
import { waitFor } from '../helpers/mqtt.js'
import { rawNode } from '../helpers/node-client.js'
import { freePorts, waitForPresence } from '../helpers/presence.js'
import { tmpDir } from '../helpers/tmp-dir.js'

/** Runs `npm run <script> -- <args>`; resolves with its exit code and output. */
async function npmRun(script: string, args: string[]) {
  const child = spawn('npm', ['run', '-s', script, '--', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString()
  })
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString()
  })
  const [code] = (await once(child, 'exit')) as [number]
  return { code, out }
}

/** Rows in a table of a controller's SQLite file (read-only, beside the running controller). */
function rows(dataDir: string, table: string): number {
  const db = new Database(join(dataDir, 'chorus.db'), { readonly: true })
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
  } finally {
    db.close()
  }
}

async function ids(ctl: TestController, path: string): Promise<string[]> {
  const r = await ctl.api<{ id: string }[]>('GET', path)
  return r.body.map((x) => x.id).sort()
}

describe('fault: backup while running, restore, start', () => {
  it('restores nodes, users, plays and audio, and the restored controller signs what agents accept', async () => {
    const [httpPort, mqttPort] = await freePorts(2)
    // The reporter below writes as fast as it can: above a node's normal message allowance.
    const args = [
      '--http-port',
      String(httpPort),
      '--mqtt-port',
      String(mqttPort),
      '--node-max-messages-per-min',
      '1000000',
    ]
    const dataA = tmpDir('chorus-live-')
    const a = await startController({ dataDir: dataA, args })
    const audio = await a.upload(await makeTone(tmpDir(), 'tone', 1), '备份测试')
    await createUser(a, {
      username: 'operator',
      password: 'restore-me-2026-ok',
      roles: ['scheduler'],
    })
    const agent = await startAgent(a, { sink: 'null' })
    await waitForPresence(a, [agent.nodeId], true)

    // A node reporting plays the whole time: the controller keeps writing during the backup.
    const reporter = await rawNode(a, 'reporter')
    let sent = 0
    let writing = true
    const report = async () => {
      const at = new Date().toISOString()
      const body = { itemId: `d/${sent}`, audioId: audio.id, scheduledAt: at }
      const events = [
        { id: `e-${sent}`, at, type: 'play.started', ...body, deviationMs: 2 },
        {
          id: `f-${sent}`,
          at,
          type: 'play.finished',
          ...body,
          startedAt: at,
          endedAt: at,
          playedMs: 1000,
          sha256: audio.sha256,
          volume: 80,
          rmsDb: -20,
          peakDb: -3,
        },
      ]
      sent++
      await reporter.events(events)
    }
    for (let i = 0; i < 20; i++) await report()
    await waitFor(() => rows(dataA, 'events') >= 40, 'the first plays stored')
    const before = {
      nodes: await ids(a, '/api/nodes'),
      users: await ids(a, '/api/users'),
      events: rows(dataA, 'events'),
    }
    const writer = (async () => {
      while (writing) await report()
    })()

    const out = tmpDir('chorus-backups-')
    const backup = await npmRun('backup', ['--data-dir', dataA, '--out', out])
    writing = false
    await writer
    expect(backup.code, backup.out).toBe(0)
    const [name] = readdirSync(out)
    expect(name).toMatch(/^chorus-backup-\d{8}T\d{6}Z$/)
    const dir = join(out, name!)
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    expect(statSync(join(dir, 'chorus.db')).mode & 0o777).toBe(0o600)
    for (const f of ['keys/controller-ed25519.pem', 'keys/controller-seq.json', 'manifest.json']) {
      expect(existsSync(join(dir, f)), f).toBe(true)
    }
    expect(existsSync(join(dir, 'audio', `${audio.sha256}.mp3`))).toBe(true)
    expect(sent).toBeGreaterThan(20)

    // Restoring over the running controller's data is refused and changes nothing.
    const refused = await npmRun('restore', [dir, '--data-dir', dataA, '--force'])
    expect(refused.code).toBe(3)
    expect(refused.out).toMatch(/a controller is running/)
    expect(readdirSync(dataA)).toContain('chorus.db')
    const notBackup = await npmRun('restore', [dataA, '--data-dir', join(tmpDir(), 'x')])
    expect(notBackup.code).toBe(2)
    expect(notBackup.out).toMatch(/not a Chorus backup/)

    const dataB = join(tmpDir('chorus-restored-'), 'data')
    const restored = await npmRun('restore', [dir, '--data-dir', dataB])
    expect(restored.code, restored.out).toBe(0)
    await a.stop()
    // Stopped: still no overwrite without --force; with it, the old data is moved aside, not lost.
    const occupied = await npmRun('restore', [dir, '--data-dir', dataA])
    expect(occupied.code).toBe(3)
    expect(occupied.out).toMatch(/holds data already/)
    const forced = await npmRun('restore', [dir, '--data-dir', dataA, '--force'])
    expect(forced.code, forced.out).toBe(0)
    const aside = /the previous data is in (\S+)/.exec(forced.out)?.[1]
    expect(aside && existsSync(join(aside, 'chorus.db'))).toBe(true)
    onTestFinished(() => rmSync(aside!, { recursive: true, force: true }))

    // The restored controller, on the same addresses: same nodes, users, plays and audio.
    const b = await startController({ dataDir: dataB, args })
    expect(await ids(b, '/api/nodes')).toEqual(before.nodes)
    expect(await ids(b, '/api/users')).toEqual(before.users)
    expect(rows(dataB, 'events')).toBeGreaterThanOrEqual(before.events)
    const file = await fetch(`${b.url}/api/audio/files/${audio.sha256}`, { headers: b.headers })
    expect(file.status).toBe(200)
    const login = await fetch(`${b.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'operator', password: 'restore-me-2026-ok' }),
    })
    expect(login.status).toBe(200)

    // The agent enrolled with the original controller takes the restored one's commands and plan.
    await waitFor(() => agent.agent.status().connected, 'agent back', 60_000)
    const refusals: string[] = []
    agent.agent.events.on('refused', (c: string, r: string) => refusals.push(`${c}:${r}`))
    const replanned = once(agent.agent.events, 'planApplied')
    const acked = once(agent.agent.events, 'ack') as Promise<[CommandAckEvent]>
    const cmd = await b.api('POST', `/api/nodes/${agent.nodeId}/commands`, { kind: 'resync' })
    expect(cmd.status).toBe(201)
    const [ack] = await acked
    expect(ack.status).toBe('ok')
    await replanned
    expect(refusals).toEqual([])
  }, 120_000)
})
