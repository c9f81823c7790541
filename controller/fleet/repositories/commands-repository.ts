import type { Db } from '../../platform/index.js'

/** A command sent to a node and what became of it. */
export interface CommandRecord {
  id: string
  batchId: string | null
  nodeId: string
  kind: string
  params: Record<string, unknown> | null
  issuedAt: string
  expiresAt: string
  status: 'pending' | 'ok' | 'error' | 'expired'
  ackedAt: string | null
  error: string | null
  result: Record<string, unknown> | null
}

type Row = Record<string, string | null>

const toCommand = (r: Row): CommandRecord => ({
  id: r.id as string,
  batchId: r.batch_id ?? null,
  nodeId: r.node_id as string,
  kind: r.kind as string,
  params: r.params_json ? (JSON.parse(r.params_json) as Record<string, unknown>) : null,
  issuedAt: r.issued_at as string,
  expiresAt: r.expires_at as string,
  status: r.status as CommandRecord['status'],
  ackedAt: r.acked_at ?? null,
  error: r.error ?? null,
  result: r.result_json ? (JSON.parse(r.result_json) as Record<string, unknown>) : null,
})

/** Commands and their acknowledgements. */
export function createCommandsRepository(db: Db) {
  const insert = db.prepare(`INSERT INTO commands (id, batch_id, node_id, kind, params_json,
    issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
  const insertMany = db.transaction((cs: CommandRecord[]) => {
    for (const c of cs) {
      insert.run(
        c.id,
        c.batchId,
        c.nodeId,
        c.kind,
        c.params ? JSON.stringify(c.params) : null,
        c.issuedAt,
        c.expiresAt,
      )
    }
  })
  const byId = db.prepare<[string], Row>('SELECT * FROM commands WHERE id = ?')
  const byNode = db.prepare<[string, number], Row>(
    'SELECT * FROM commands WHERE node_id = ? ORDER BY issued_at DESC LIMIT ?',
  )
  const byBatch = db.prepare<[string], Row>(
    'SELECT * FROM commands WHERE batch_id = ? ORDER BY node_id',
  )
  const ack = db.prepare(`UPDATE commands SET status = ?, acked_at = ?, error = ?, result_json = ?
    WHERE id = ? AND node_id = ? AND status = 'pending'`)
  const expire = db.prepare<[string], Row>(`UPDATE commands SET status = 'expired'
    WHERE status = 'pending' AND expires_at < ? RETURNING *`)
  return {
    insertMany: (cs: CommandRecord[]): void => {
      insertMany(cs)
    },
    get: (id: string): CommandRecord | null => {
      const r = byId.get(id)
      return r ? toCommand(r) : null
    },
    forNode: (nodeId: string, limit = 50): CommandRecord[] =>
      byNode.all(nodeId, limit).map(toCommand),
    batch: (batchId: string): CommandRecord[] => byBatch.all(batchId).map(toCommand),
    /** Records an acknowledgement of a pending command; false when it was not pending. */
    ack(a: {
      id: string
      nodeId: string
      status: string
      at: string
      error: string | null
      result: unknown
    }) {
      const r = ack.run(
        a.status,
        a.at,
        a.error,
        a.result ? JSON.stringify(a.result) : null,
        a.id,
        a.nodeId,
      )
      return r.changes === 1
    },
    /** Marks pending commands past their expiry as expired and returns them. */
    expireBefore: (at: string): CommandRecord[] => expire.all(at).map(toCommand),
  }
}

/** The commands repository. */
export type CommandsRepository = ReturnType<typeof createCommandsRepository>
