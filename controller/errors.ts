/** Controller error codes; a code is never reused for another meaning. */
export const ERROR_CODES = {
  NODE_NOT_FOUND: 404,
  ZONE_NOT_FOUND: 404,
  ZONE_AMBIGUOUS: 409,
  AUDIO_NOT_FOUND: 404,
  AUDIO_INVALID: 422,
  AUDIO_TOO_LARGE: 413,
  AUDIO_MISSING_FILE: 400,
  DAY_INVALID: 422,
  DAY_NOT_FOUND: 404,
  BAD_REQUEST: 400,
  ALERT_NOT_FOUND: 404,
  COMMAND_INVALID: 422,
  NODE_RETIRED: 409,
  ENROLLMENT_USED: 401,
  ENROLLMENT_EXPIRED: 401,
  ENROLLMENT_INVALID: 401,
  AUDIO_IN_USE: 409,
  COLUMN_NOT_FOUND: 404,
  COLUMN_INVALID: 422,
  COLUMN_IN_USE: 409,
  TEMPLATE_INVALID: 422,
  ANNOUNCEMENT_NOT_FOUND: 404,
  ANNOUNCEMENT_INVALID: 422,
  ANNOUNCEMENT_CLOSED: 409,
  // People and access (issue 5)
  AUTH_REQUIRED: 401,
  AUTH_INVALID: 401,
  LOGIN_FAILED: 401,
  LOGIN_LOCKED: 429,
  FORBIDDEN: 403,
  CSRF_INVALID: 403,
  OUT_OF_SCOPE: 403,
  ACCESS_UNDECLARED: 403,
  USER_NOT_FOUND: 404,
  USER_EXISTS: 409,
  USER_INVALID: 422,
  PASSWORD_WEAK: 422,
  LAST_ADMIN: 409,
  TOKEN_NOT_FOUND: 404,
  TOKEN_INVALID: 422,
  RATE_LIMITED: 429,
  // EMQX asking the controller (issue 9)
  HOOK_SECRET_REQUIRED: 401,
  HOOK_SECRET_INVALID: 403,
  // Restarts, clock steps, backup (issue 10)
  SIGNER_STATE_INVALID: 500,
  RESTORE_REFUSED: 409,
  // Official holidays imported by the office (issue 11)
  HOLIDAYS_INVALID: 422,
  HOLIDAYS_NOT_FOUND: 404,
  // The zones page (issue 11)
  ZONE_INVALID: 422,
  ZONE_EXISTS: 409,
  ZONE_IN_USE: 409,
  SERIAL_TAKEN: 409,
  MAP_NOT_CONFIGURED: 404,
  // Live voice and relay (issue 13)
  LIVE_INVALID: 422,
  LIVE_BUSY: 409,
  LIVE_NOT_FOUND: 404,
  LIVE_ENDED: 410,
} as const

/** One controller error code. */
export type ErrorCode = keyof typeof ERROR_CODES

/** A domain error with a stable code and the HTTP status it maps to. */
export class ChorusError extends Error {
  readonly code: ErrorCode
  readonly statusCode: number
  readonly details?: unknown
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ChorusError'
    this.code = code
    this.statusCode = ERROR_CODES[code]
    this.details = options?.details
  }
}
