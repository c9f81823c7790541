import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import type { FastifyRequest } from 'fastify'
import { ChorusError } from '../../../errors.js'
import type { AudioLibrary, Upload } from '../../audio-library.js'

const TITLE_MAX = 200

/** Fields that once named an author in free text: the author is now whoever is logged in. */
const AUTHOR_FIELDS = ['uploadedBy', 'createdBy']

/** The author of what a request creates: the logged-in user (or the API token's owner). */
export function authorOf(req: FastifyRequest): string | null {
  const p = req.principal
  return p?.kind === 'user' ? p.username : null
}

/** The fields of a multipart upload other than the file, as strings (trimmed, bounded). */
export type UploadFields = Record<string, string>

/**
 * Streams a multipart upload's `file` part to the library's scratch folder and collects the
 * other fields. Refuses a missing or oversized file; the scratch file is removed on failure.
 */
export async function receiveUpload(
  req: FastifyRequest,
  audio: AudioLibrary,
  maxUploadMb: number,
): Promise<{ upload: Upload; fields: UploadFields }> {
  if (!req.isMultipart()) {
    throw new ChorusError('AUDIO_MISSING_FILE', 'send multipart/form-data with a "file" field')
  }
  let file: string | null = null
  let originalName: string | null = null
  const fields: UploadFields = {}
  const tooLarge = () =>
    new ChorusError('AUDIO_TOO_LARGE', `the file is larger than ${maxUploadMb} MB`)
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || file) {
          part.file.resume()
          continue
        }
        file = audio.scratchPath()
        originalName = part.filename ? part.filename.slice(0, 255) : null
        await pipeline(part.file, createWriteStream(file, { mode: 0o600 }))
        if (part.file.truncated) throw tooLarge()
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value.trim().slice(0, TITLE_MAX)
      }
    }
  } catch (err) {
    if (file) await rm(file, { force: true })
    if (err instanceof ChorusError) throw err
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge()
    throw new ChorusError('BAD_REQUEST', `upload failed: ${(err as Error).message}`)
  }
  if (!file) throw new ChorusError('AUDIO_MISSING_FILE', 'no "file" field in the upload')
  const named = AUTHOR_FIELDS.find((f) => f in fields)
  if (named) {
    await rm(file, { force: true })
    throw new ChorusError(
      'BAD_REQUEST',
      `"${named}" is not accepted: the logged-in user is recorded as the author`,
    )
  }
  const fallback = originalName ? originalName.replace(/\.[^.]+$/, '') : 'untitled'
  return {
    upload: {
      file,
      originalName,
      title: fields.title || fallback,
      columnId: fields.column || fields.columnId || null,
      uploadedBy: authorOf(req),
    },
    fields,
  }
}
