// The fleet pages' request and response types, from the server's route schemas (`contract/`).
import type { Static } from 'typebox'
import type {
  BulkNodesSchema,
  CommandBodySchema,
  ImportNodesResultSchema,
  NodesPageSchema,
  PatchNodeSchema,
  SpeakerWarningSchema,
} from '../../../../../contract/index.js'

export type {
  Alert,
  Batch,
  Command,
  DeviationReport,
  EnrollmentIssued,
  FleetSummary,
  Incident,
  Node,
  NodeState,
  Play,
  Readiness,
  ReplacedNode,
  RotatedNode,
  Rule,
  TelemetrySample,
  Timing,
  Transition,
  WebhookDelivery,
  Zone,
} from '../../../../../contract/index.js'

/** A page of GET /api/nodes. */
export type NodesPage = Static<typeof NodesPageSchema>
/** Body of PATCH /api/nodes/:id. */
export type NodePatch = Static<typeof PatchNodeSchema>
/** A warning that did not stop an edit (a duplicate name in the zone). */
export type SpeakerWarning = Static<typeof SpeakerWarningSchema>
/** Body of POST /api/nodes/bulk. */
export type BulkRequest = Static<typeof BulkNodesSchema>
/** Answer of POST /api/nodes/import. */
export type ImportResult = Static<typeof ImportNodesResultSchema>
/** Body of a command to a node or a zone. */
export type CommandRequest = Static<typeof CommandBodySchema>
/** One day's share of time online. */
export interface DayAvailability {
  date: string
  onlinePct: number
}
