import { describe, expect, it } from 'vitest'
import {
  generatePassword,
  hashPassword,
  passwordProblem,
  SCRYPT_PARAMS,
  verifyPassword,
} from './passwords.js'

describe('passwords', () => {
  it('hashes with scrypt, a per-user salt and N ≥ 2^15, and verifies', async () => {
    const a = await hashPassword('correct horse battery')
    const b = await hashPassword('correct horse battery')
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/)
    expect(SCRYPT_PARAMS.N).toBeGreaterThanOrEqual(2 ** 15)
    expect(a).not.toBe(b)
    expect(a).not.toContain('correct')
    expect(await verifyPassword('correct horse battery', a)).toBe(true)
    expect(await verifyPassword('correct horse batterY', a)).toBe(false)
  })

  it('refuses a malformed stored hash instead of throwing', async () => {
    expect(await verifyPassword('x', 'plain')).toBe(false)
    expect(await verifyPassword('x', 'scrypt$abc$8$1$$')).toBe(false)
  })

  it('states why a password is too weak', () => {
    expect(passwordProblem('short')).toMatch(/at least 10/)
    expect(passwordProblem('x'.repeat(257))).toMatch(/at most 256/)
    expect(passwordProblem('li-wei-secret-1', 'li-wei')).toMatch(/username/)
    expect(passwordProblem('a long enough one')).toBeNull()
  })

  it('generates 24-character passwords that do not look like flags', () => {
    for (let i = 0; i < 50; i++) {
      const pw = generatePassword()
      expect(pw).toHaveLength(24)
      expect(pw).toMatch(/^[A-Za-z0-9]/)
      expect(passwordProblem(pw)).toBeNull()
    }
  })
})
