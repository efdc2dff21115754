/**
 * The parts of Java's number parsing that the transformations rely on, and base64 as Java writes it. Printing
 * numbers and dates, and parsing literals, live in the data layer (`src/data/java-numbers.ts`, `value-strings.ts`).
 */

/** Standard base64 with padding, as `Base64.getEncoder()`. */
export const base64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')

const INTEGER_TEXT = /^[+-]?\d+$/
const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/** Java's `Long.parseLong` (and `Integer.parseInt`, ... given their range): `undefined` when Java would throw. */
export const parseJavaInteger = (text: string, min: bigint, max: bigint): bigint | undefined => {
  if (!INTEGER_TEXT.test(text)) return undefined
  const value = BigInt(text)
  return value < min || value > max ? undefined : value
}

/** Java's `Double.parseDouble`: trims, accepts `NaN`, `Infinity` and a trailing `f`/`d`; `undefined` when Java throws. */
export const parseJavaDouble = (text: string): number | undefined => {
  const trimmed = text.trim()
  const unsigned = trimmed.replace(/^[+-]/, '')
  if (unsigned === 'NaN' || unsigned === 'Infinity') return Number(trimmed)
  const body = trimmed.replace(/[fFdD]$/, '')
  return DECIMAL_TEXT.test(body) ? Number(body) : undefined
}
