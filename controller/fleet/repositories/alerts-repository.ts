import type { Db } from '../../platform/index.js'

/** An alert: opened by a rule, acknowledged and resolved by a person or by itself. */
export interface AlertRecord {
  id: string
  kind: string
  subject: string
  severity: 'info' | 'warning' | 'critical'
  nodeId: string | null
  zoneId: string | null
  incidentId: string | null
  message: string
  params: Record<string, unknown>
  openedAt: string
  ackedAt: string | null
  resolvedAt: string | null
  resolution: 'auto' | 'manual' | null
}

/** Many nodes dropping at once, reported as one. */
export interface IncidentRecord {
  id: string
  startedAt: string
  endedAt: string | null
  cause: string
  zoneId: string | null
  nodeIds: string[]
}

type Row = Record<string, string | number | null>

const toAlert = (r: Row): AlertRecord => ({
  id: r.id as string,
  kind: r.kind as string,
  subject: r.subject as string,
  severity: r.severity as AlertRecord['severity'],
  nodeId: r.node_id as string | null,
  zoneId: r.zone_id as string | null,
  incidentId: r.incident_id as string | null,
  message: r.message as string,
  params: r.params_json ? (JSON.parse(r.params_json as string) as Record<string, unknown>) : {},
  openedAt: r.opened_at as string,
  ackedAt: r.acked_at as string | null,
  resolvedAt: r.resolved_at as string | null,
  resolution: r.resolution as AlertRecord['resolution'],
})

const toIncident = (r: Row): IncidentRecord => ({
  id: r.id as string,
  startedAt: r.started_at as string,
  endedAt: r.ended_at as string | null,
  cause: r.cause as string,
  zoneId: r.zone_id as string | null,
  nodeIds: JSON.parse(r.node_ids_json as string) as string[],
})

/** Alerts, alert rules, incidents and webhook deliveries. */
export function createAlertsRepository(db: Db) {
  const insert = db.prepare(`INSERT INTO alerts (id, kind, subject, severity, node_id, zone_id,
    incident_id, message, params_json, opened_at) VALUES (@id, @kind, @subject, @severity,
    @nodeId, @zoneId, @incidentId, @message, @params, @openedAt)`)
  const open = db.prepare<[], Row>(
    'SELECT * FROM alerts WHERE resolved_at IS NULL ORDER BY opened_at',
  )
  const recent = db.prepare<[number], Row>('SELECT * FROM alerts ORDER BY opened_at DESC LIMIT ?')
  const byId = db.prepare<[string], Row>('SELECT * FROM alerts WHERE id = ?')
  const ack = db.prepare('UPDATE alerts SET acked_at = ? WHERE id = ? AND acked_at IS NULL')
  const resolve = db.prepare(`UPDATE alerts SET resolved_at = ?, resolution = ? WHERE id = ?
    AND resolved_at IS NULL`)
  const rules = db.prepare<[], Row>('SELECT * FROM alert_rules ORDER BY kind')
  const putRule = db.prepare(`INSERT INTO alert_rules (kind, enabled, params_json) VALUES (?, ?, ?)
    ON CONFLICT (kind) DO UPDATE SET enabled = excluded.enabled, params_json = excluded.params_json`)
  const seedRule = db.prepare(
    'INSERT OR IGNORE INTO alert_rules (kind, enabled, params_json) VALUES (?, 1, ?)',
  )
  const insertIncident = db.prepare(`INSERT INTO incidents (id, started_at, cause, zone_id,
    node_ids_json, node_count) VALUES (?, ?, ?, ?, ?, ?)`)
  const endIncident = db.prepare(
    'UPDATE incidents SET ended_at = ? WHERE id = ? AND ended_at IS NULL',
  )
  const incidents = db.prepare<[number], Row>(
    'SELECT * FROM incidents ORDER BY started_at DESC LIMIT ?',
  )
  const openIncidents = db.prepare<[], Row>('SELECT * FROM incidents WHERE ended_at IS NULL')
  const delivery = db.prepare(`INSERT INTO webhook_deliveries (alert_id, event, url, attempt, at,
    status_code, error, delivered) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
  const deliveries = db.prepare<[number], Row>(
    'SELECT * FROM webhook_deliveries ORDER BY id DESC LIMIT ?',
  )
  const one = (r: Row | undefined) => (r ? toAlert(r) : null)
  return {
    insert(a: AlertRecord): void {
      insert.run({ ...a, params: JSON.stringify(a.params) })
    },
    open: (): AlertRecord[] => open.all().map(toAlert),
    recent: (limit = 200): AlertRecord[] => recent.all(limit).map(toAlert),
    get: (id: string) => one(byId.get(id)),
    ack: (id: string, at: string): boolean => ack.run(at, id).changes === 1,
    resolve: (id: string, at: string, how: 'auto' | 'manual'): boolean =>
      resolve.run(at, how, id).changes === 1,
    rules: () =>
      rules.all().map((r) => ({
        kind: r.kind as string,
        enabled: r.enabled === 1,
        params: JSON.parse(r.params_json as string) as Record<string, number>,
      })),
    putRule: (kind: string, enabled: boolean, params: Record<string, number>): void => {
      putRule.run(kind, enabled ? 1 : 0, JSON.stringify(params))
    },
    seedRule: (kind: string, params: Record<string, number>): void => {
      seedRule.run(kind, JSON.stringify(params))
    },
    insertIncident(i: IncidentRecord): void {
      insertIncident.run(
        i.id,
        i.startedAt,
        i.cause,
        i.zoneId,
        JSON.stringify(i.nodeIds),
        i.nodeIds.length,
      )
    },
    endIncident: (id: string, at: string): boolean => endIncident.run(at, id).changes === 1,
    incidents: (limit = 100): IncidentRecord[] => incidents.all(limit).map(toIncident),
    openIncidents: (): IncidentRecord[] => openIncidents.all().map(toIncident),
    recordDelivery(d: {
      alertId: string
      event: string
      url: string
      attempt: number
      at: string
      statusCode: number | null
      error: string | null
      delivered: boolean
    }): void {
      delivery.run(
        d.alertId,
        d.event,
        d.url,
        d.attempt,
        d.at,
        d.statusCode,
        d.error,
        d.delivered ? 1 : 0,
      )
    },
    deliveries: (limit = 200) =>
      deliveries.all(limit).map((r) => ({
        alertId: r.alert_id as string,
        event: r.event as string,
        url: r.url as string,
        attempt: r.attempt as number,
        at: r.at as string,
        statusCode: r.status_code as number | null,
        error: r.error as string | null,
        delivered: r.delivered === 1,
      })),
  }
}

/** The alerts repository. */
export type AlertsRepository = ReturnType<typeof createAlertsRepository>
