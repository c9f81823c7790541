import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import type { PlanMessage } from '../../../protocol/index.js'
import { migrate } from '../../platform/database.js'
import { preparePlan } from '../plan-encoding.js'
import { createPlansRepository } from './plans-repository.js'

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), '../../platform/migrations')
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const sha = (c: string) => c.repeat(64)

/** A database file as main left it before shared plan bodies (migrations up to 023), 3 nodes. */
function databaseAt23(): Database.Database {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-plans-'))
  dirs.push(dir)
  const db = new Database(join(dir, 'chorus.db'))
  db.pragma('foreign_keys = ON')
  for (const f of readdirSync(MIGRATIONS).sort()) {
    if (/^\d{3}-/.test(f) && Number(f.slice(0, 3)) <= 23) {
      db.exec(readFileSync(join(MIGRATIONS, f), 'utf8'))
    }
  }
  db.pragma('user_version = 23')
  db.prepare("INSERT INTO zones (id, name, created_at) VALUES ('z', '西海路社区', 't')").run()
  for (const id of ['n1', 'n2', 'n3']) {
    db.prepare(`INSERT INTO nodes (id, name, zone_id, secret_hash, created_at)
      VALUES (?, ?, 'z', 'h', 't')`).run(id, id)
  }
  return db
}

function plan(nodeId: string, title = '新闻'): PlanMessage {
  return {
    v: 1,
    nodeId,
    version: title === '新闻' ? '9c1e44a0b2d3f7e1' : '0a1b2c3d4e5f6071',
    generatedAt: '2026-12-07T09:00:00+08:00',
    tz: 'Asia/Shanghai',
    dates: ['2026-12-07'],
    items: [
      {
        itemId: '2026-12-07/a',
        startAt: '2026-12-07T08:00:00+08:00',
        audioId: 'a1',
        sha256: sha('a'),
        sizeBytes: 1000,
        durationMs: 2000,
        url: `/api/audio/files/${sha('a')}`,
        title,
        priority: 1,
      },
    ],
  }
}

const bodyRows = (db: Database.Database) =>
  (db.prepare('SELECT count(*) AS n FROM plan_bodies').get() as { n: number }).n

describe('plans repository: one body per group (migration 024)', () => {
  it('keeps the plans stored before, each node still reading its own whole plan', () => {
    const db = databaseAt23()
    const insert = db.prepare(`INSERT INTO node_plans (node_id, version, body_json, generated_at)
      VALUES (?, ?, ?, ?)`)
    for (const id of ['n1', 'n2']) {
      insert.run(id, plan(id).version, JSON.stringify(plan(id)), plan(id).generatedAt)
    }
    expect(migrate(db)).toBeGreaterThanOrEqual(24)
    const plans = createPlansRepository(db)
    for (const id of ['n1', 'n2']) {
      const stored = plans.get(id)
      expect(JSON.parse(stored?.body ?? 'null')).toEqual(plan(id))
      expect(plans.head(id)).toMatchObject({ version: plan(id).version })
      expect(plans.planned(id, sha('a'), Date.parse('2026-12-07T01:00:00Z'))).toBe(true)
    }
    expect(plans.get('n3')).toBeNull()
    expect(plans.versions()).toEqual(
      new Map([
        ['n1', plan('n1').version],
        ['n2', plan('n2').version],
      ]),
    )
    // The next change replaces the per-node bodies carried over with one shared body.
    const next = preparePlan(plan('n1', '通知'))
    plans.putMany(
      ['n1', 'n2'].map((nodeId) => ({
        nodeId,
        version: next.version,
        body: next.body,
        generatedAt: next.generatedAt,
      })),
    )
    expect(bodyRows(db)).toBe(1)
    expect(JSON.parse(plans.get('n2')?.body ?? 'null')).toEqual(plan('n2', '通知'))
    db.close()
  })

  it('stores a plan shared by a group once; each node reads it with its own nodeId', () => {
    const db = databaseAt23()
    migrate(db)
    const plans = createPlansRepository(db)
    const store = (ids: string[], p: ReturnType<typeof preparePlan>) =>
      plans.putMany(
        ids.map((nodeId) => ({
          nodeId,
          version: p.version,
          body: p.body,
          generatedAt: p.generatedAt,
          audio: p.audio,
        })),
      )
    const first = preparePlan(plan('n1'))
    store(['n1', 'n2', 'n3'], first)
    expect(bodyRows(db)).toBe(1)
    for (const id of ['n1', 'n2', 'n3']) {
      expect(JSON.parse(plans.get(id)?.body ?? 'null')).toEqual(plan(id))
      expect(plans.head(id)?.bodyHash).toBe(first.body.hash)
    }
    // Part of the group moves on: both bodies are held; once none names the first, it goes.
    const second = preparePlan(plan('n1', '通知'))
    store(['n1'], second)
    expect(bodyRows(db)).toBe(2)
    store(['n2', 'n3'], second)
    expect(bodyRows(db)).toBe(1)
    expect(plans.body(first.body.hash)).toBeNull()
    expect(JSON.parse(plans.get('n3')?.body ?? 'null')).toEqual(plan('n3', '通知'))
    db.close()
  })
})
