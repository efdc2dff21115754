import { createHash, timingSafeEqual } from 'node:crypto'
import { DEFAULT_SCRYPT, verifyPassword, type HashedCredential } from './password-hash.ts'

/** Users that may call the REST API: plain passwords from a JAAS PropertyFileLoginModule file, scrypt hashes from ours. */
export interface BasicAuthUsers {
  readonly plain: ReadonlyMap<string, string>
  readonly hashed: ReadonlyMap<string, HashedCredential>
}

/** `Authorization: Basic base64(user:password)`, read as Kafka Connect's JaasBasicAuthFilter reads it; null otherwise. */
export const basicCredentialsOf = (header: string | undefined): { readonly user: string; readonly password: string } | null => {
  if (header === undefined) return null
  const space = header.indexOf(' ')
  if (space <= 0 || header.slice(0, space).toLowerCase() !== 'basic') return null
  const decoded = Buffer.from(header.slice(space + 1).trim(), 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon <= 0) return null
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest()

/** Equal-length digests compared in constant time: how long it takes says nothing about how much matched. */
const sameText = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b))

/** Stands in for a user that does not exist, so that an unknown name costs as long as a wrong password. */
const DECOY: HashedCredential = {
  user: '',
  ...DEFAULT_SCRYPT,
  salt: Buffer.alloc(16),
  hash: Buffer.alloc(32),
}

const VERIFIED_TTL_MS = 5 * 60_000
const VERIFIED_MAX = 1_000
/** Each scrypt check holds 32 MiB: a flood of bad logins waits its turn instead of exhausting the worker's memory. */
const CONCURRENT_CHECKS = 2

const inTurnsOf = (limit: number) => {
  let running = 0
  const waiting: (() => void)[] = []
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve))
    running++
    try {
      return await task()
    } finally {
      running--
      waiting.shift()?.()
    }
  }
}

/**
 * Checks the Authorization header of a request; resolves to the user it names when the password is right. A
 * successful scrypt check is remembered for a few minutes (by a digest of the header, never the password), so a
 * console polling every second does not pay for scrypt on every request.
 */
export const createBasicAuthenticator = (users: BasicAuthUsers): ((authorization: string | undefined) => Promise<string | null>) => {
  const verified = new Map<string, number>()
  const inTurn = inTurnsOf(CONCURRENT_CHECKS)
  return async (authorization) => {
    const credentials = basicCredentialsOf(authorization)
    if (credentials === null) return null
    const { user, password } = credentials
    const plain = users.plain.get(user)
    if (plain !== undefined && sameText(plain, password)) return user
    const hashed = users.hashed.get(user)
    if (hashed === undefined) {
      if (plain === undefined) await inTurn(() => verifyPassword(DECOY, password))
      return null
    }
    const key = digest(`${authorization}`).toString('base64')
    const until = verified.get(key)
    if (until !== undefined && until > Date.now()) return user
    if (!(await inTurn(() => verifyPassword(hashed, password)))) return null
    if (verified.size >= VERIFIED_MAX) verified.clear()
    verified.set(key, Date.now() + VERIFIED_TTL_MS)
    return user
  }
}
