/**
 * @module secret-source
 * Where the agent's node secret comes from. A value on the command line is visible to every
 * user of the machine (`ps`, `/proc/<pid>/cmdline`), so the secret is read from a file
 * (`--secret-file`, or `--config`, or `credentials.json` after enrollment) or from the
 * environment (`CHORUS_NODE_SECRET`); `--secret` still works but is warned about.
 */
import { readFileSync } from 'node:fs'
import { AGENT_CONFIG, AgentError } from './errors.js'

/** Where a secret was found, and what to warn about. */
export interface SecretSource {
  secret: string | undefined
  /** Set when the secret (or an enrollment token) came from the command line. */
  warning?: string
}

/** The warning for a credential given as a command-line argument. */
export function commandLineWarning(what: string, instead: string): string {
  return `${what} on the command line is visible to every user of this machine (ps); ${instead}`
}

/**
 * The node secret from `--secret-file FILE` (its first line), else `CHORUS_NODE_SECRET`, else
 * `--secret` (with a warning); undefined when none is given (the config file or stored
 * credentials may hold it).
 */
export function secretFrom(given: {
  flag?: string | undefined
  file?: string | undefined
  env?: string | undefined
  readFile?: (file: string) => string
}): SecretSource {
  // Once on the command line, the secret is exposed whether or not it is used.
  const warning =
    given.flag === undefined
      ? {}
      : { warning: commandLineWarning('--secret', 'use --secret-file FILE or CHORUS_NODE_SECRET') }
  if (given.file !== undefined) {
    let text: string
    try {
      text = (given.readFile ?? ((f) => readFileSync(f, 'utf8')))(given.file)
    } catch (err) {
      throw new AgentError(AGENT_CONFIG, `--secret-file ${given.file}: ${(err as Error).message}`)
    }
    const secret = text.split(/\r?\n/)[0]?.trim() ?? ''
    if (secret === '') throw new AgentError(AGENT_CONFIG, `--secret-file ${given.file} is empty`)
    return { secret, ...warning }
  }
  if (given.env !== undefined && given.env !== '') return { secret: given.env, ...warning }
  return { secret: given.flag, ...warning }
}
