import type { PlayFailureReason } from '../protocol/index.js'

/** Error codes of the speaker agent; stable strings, never reused (STYLE rule 17). */
export const AGENT_ERROR_CODES = [
  'AGENT_CHECKSUM',
  'AGENT_DOWNLOAD',
  'AGENT_DECODE',
  'AGENT_LATE',
  'AGENT_SINK',
  'AGENT_CONFIG',
  'AGENT_ENROLL',
] as const

/** One agent error code. */
export type AgentErrorCode = (typeof AGENT_ERROR_CODES)[number]

/** Downloaded audio does not match the plan's sha256 or size. */
export const AGENT_CHECKSUM = 'AGENT_CHECKSUM' satisfies AgentErrorCode
/** Audio could not be fetched from the controller (HTTP or network failure). */
export const AGENT_DOWNLOAD = 'AGENT_DOWNLOAD' satisfies AgentErrorCode
/** ffmpeg could not decode the audio file. */
export const AGENT_DECODE = 'AGENT_DECODE' satisfies AgentErrorCode
/** An item could not start within the late tolerance. */
export const AGENT_LATE = 'AGENT_LATE' satisfies AgentErrorCode
/** The audio output failed while playing. */
export const AGENT_SINK = 'AGENT_SINK' satisfies AgentErrorCode
/** The node configuration is invalid. */
export const AGENT_CONFIG = 'AGENT_CONFIG' satisfies AgentErrorCode
/** Enrollment failed: a bad bundle, or the controller refused the token or was unreachable. */
export const AGENT_ENROLL = 'AGENT_ENROLL' satisfies AgentErrorCode

/** Failure reason reported in `play.failed` for each code that can fail a play. */
export const FAILURE_REASON_BY_CODE = {
  AGENT_CHECKSUM: 'checksum',
  AGENT_DOWNLOAD: 'download',
  AGENT_DECODE: 'decode',
  AGENT_LATE: 'late',
  AGENT_SINK: 'sink',
} as const satisfies Partial<Record<AgentErrorCode, PlayFailureReason>>

/** An agent failure with a stable code; the original error goes in `cause`. */
export class AgentError extends Error {
  /** Stable code from the catalogue above. */
  readonly code: AgentErrorCode

  constructor(code: AgentErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'AgentError'
    this.code = code
  }
}

/** True when `err` is an AgentError, optionally with the given code. */
export function isAgentError(err: unknown, code?: AgentErrorCode): err is AgentError {
  return err instanceof AgentError && (code === undefined || err.code === code)
}

/** The `play.failed` reason for an error thrown while fetching or playing an item. */
export function failureReasonOf(err: unknown, fallback: PlayFailureReason): PlayFailureReason {
  if (err instanceof AgentError && err.code in FAILURE_REASON_BY_CODE) {
    return FAILURE_REASON_BY_CODE[err.code as keyof typeof FAILURE_REASON_BY_CODE]
  }
  return fallback
}

/** A short, single-line message for an error, safe to put in an event (≤ 1000 chars). */
export function errorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err)
  return text.replace(/\s+/g, ' ').slice(0, 1000)
}
