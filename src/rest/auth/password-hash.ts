import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/**
 * Passwords of `rest.basic.auth.credentials.file`, one user a line: `user:scrypt:N:r:p:salt:hash`, salt and hash in
 * base64. scrypt (RFC 7914) from Node's crypto, so a stolen file costs an attacker memory and time per guess.
 */
export interface HashedCredential {
  readonly user: string
  readonly cost: number
  readonly blockSize: number
  readonly parallelization: number
  readonly salt: Buffer
  readonly hash: Buffer
}

export interface ScryptParameters {
  /** N, a power of two. */
  readonly cost: number
  /** r */
  readonly blockSize: number
  /** p */
  readonly parallelization: number
}

/** 2^15: about 100 ms and 32 MiB per check; verified logins are cached, so a client pays it once every few minutes. */
export const DEFAULT_SCRYPT: ScryptParameters = { cost: 2 ** 15, blockSize: 8, parallelization: 1 }
const HASH_BYTES = 32

const scryptAsync = (password: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => scrypt(password, salt, length, options, (error, key) => (error ? reject(error) : resolve(key))))

const memoryFor = ({ cost, blockSize }: { cost: number; blockSize: number }): number => 128 * cost * blockSize * 2

/** The line for `user` with a fresh random salt. */
export const hashPasswordLine = async (user: string, password: string, parameters: ScryptParameters = DEFAULT_SCRYPT): Promise<string> => {
  if (user === '' || user.includes(':') || /\s/.test(user)) throw new Error('a user name must be non-empty, without spaces or colons')
  const salt = randomBytes(16)
  const { cost, blockSize, parallelization } = parameters
  const hash = await scryptAsync(password, salt, HASH_BYTES, { N: cost, r: blockSize, p: parallelization, maxmem: memoryFor(parameters) })
  return `${user}:scrypt:${cost}:${blockSize}:${parallelization}:${salt.toString('base64')}:${hash.toString('base64')}`
}

/** Parses the file's lines; blank lines and `#` comments are skipped. Throws naming the line for a malformed one. */
export const parseHashedCredentials = (text: string): Map<string, HashedCredential> => {
  const users = new Map<string, HashedCredential>()
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#')) return
    const parts = trimmed.split(':')
    const [user, scheme, cost, blockSize, parallelization, salt, hash] = parts
    const numbers = [cost, blockSize, parallelization].map(Number)
    if (parts.length !== 7 || scheme !== 'scrypt' || user === '' || numbers.some((n) => !Number.isInteger(n) || n < 1) || !isBase64(salt) || !isBase64(hash)) {
      throw new Error(`line ${index + 1} is not user:scrypt:N:r:p:salt:hash (mqtt-kafka-connect hash-password writes one)`)
    }
    if ((numbers[0]! & (numbers[0]! - 1)) !== 0) throw new Error(`line ${index + 1}: scrypt N must be a power of two`)
    // Bounds keep one check within 1 GiB: a file with N=2^30 must not take the worker down at the first login.
    if (128 * numbers[0]! * numbers[1]! > 2 ** 30 || numbers[2]! > 16) throw new Error(`line ${index + 1}: scrypt parameters needing more than 1 GiB (128·N·r) or p above 16 are refused`)
    users.set(user!, {
      user: user!,
      cost: numbers[0]!,
      blockSize: numbers[1]!,
      parallelization: numbers[2]!,
      salt: Buffer.from(salt, 'base64'),
      hash: Buffer.from(hash, 'base64'),
    })
  })
  return users
}

const isBase64 = (text: string | undefined): text is string => text !== undefined && text !== '' && /^[A-Za-z0-9+/]+={0,2}$/.test(text)

/** Whether `password` is the one `credential` was made from; the hashes are compared in constant time. */
export const verifyPassword = async (credential: HashedCredential, password: string): Promise<boolean> => {
  const { cost, blockSize, parallelization } = credential
  const derived = await scryptAsync(password, credential.salt, credential.hash.length, {
    N: cost,
    r: blockSize,
    p: parallelization,
    maxmem: memoryFor(credential),
  })
  return derived.length === credential.hash.length && timingSafeEqual(derived, credential.hash)
}

/** The first line of stdin, without its line end: a password piped in or typed, kept out of argv and shell history. */
export const passwordFromStdin = async (input: NodeJS.ReadableStream = process.stdin): Promise<string> => {
  let text = ''
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    if (text.includes('\n')) break
  }
  return text.split(/\r?\n/)[0] ?? ''
}
