import { describe, expect, it } from 'vitest'
import { secretFrom } from './secret-source.js'

describe('secretFrom', () => {
  it('reads the secret from a file or the environment without a warning', () => {
    const readFile = (f: string) => (f === '/etc/chorus/secret' ? 's3cret-from-file\n' : '')
    expect(secretFrom({ file: '/etc/chorus/secret', readFile })).toEqual({
      secret: 's3cret-from-file',
    })
    expect(secretFrom({ env: 's3cret-from-env' })).toEqual({ secret: 's3cret-from-env' })
    // The file wins over the environment, which wins over the flag.
    expect(secretFrom({ file: '/etc/chorus/secret', env: 'e', readFile }).secret).toBe(
      's3cret-from-file',
    )
    // A --secret given anyway is warned about, even when not used.
    expect(secretFrom({ env: 'e', flag: 'f' })).toMatchObject({ secret: 'e', warning: /ps/ })
  })

  it('warns about --secret on the command line, and refuses an empty or missing file', () => {
    const r = secretFrom({ flag: 'visible-in-ps' })
    expect(r.secret).toBe('visible-in-ps')
    expect(r.warning).toMatch(/visible to every user.*--secret-file/)
    expect(() => secretFrom({ file: '/x', readFile: () => '\n' })).toThrow(/empty/)
    expect(() => secretFrom({ file: '/nonexistent/chorus-secret' })).toThrow(/--secret-file/)
    expect(secretFrom({})).toEqual({ secret: undefined })
  })
})
