import type { ApiClient } from '../api/client'
import type {
  Alert,
  Batch,
  BulkRequest,
  Command,
  CommandRequest,
  DayAvailability,
  EnrollmentIssued,
  FleetSummary,
  ImportResult,
  Incident,
  Node,
  NodePatch,
  NodesPage,
  Play,
  Readiness,
  ReplacedNode,
  RotatedNode,
  Rule,
  SpeakerWarning,
  TelemetrySample,
  Timing,
  Transition,
  WebhookDelivery,
} from './types'

const enc = encodeURIComponent
const node = (id: string, what = '') => `api/nodes/${enc(id)}${what ? `/${what}` : ''}`

/** The fleet's HTTP calls as the fleet pages make them (docs/api.md). */
export function fleetApi(api: ApiClient) {
  return {
    page: (path: string) => api.get<NodesPage>(path),
    summary: () => api.get<FleetSummary>('api/fleet/summary', { quiet: true }),
    node: (id: string) => api.get<Node>(node(id), { quiet: true }),
    edit: (id: string, body: NodePatch) =>
      api.patch<{ node: Node; warnings: SpeakerWarning[] }>(node(id), body, { quiet: true }),
    bulk: (body: BulkRequest) =>
      api.post<{ count: number; batchId: string | null }>('api/nodes/bulk', body),
    importSheet: (csv: string, apply: boolean) =>
      api.post<ImportResult>('api/nodes/import', { csv, apply }),
    exportHref: (lang: string) => api.href(`api/nodes/export?lang=${lang === 'en' ? 'en' : 'zh'}`),

    transitions: (id: string, hours: number) =>
      api.get<Transition[]>(node(id, `transitions?hours=${hours}`)),
    telemetry: (id: string, hours: number) =>
      api.get<TelemetrySample[]>(node(id, `telemetry?hours=${hours}`)),
    availability: (id: string, days: number) =>
      api.get<DayAvailability[]>(node(id, `availability?days=${days}`), { quiet: true }),
    timing: (id: string) => api.get<Timing>(node(id, 'timing'), { quiet: true }),
    plays: (id: string, limit: number) => api.get<Play[]>(node(id, `plays?limit=${limit}`)),
    commands: (id: string) => api.get<Command[]>(node(id, 'commands')),
    send: (id: string, body: CommandRequest) => api.post<Command>(node(id, 'commands'), body),
    sendZone: (zoneId: string, body: CommandRequest) =>
      api.post<Batch>(`api/zones/${enc(zoneId)}/commands`, body),
    batch: (batchId: string) => api.get<Batch>(`api/commands/batches/${enc(batchId)}`),
    readiness: () => api.get<Readiness>('api/readiness', { quiet: true }),

    issueEnrollment: (id: string) => api.post<EnrollmentIssued>(node(id, 'enrollment')),
    replace: (id: string, serial: string) =>
      api.post<ReplacedNode>(node(id, 'replace'), serial ? { serial } : {}),
    rotate: (id: string) => api.post<RotatedNode>(node(id, 'rotate')),
    retire: (id: string) => api.post<Node>(node(id, 'retire')),

    alerts: (state: 'open' | 'all') => api.get<Alert[]>(`api/alerts?state=${state}`),
    ack: (id: string) => api.post<Alert>(`api/alerts/${enc(id)}/ack`),
    resolve: (id: string) => api.post<Alert>(`api/alerts/${enc(id)}/resolve`),
    rules: () => api.get<Rule[]>('api/alert-rules'),
    putRule: (kind: string, body: { enabled: boolean; params: Record<string, number> }) =>
      api.put<Rule>(`api/alert-rules/${enc(kind)}`, body),
    incidents: () => api.get<Incident[]>('api/incidents'),
    deliveries: () => api.get<WebhookDelivery[]>('api/webhook/deliveries', { quiet: true }),
  }
}

export type FleetApi = ReturnType<typeof fleetApi>
