import type { SchemaType } from './schema.ts'

/**
 * Numbers printed as Java prints them (`Double.toString`, `Float.toString`), so text we produce matches what Kafka
 * Connect produces: `1.0` not `1`, `1.0E10` not `10000000000`, shortest digits that read back to the same value.
 */

/** Java's `Double.toString(d)`. */
export const formatDouble = (value: number): string => {
  const special = formatSpecial(value)
  if (special !== undefined) return special
  return layout(value.toExponential(), Math.abs(value))
}

/** Java's `Float.toString(f)` of the float32 nearest to `value`: the fewest digits that read back to that float32. */
export const formatFloat = (value: number): string => {
  const f = Math.fround(value)
  const special = formatSpecial(f)
  if (special !== undefined) return special
  for (let digits = 1; digits < 9; digits++) {
    const candidate = f.toExponential(digits - 1)
    if (Math.fround(Number(candidate)) === f) return layout(candidate, Math.abs(f))
  }
  return layout(f.toExponential(8), Math.abs(f))
}

const formatSpecial = (value: number): string | undefined => {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Infinity) return 'Infinity'
  if (value === -Infinity) return '-Infinity'
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0'
  return undefined
}

// Java writes plain notation for magnitudes in [1e-3, 1e7) and computerised scientific notation otherwise.
const layout = (exponential: string, magnitude: number): string => {
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(exponential)
  if (match === null) return exponential
  const [, sign = '', first = '', rest = '', exponentText = '0'] = match
  const exponent = Number(exponentText)
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const digits = first + rest
    if (exponent >= 0) {
      const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0')
      const fraction = digits.slice(exponent + 1)
      return `${sign}${intPart}.${fraction === '' ? '0' : fraction}`
    }
    return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`
  }
  return `${sign}${first}.${rest === '' ? '0' : rest}E${exponent}`
}

/**
 * A Connect number as Java's `toString` of its class prints it: a float32 as a Float, a float64 as a Double, the
 * integer types as integers. Without a type, a whole number within ±2^53 prints as an integer and anything else as a
 * Double: the types Kafka's JsonConverter infers for such a value.
 */
export const formatNumber = (type: SchemaType | null | undefined, value: number): string => {
  if (type === 'float32') return formatFloat(value)
  if (type === 'float64') return formatDouble(value)
  if (type === null || type === undefined) return Number.isSafeInteger(value) ? String(value) : formatDouble(value)
  return String(value)
}

/**
 * A Connect number as Kafka's JsonConverter (Jackson) writes it in JSON: the digits of {@link formatNumber}, with NaN
 * and the infinities as quoted strings (Jackson's QUOTE_NON_NUMERIC_NUMBERS, on by default).
 */
export const formatJsonNumber = (type: SchemaType | null | undefined, value: number): string => {
  const text = formatNumber(type, value)
  return text === 'NaN' || text.endsWith('Infinity') ? `"${text}"` : text
}
