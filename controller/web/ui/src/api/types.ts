// The request and response types of the calls the UI makes, from the server's own route schemas
// (`contract/`, the same TypeBox schemas fastify validates with). `contract/` is pure, so the UI
// may import its values too (ROLES); nothing of the server itself enters the bundle.
import type { Static } from 'typebox'
import type {
  AuditQuerySchema,
  CreateTokenSchema,
  CreateUserSchema,
  PatchUserSchema,
} from '../../../../../contract/index.js'

export type {
  AuditEntry,
  CreatedToken,
  Me,
  Role,
  Token as ApiToken,
  User,
  Zone,
} from '../../../../../contract/index.js'

/** Every role (in the order the forms list them) and every audit action (the audit page's filter). */
export { AUDIT_ACTIONS, ROLES } from '../../../../../contract/index.js'

/** Body of POST /api/users. */
export type UserRequest = Static<typeof CreateUserSchema>
/** Body of PATCH /api/users/:id. */
export type UserPatch = Static<typeof PatchUserSchema>
/** Body of POST /api/tokens. */
export type TokenRequest = Static<typeof CreateTokenSchema>
/** Filters of GET /api/audit (the CSV link adds `format`). */
export type AuditQuery = Omit<Static<typeof AuditQuerySchema>, 'format'>
