/**
 * @module passwords
 * Human passwords: scrypt with a per-user random salt (node:crypto), N = 2^15, r = 8, p = 1. The
 * stored form names its parameters, so they can be raised later and old hashes still verify.
 * Node secrets and tokens are 256 random bits and use SHA-256 instead (PRODUCT.md).
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

/** scrypt cost parameters of new hashes. */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, keyLen: 32 } as const

/** Shortest password accepted. */
export const PASSWORD_MIN_LENGTH = 10

/** Longest password accepted (scrypt takes any length; this bounds the work per request). */
export const PASSWORD_MAX_LENGTH = 256

function derive(password: string, salt: Buffer, N: number, r: number, p: number, len: number) {
  return new Promise<Buffer>((resolve, reject) => {
    // maxmem must exceed 128 · N · r bytes (32 MiB for the defaults).
    scrypt(password, salt, len, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    )
  })
}

/** `scrypt$N$r$p$salt$hash` (salt and hash base64url) of a password. */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLen } = SCRYPT_PARAMS
  const salt = randomBytes(16)
  const key = await derive(password, salt, N, r, p, keyLen)
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

/** Whether `password` matches a stored hash; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64url')
  const N = Number(n)
  if (!Number.isInteger(N) || N < 2 || expected.length === 0) return false
  const key = await derive(
    password,
    Buffer.from(salt, 'base64url'),
    N,
    Number(r),
    Number(p),
    expected.length,
  )
  return timingSafeEqual(key, expected)
}

/** A hash of a random password, verified against when a username is unknown (equal timing). */
export function decoyHash(): Promise<string> {
  return hashPassword(randomBytes(16).toString('base64url'))
}

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, username?: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return `a password needs at least ${PASSWORD_MIN_LENGTH} characters`
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return `a password has at most ${PASSWORD_MAX_LENGTH} characters`
  }
  if (username && password.toLowerCase().includes(username.toLowerCase())) {
    return 'a password must not contain the username'
  }
  return null
}

/** A random password for the first admin: 144 bits, base64url (24 characters). */
export function generatePassword(): string {
  for (;;) {
    const pw = randomBytes(18).toString('base64url')
    // Never start with '-': it is pasted after a flag as often as not.
    if (/^[A-Za-z0-9]/.test(pw)) return pw
  }
}
