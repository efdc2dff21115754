/**
 * JSON text as Kafka's JsonConverter (Jackson) reads and writes it. `JSON.parse` cannot be used: it turns
 * 9007199254740993 into ...992, and Kafka keeps every digit of an int64 or a decimal. So numbers keep their source
 * text ({@link JsonNumber}), and objects keep member order (a `Map`, as Jackson's ObjectNode does).
 */

/** A JSON number as written: converted to bigint, number or decimal only once its schema is known. */
export class JsonNumber {
  constructor(readonly text: string) {}

  /** An integer token (no fraction, no exponent): Jackson reads these as int/long/BigInteger nodes. */
  get isIntegral(): boolean {
    return !/[.eE]/.test(this.text)
  }
}

export type JsonObject = ReadonlyMap<string, JsonNode>
export type JsonNode = null | boolean | string | JsonNumber | readonly JsonNode[] | JsonObject

/** Jackson's node type names, used in Kafka's error messages. */
export type JsonNodeType = 'NULL' | 'MISSING' | 'BOOLEAN' | 'STRING' | 'NUMBER' | 'ARRAY' | 'OBJECT'

export const nodeType = (node: JsonNode | undefined): JsonNodeType => {
  if (node === undefined) return 'MISSING'
  if (node === null) return 'NULL'
  if (typeof node === 'boolean') return 'BOOLEAN'
  if (typeof node === 'string') return 'STRING'
  if (node instanceof JsonNumber) return 'NUMBER'
  if (Array.isArray(node)) return 'ARRAY'
  return 'OBJECT'
}

export const isJsonObject = (node: JsonNode | undefined): node is JsonObject => node instanceof Map

export class JsonSyntaxError extends Error {}

/** A parsed document, plus where each top-level object member's value sits in the text (for schema caching). */
export interface ParsedJson {
  /** `undefined` when the text is empty or blank (Jackson's MissingNode). */
  readonly node: JsonNode | undefined
  readonly memberSpans: ReadonlyMap<string, readonly [start: number, end: number]>
}

// Jackson's default StreamReadConstraints nesting limit; it also keeps recursion far from the stack limit.
const MAX_DEPTH = 1000

/**
 * Parses JSON as Kafka's JsonDeserializer does: strict JSON except that leading zeros in numbers are allowed.
 * Unlike Jackson, text after the first value is rejected rather than ignored.
 */
export const parseJson = (text: string): ParsedJson => {
  const parser = new Parser(text)
  parser.skipWhitespace()
  if (parser.atEnd()) return { node: undefined, memberSpans: new Map() }
  const node = parser.parseValue(0)
  parser.skipWhitespace()
  if (!parser.atEnd()) parser.fail('Unexpected content after the end of the JSON value')
  return { node, memberSpans: parser.memberSpans }
}

class Parser {
  pos = 0
  readonly memberSpans = new Map<string, readonly [number, number]>()

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length
  }

  fail(message: string): never {
    throw new JsonSyntaxError(`${message} at position ${this.pos}`)
  }

  skipWhitespace(): void {
    const text = this.text
    let pos = this.pos
    for (;;) {
      const c = text.charCodeAt(pos)
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++
      else break
    }
    this.pos = pos
  }

  parseValue(depth: number): JsonNode {
    if (depth > MAX_DEPTH) this.fail(`Document nesting depth exceeds the maximum allowed (${MAX_DEPTH})`)
    const c = this.text.charCodeAt(this.pos)
    switch (c) {
      case 0x7b:
        return this.parseObject(depth)
      case 0x5b:
        return this.parseArray(depth)
      case 0x22:
        return this.parseString()
      case 0x74:
        return this.parseLiteral('true', true)
      case 0x66:
        return this.parseLiteral('false', false)
      case 0x6e:
        return this.parseLiteral('null', null)
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.parseNumber()
        if (Number.isNaN(c)) this.fail('Unexpected end of input')
        return this.fail(`Unexpected character ${JSON.stringify(this.text[this.pos])}`)
    }
  }

  parseLiteral<T>(literal: string, value: T): T {
    if (!this.text.startsWith(literal, this.pos)) this.fail(`Unrecognized token (expected '${literal}')`)
    this.pos += literal.length
    return value
  }

  parseNumber(): JsonNumber {
    const text = this.text
    const start = this.pos
    let pos = start
    if (text.charCodeAt(pos) === 0x2d) pos++
    const intStart = pos
    while (isDigit(text.charCodeAt(pos))) pos++
    if (pos === intStart) {
      this.pos = pos
      this.fail('Expected a digit in the number')
    }
    if (text.charCodeAt(pos) === 0x2e) {
      pos++
      const fracStart = pos
      while (isDigit(text.charCodeAt(pos))) pos++
      if (pos === fracStart) {
        this.pos = pos
        this.fail('Decimal point not followed by a digit')
      }
    }
    const e = text.charCodeAt(pos)
    if (e === 0x65 || e === 0x45) {
      pos++
      const sign = text.charCodeAt(pos)
      if (sign === 0x2b || sign === 0x2d) pos++
      const expStart = pos
      while (isDigit(text.charCodeAt(pos))) pos++
      if (pos === expStart) {
        this.pos = pos
        this.fail('Exponent indicator not followed by a digit')
      }
    }
    this.pos = pos
    return new JsonNumber(text.slice(start, pos))
  }

  parseString(): string {
    const text = this.text
    let pos = this.pos + 1
    let chunkStart = pos
    let result = ''
    for (;;) {
      const c = text.charCodeAt(pos)
      if (c === 0x22) {
        this.pos = pos + 1
        return result + text.slice(chunkStart, pos)
      }
      if (c === 0x5c) {
        result += text.slice(chunkStart, pos)
        pos++
        const escape = text[pos]
        switch (escape) {
          case '"':
          case '\\':
          case '/':
            result += escape
            break
          case 'b':
            result += '\b'
            break
          case 'f':
            result += '\f'
            break
          case 'n':
            result += '\n'
            break
          case 'r':
            result += '\r'
            break
          case 't':
            result += '\t'
            break
          case 'u': {
            const hex = text.slice(pos + 1, pos + 5)
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
              this.pos = pos
              this.fail('Invalid \\u escape in string')
            }
            result += String.fromCharCode(parseInt(hex, 16))
            pos += 4
            break
          }
          default:
            this.pos = pos
            this.fail('Unrecognized character escape in string')
        }
        pos++
        chunkStart = pos
        continue
      }
      if (Number.isNaN(c)) {
        this.pos = pos
        this.fail('Unexpected end of input in a string')
      }
      if (c < 0x20) {
        this.pos = pos
        this.fail('Illegal unquoted control character in a string')
      }
      pos++
    }
  }

  parseArray(depth: number): JsonNode[] {
    this.pos++
    const items: JsonNode[] = []
    this.skipWhitespace()
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++
      return items
    }
    for (;;) {
      this.skipWhitespace()
      items.push(this.parseValue(depth + 1))
      this.skipWhitespace()
      const c = this.text.charCodeAt(this.pos)
      this.pos++
      if (c === 0x5d) return items
      if (c !== 0x2c) {
        this.pos--
        this.fail("Expected ',' or ']' in an array")
      }
    }
  }

  parseObject(depth: number): Map<string, JsonNode> {
    this.pos++
    const members = new Map<string, JsonNode>()
    this.skipWhitespace()
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++
      return members
    }
    for (;;) {
      this.skipWhitespace()
      if (this.text.charCodeAt(this.pos) !== 0x22) this.fail('Expected a double-quoted field name')
      const key = this.parseString()
      this.skipWhitespace()
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail("Expected ':' after a field name")
      this.pos++
      this.skipWhitespace()
      const start = this.pos
      // As Jackson's ObjectNode: a repeated name keeps its first position and takes the last value.
      members.set(key, this.parseValue(depth + 1))
      if (depth === 0) this.memberSpans.set(key, [start, this.pos])
      this.skipWhitespace()
      const c = this.text.charCodeAt(this.pos)
      this.pos++
      if (c === 0x7d) return members
      if (c !== 0x2c) {
        this.pos--
        this.fail("Expected ',' or '}' in an object")
      }
    }
  }
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' }

const needsEscape = (value: string): boolean => {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c < 0x20 || c === 0x22 || c === 0x5c) return true
  }
  return false
}

/** A JSON string literal escaped as Jackson escapes it (other control characters as upper-case `\u00XX`). */
export const quoteJsonString = (value: string): string => {
  if (!needsEscape(value)) return `"${value}"`
  let result = '"'
  for (const ch of value) {
    const short = SHORT_ESCAPES[ch]
    if (short !== undefined) result += short
    else if (ch.charCodeAt(0) < 0x20) result += `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`
    else result += ch
  }
  return `${result}"`
}

/** Compact JSON text for a node, as Jackson writes a tree: no spaces, members in order. */
export const writeJsonNode = (node: JsonNode): string => {
  if (node === null) return 'null'
  if (typeof node === 'boolean') return node ? 'true' : 'false'
  if (typeof node === 'string') return quoteJsonString(node)
  if (node instanceof JsonNumber) return node.text
  if (Array.isArray(node)) return `[${node.map(writeJsonNode).join(',')}]`
  const members: string[] = []
  for (const [key, value] of node as JsonObject) members.push(`${quoteJsonString(key)}:${writeJsonNode(value)}`)
  return `{${members.join(',')}}`
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/

/** Decodes standard base64 (as Jackson's default variant writes it), rejecting anything else. */
export const decodeBase64 = (text: string): Uint8Array => {
  if (!BASE64.test(text)) throw new JsonSyntaxError('Illegal character or length in base64 content')
  return new Uint8Array(Buffer.from(text, 'base64'))
}

export const encodeBase64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')

/**
 * A node as plain JS data, for callers outside the converter: objects become plain objects, integers that a number
 * cannot hold exactly become bigint, other numbers become numbers.
 */
export const toPlainJson = (node: JsonNode): unknown => {
  if (node === null || typeof node !== 'object') return node
  if (node instanceof JsonNumber) {
    if (node.isIntegral) {
      const big = BigInt(node.text)
      return Number.isSafeInteger(Number(big)) ? Number(big) : big
    }
    return Number(node.text)
  }
  if (Array.isArray(node)) return node.map(toPlainJson)
  const result: Record<string, unknown> = {}
  for (const [key, value] of node as JsonObject) result[key] = toPlainJson(value)
  return result
}

/** The reverse of {@link toPlainJson}; a `Map` with string keys is taken as an object too. */
export const fromPlainJson = (value: unknown): JsonNode => {
  if (value === null || value === undefined) return null
  if (typeof value === 'boolean' || typeof value === 'string') return value
  if (typeof value === 'bigint') return new JsonNumber(value.toString())
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value)
    return new JsonNumber(Number.isInteger(value) && Math.abs(value) < 1e21 ? BigInt(value).toString() : String(value))
  }
  if (value instanceof JsonNumber) return value
  if (Array.isArray(value)) return value.map(fromPlainJson)
  if (value instanceof Map) {
    return new Map([...(value as Map<unknown, unknown>)].map(([k, v]) => [String(k), fromPlainJson(v)]))
  }
  if (typeof value === 'object') return new Map(Object.entries(value).map(([k, v]) => [k, fromPlainJson(v)]))
  throw new JsonSyntaxError(`Cannot represent a ${typeof value} as JSON`)
}
