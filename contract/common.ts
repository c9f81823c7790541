/**
 * @module contract/common
 * Pieces every part of the HTTP contract uses: nullable strings, dates, the error answer.
 */
import { type Static, Type } from 'typebox'

/** A string or null. */
export const NullableString = Type.Union([Type.String(), Type.Null()])

/** A local date 'YYYY-MM-DD'. */
export const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })

/** `:date` as 'YYYY-MM-DD'. */
export const DateParamsSchema = Type.Object({ date: DateString })

/** Every refusal and failure: a stable code (see the errors catalogues) and a message. */
export const ErrorSchema = Type.Object({
  code: Type.String({ description: 'stable error code, e.g. NODE_NOT_FOUND, BAD_REQUEST' }),
  message: Type.String(),
  details: Type.Optional(Type.Unknown()),
})

/** A CSV download (text/csv, UTF-8 with a byte-order mark). */
export const CsvSchema = Type.String({ description: 'text/csv' })

/** File bytes (binary). */
export const BinarySchema = Type.String({ format: 'binary', description: 'file bytes' })

/** An empty answer (204). */
export const NoContentSchema = Type.Null({ description: 'no content' })

/** A refusal or failure. */
export type ApiError = Static<typeof ErrorSchema>
