/**
 * The subset of Java's `SimpleDateFormat` that Kafka's TimestampConverter and TimestampRouter expose to users, always
 * in UTC and in English (Kafka sets the time zone to UTC; the locale is the JVM's, usually English).
 * Formatting supports every pattern letter; parsing is lenient as Java's is (out-of-range fields roll over, trailing
 * text is ignored). Week-based fields (`Y`, `w`, `W`) follow US rules (weeks start on Sunday).
 */

const PATTERN_LETTERS = 'GyMdkHmsSEDFwWahKzZYuXL'

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MILLIS_PER_DAY = 86_400_000
// 400 Gregorian years are exactly 146097 days: used to build dates in years 0-99, which Date.UTC maps to 19xx.
const MILLIS_PER_400_YEARS = 146_097 * MILLIS_PER_DAY

type Token = { readonly kind: 'literal'; readonly text: string } | { readonly kind: 'field'; readonly letter: string; readonly count: number }

/** A pattern Java's SimpleDateFormat constructor would reject; the message is Java's. */
export class DatePatternError extends Error {}

/** Text the pattern does not describe; the caller words the message (Kafka: "Could not parse timestamp ..."). */
export class DateParseError extends Error {}

export class SimpleDateFormat {
  readonly #tokens: readonly Token[]

  constructor(readonly pattern: string) {
    this.#tokens = compile(pattern)
  }

  /** Java's `toPattern()`. */
  toPattern(): string {
    return this.pattern
  }

  format(date: Date): string {
    let out = ''
    for (const token of this.#tokens) out += token.kind === 'literal' ? token.text : formatField(date, token.letter, token.count)
    return out
  }

  /** Java's `DateFormat.parse(String)`: parses from the start, ignoring whatever follows the pattern. */
  parse(text: string): Date {
    const fields: ParsedFields = {}
    let pos = 0
    for (let i = 0; i < this.#tokens.length; i++) {
      const token = this.#tokens[i] as Token
      if (token.kind === 'literal') {
        if (!text.startsWith(token.text, pos)) throw new DateParseError(`Unparseable date: "${text}"`)
        pos += token.text.length
        continue
      }
      const next = this.#tokens[i + 1]
      const abutsNumber = next !== undefined && next.kind === 'field' && isNumeric(next.letter, next.count)
      const end = parseField(text, pos, token.letter, token.count, abutsNumber, fields)
      if (end < 0) throw new DateParseError(`Unparseable date: "${text}"`)
      pos = end
    }
    return toDate(fields)
  }
}

const compile = (pattern: string): Token[] => {
  const tokens: Token[] = []
  let literal = ''
  const flush = (): void => {
    if (literal !== '') tokens.push({ kind: 'literal', text: literal })
    literal = ''
  }
  let i = 0
  while (i < pattern.length) {
    const c = pattern[i] as string
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        literal += "'"
        i += 2
        continue
      }
      i++
      let closed = false
      while (i < pattern.length) {
        if (pattern[i] === "'") {
          if (pattern[i + 1] === "'") {
            literal += "'"
            i += 2
            continue
          }
          closed = true
          i++
          break
        }
        literal += pattern[i]
        i++
      }
      if (!closed) throw new DatePatternError('Unterminated quote')
      continue
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      if (!PATTERN_LETTERS.includes(c)) throw new DatePatternError(`Illegal pattern character '${c}'`)
      let count = 1
      while (pattern[i + count] === c) count++
      flush()
      tokens.push({ kind: 'field', letter: c, count })
      i += count
      continue
    }
    literal += c
    i++
  }
  flush()
  return tokens
}

const pad = (value: number, width: number): string => {
  const digits = String(Math.abs(value)).padStart(width, '0')
  return value < 0 ? `-${digits}` : digits
}

const dayOfYear = (date: Date): number => {
  const jan1 = new Date(0)
  jan1.setUTCFullYear(date.getUTCFullYear(), 0, 1)
  return Math.floor((date.getTime() - jan1.getTime()) / MILLIS_PER_DAY) + 1
}

const firstWeekdayOf = (year: number, month: number): number => {
  const first = new Date(0)
  first.setUTCFullYear(year, month, 1)
  return first.getUTCDay()
}

const weekOfYear = (date: Date): number => {
  const year = date.getUTCFullYear()
  const doy = dayOfYear(date)
  const daysInYear = isLeap(year) ? 366 : 365
  // With US rules the week holding January 1st is week 1, even when it starts in December.
  if (daysInYear - doy + 1 <= 6 - date.getUTCDay()) return 1
  return Math.floor((doy - 1 + firstWeekdayOf(year, 0)) / 7) + 1
}

const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

const formatField = (date: Date, letter: string, count: number): string => {
  const year = date.getUTCFullYear()
  const hours = date.getUTCHours()
  switch (letter) {
    case 'G':
      return year > 0 ? 'AD' : 'BC'
    case 'y':
    case 'Y': {
      const eraYear = year > 0 ? year : 1 - year
      return count === 2 ? pad(eraYear % 100, 2) : pad(eraYear, count)
    }
    case 'M':
    case 'L': {
      const month = date.getUTCMonth()
      if (count >= 4) return MONTHS[month] as string
      if (count === 3) return (MONTHS[month] as string).slice(0, 3)
      return pad(month + 1, count)
    }
    case 'w':
      return pad(weekOfYear(date), count)
    case 'W':
      return pad(Math.floor((date.getUTCDate() - 1 + firstWeekdayOf(year, date.getUTCMonth())) / 7) + 1, count)
    case 'D':
      return pad(dayOfYear(date), count)
    case 'd':
      return pad(date.getUTCDate(), count)
    case 'F':
      return pad(Math.floor((date.getUTCDate() - 1) / 7) + 1, count)
    case 'E': {
      const day = DAYS[date.getUTCDay()] as string
      return count >= 4 ? day : day.slice(0, 3)
    }
    case 'u':
      return pad(date.getUTCDay() === 0 ? 7 : date.getUTCDay(), count)
    case 'a':
      return hours < 12 ? 'AM' : 'PM'
    case 'H':
      return pad(hours, count)
    case 'k':
      return pad(hours === 0 ? 24 : hours, count)
    case 'K':
      return pad(hours % 12, count)
    case 'h':
      return pad(hours % 12 === 0 ? 12 : hours % 12, count)
    case 'm':
      return pad(date.getUTCMinutes(), count)
    case 's':
      return pad(date.getUTCSeconds(), count)
    case 'S':
      return pad(date.getUTCMilliseconds(), count)
    case 'z':
      return count >= 4 ? 'Coordinated Universal Time' : 'UTC'
    case 'Z':
      return '+0000'
    case 'X':
      return 'Z'
    default:
      return ''
  }
}

interface ParsedFields {
  year?: number
  twoDigitYear?: boolean
  bc?: boolean
  month?: number
  day?: number
  dayOfYear?: number
  hourOfDay?: number
  hour12?: number
  pm?: boolean
  minute?: number
  second?: number
  millis?: number
  offsetMinutes?: number
}

const isNumeric = (letter: string, count: number): boolean => {
  switch (letter) {
    case 'M':
    case 'L':
      return count <= 2
    case 'G':
    case 'E':
    case 'a':
    case 'z':
    case 'Z':
    case 'X':
      return false
    default:
      return true
  }
}

/** Parses one field at `pos`; returns the position after it, or -1. */
const parseField = (text: string, pos: number, letter: string, count: number, obeyCount: boolean, fields: ParsedFields): number => {
  if (!isNumeric(letter, count)) return parseTextField(text, pos, letter, fields)
  let end = pos
  const limit = obeyCount ? Math.min(text.length, pos + count) : text.length
  const signed = (letter === 'y' || letter === 'Y') && (text[pos] === '-' || text[pos] === '+')
  if (signed) end++
  while (end < limit && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++
  if (end === pos + (signed ? 1 : 0)) return -1
  const value = Number(text.slice(pos, end))
  switch (letter) {
    case 'y':
    case 'Y':
      fields.year = value
      fields.twoDigitYear = count <= 2 && end - pos === 2 && !signed
      break
    case 'M':
    case 'L':
      fields.month = value - 1
      break
    case 'd':
      fields.day = value
      break
    case 'D':
      fields.dayOfYear = value
      break
    case 'H':
      fields.hourOfDay = value
      break
    case 'k':
      fields.hourOfDay = value === 24 ? 0 : value
      break
    case 'K':
      fields.hour12 = value
      break
    case 'h':
      fields.hour12 = value === 12 ? 0 : value
      break
    case 'm':
      fields.minute = value
      break
    case 's':
      fields.second = value
      break
    case 'S':
      fields.millis = value
      break
    default:
      // w, W, F, u: accepted but, as the date fields decide the date, not used.
      break
  }
  return end
}

const matchWord = (text: string, pos: number, words: readonly string[]): { index: number; end: number } | undefined => {
  let best: { index: number; end: number } | undefined
  const rest = text.slice(pos).toLowerCase()
  words.forEach((word, index) => {
    if (rest.startsWith(word.toLowerCase()) && (best === undefined || word.length > best.end - pos)) best = { index, end: pos + word.length }
  })
  return best
}

const parseTextField = (text: string, pos: number, letter: string, fields: ParsedFields): number => {
  switch (letter) {
    case 'M':
    case 'L': {
      const match = matchWord(text, pos, [...MONTHS, ...MONTHS.map((m) => m.slice(0, 3))])
      if (match === undefined) return -1
      fields.month = match.index % 12
      return match.end
    }
    case 'E': {
      const match = matchWord(text, pos, [...DAYS, ...DAYS.map((d) => d.slice(0, 3))])
      return match === undefined ? -1 : match.end
    }
    case 'a': {
      const match = matchWord(text, pos, ['AM', 'PM'])
      if (match === undefined) return -1
      fields.pm = match.index === 1
      return match.end
    }
    case 'G': {
      const match = matchWord(text, pos, ['AD', 'BC'])
      if (match === undefined) return -1
      fields.bc = match.index === 1
      return match.end
    }
    default:
      return parseZone(text, pos, fields)
  }
}

const ZONE_OFFSET = /^([+-])(\d{2}):?(\d{2})?/

const parseZone = (text: string, pos: number, fields: ParsedFields): number => {
  const rest = text.slice(pos)
  if (rest.startsWith('Z')) {
    fields.offsetMinutes = 0
    return pos + 1
  }
  const named = /^(UTC|GMT)/i.exec(rest)
  const afterName = named === null ? rest : rest.slice(named[0].length)
  const offset = ZONE_OFFSET.exec(afterName)
  if (offset === null) {
    if (named === null) return -1
    fields.offsetMinutes = 0
    return pos + named[0].length
  }
  const minutes = Number(offset[2]) * 60 + Number(offset[3] ?? 0)
  fields.offsetMinutes = offset[1] === '-' ? -minutes : minutes
  return pos + (named?.[0].length ?? 0) + offset[0].length
}

const toDate = (fields: ParsedFields): Date => {
  let year = fields.year ?? 1970
  if (fields.bc === true) year = 1 - year
  if (fields.twoDigitYear === true) {
    // Java's default century: two-digit years land within 80 years before and 20 years after now.
    const startYear = new Date().getUTCFullYear() - 80
    year += Math.floor(startYear / 100) * 100
    if (year < startYear) year += 100
  }
  let hour = fields.hourOfDay
  if (hour === undefined && fields.hour12 !== undefined) hour = fields.hour12 + (fields.pm === true ? 12 : 0)
  const month = fields.dayOfYear !== undefined && fields.month === undefined ? 0 : (fields.month ?? 0)
  const day = fields.dayOfYear !== undefined && fields.day === undefined ? fields.dayOfYear : (fields.day ?? 1)
  // Date.UTC reads years 0-99 as 1900-1999, so build those 400 years later and shift back.
  const shift = year >= 0 && year <= 99 ? 400 : 0
  const millis =
    Date.UTC(year + shift, month, day, hour ?? 0, fields.minute ?? 0, fields.second ?? 0, fields.millis ?? 0) -
    (shift === 0 ? 0 : MILLIS_PER_400_YEARS) -
    (fields.offsetMinutes ?? 0) * 60_000
  const date = new Date(millis)
  if (Number.isNaN(date.getTime())) throw new DateParseError('Unparseable date: the date is out of range')
  return date
}
