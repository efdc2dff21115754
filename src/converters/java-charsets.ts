/**
 * The Java charsets Kafka's StringConverter is commonly configured with, behaving as `String.getBytes(charset)` and
 * `new String(bytes, charset)` do: unmappable characters become `?` when encoding, malformed bytes become U+FFFD when
 * decoding. Names are matched as `Charset.forName` matches them: canonical names and Java's aliases, in any case.
 */
export interface JavaCharset {
  /** Java's canonical name (`UTF-8`, `UTF-16`, `ISO-8859-1`, ...). */
  readonly name: string
  encode(text: string): Buffer
  decode(bytes: Uint8Array): string
}

const REPLACEMENT_CHARACTER = 0xfffd
const QUESTION_MARK = 0x3f

const bufferOf = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))

const isHighSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff
const isLowSurrogate = (unit: number): boolean => unit >= 0xdc00 && unit <= 0xdfff

const SURROGATE = /[\uD800-\uDFFF]/
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** The string with each unpaired surrogate replaced; most strings have no surrogates and come back as they are. */
const withoutLoneSurrogates = (text: string, replacement: string): string => (SURROGATE.test(text) ? text.replace(LONE_SURROGATE, replacement) : text)

/** Code units in chunks, so that long texts do not overflow the argument limit of `String.fromCharCode`. */
const stringOf = (units: Uint16Array, length: number): string => {
  let text = ''
  for (let start = 0; start < length; start += 8192) text += String.fromCharCode(...units.subarray(start, Math.min(length, start + 8192)))
  return text
}

const UTF_8: JavaCharset = {
  name: 'UTF-8',
  // Java writes an unpaired surrogate as '?'; Node would write U+FFFD's three bytes.
  encode: (text) => Buffer.from(withoutLoneSurrogates(text, '?'), 'utf8'),
  decode: (bytes) => bufferOf(bytes).toString('utf8'),
}

/** ISO-8859-1 and US-ASCII: one byte per character up to `max`, `?` for anything above (one `?` per surrogate pair). */
const singleByte = (name: string, max: number): JavaCharset => ({
  name,
  encode: (text) => {
    const bytes = Buffer.allocUnsafe(text.length)
    let length = 0
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i)
      if (unit <= max) {
        bytes[length++] = unit
        continue
      }
      if (isHighSurrogate(unit) && isLowSurrogate(text.charCodeAt(i + 1))) i++
      bytes[length++] = QUESTION_MARK
    }
    return bytes.subarray(0, length)
  },
  decode: (bytes) => {
    if (max === 0xff) return bufferOf(bytes).toString('latin1')
    const units = new Uint16Array(bytes.length)
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i] ?? 0
      units[i] = byte <= max ? byte : REPLACEMENT_CHARACTER
    }
    return stringOf(units, units.length)
  },
})

type ByteOrder = 'big' | 'little'

/**
 * UTF-16 as Java's UnicodeEncoder/UnicodeDecoder: `UTF-16` writes a big-endian byte-order mark then big-endian
 * units, and reads a leading mark of either order (big-endian without one). `UTF-16BE`/`UTF-16LE` write no mark and
 * read one as U+FEFF. Unpaired surrogates become U+FFFD both ways; so do a reversed mark (U+FFFE) inside the text, a
 * high surrogate together with the unit after it when that is not a low surrogate, and an incomplete unit at the end.
 */
const utf16 = (name: string, order: ByteOrder | 'marked'): JavaCharset => ({
  name,
  encode: (text) => {
    if (text.length === 0) return Buffer.alloc(0)
    const marked = order === 'marked'
    const bytes = Buffer.from(marked ? `\uFEFF${withoutLoneSurrogates(text, '\uFFFD')}` : withoutLoneSurrogates(text, '\uFFFD'), 'utf16le')
    return order === 'little' ? bytes : bytes.swap16()
  },
  decode: (bytes) => {
    let position = 0
    let little = order === 'little'
    if (order === 'marked' && bytes.length >= 2) {
      const first = ((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0)
      if (first === 0xfeff || first === 0xfffe) {
        little = first === 0xfffe
        position = 2
      }
    }
    const unitAt = (at: number): number => (little ? ((bytes[at + 1] ?? 0) << 8) | (bytes[at] ?? 0) : ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0))
    const units = new Uint16Array((bytes.length >> 1) + 1)
    let length = 0
    while (bytes.length - position >= 2) {
      const unit = unitAt(position)
      if (unit === 0xfffe || isLowSurrogate(unit)) {
        units[length++] = REPLACEMENT_CHARACTER
        position += 2
      } else if (isHighSurrogate(unit)) {
        if (bytes.length - position < 4) break
        const next = unitAt(position + 2)
        if (isLowSurrogate(next)) {
          units[length++] = unit
          units[length++] = next
        } else {
          units[length++] = REPLACEMENT_CHARACTER
        }
        position += 4
      } else {
        units[length++] = unit
        position += 2
      }
    }
    // Whatever is left (an odd byte, a high surrogate cut short) is one malformed sequence.
    if (position < bytes.length) units[length++] = REPLACEMENT_CHARACTER
    return stringOf(units, length)
  },
})

// Java's names and aliases for each charset (Charset.aliases()), plus Node's names that configs used before.
const CHARSETS: ReadonlyArray<readonly [JavaCharset, readonly string[]]> = [
  [UTF_8, ['UTF8', 'unicode-1-1-utf-8']],
  [utf16('UTF-16', 'marked'), ['UTF_16', 'utf16', 'unicode', 'UnicodeBig']],
  [utf16('UTF-16BE', 'big'), ['UTF_16BE', 'ISO-10646-UCS-2', 'X-UTF-16BE', 'UnicodeBigUnmarked']],
  [utf16('UTF-16LE', 'little'), ['UTF_16LE', 'X-UTF-16LE', 'UnicodeLittleUnmarked', 'utf16le', 'ucs2', 'ucs-2']],
  [
    singleByte('ISO-8859-1', 0xff),
    ['iso-ir-100', 'ISO_8859_1', 'ISO_8859-1', 'ISO_8859-1:1987', 'ISO8859_1', 'ISO8859-1', '8859_1', 'latin1', 'l1', 'IBM819', 'IBM-819', 'cp819', '819', 'csISOLatin1', 'binary'],
  ],
  [
    singleByte('US-ASCII', 0x7f),
    ['ASCII', 'iso-ir-6', 'ANSI_X3.4-1986', 'ANSI_X3.4-1968', 'ISO_646.irv:1991', 'iso_646.irv:1983', 'ISO646-US', '646', 'us', 'IBM367', 'cp367', 'csASCII', 'ascii7', 'default'],
  ],
]

const BY_NAME: ReadonlyMap<string, JavaCharset> = new Map(
  CHARSETS.flatMap(([charset, aliases]) => [charset.name, ...aliases].map((name) => [name.toLowerCase(), charset] as const)),
)

/** Java's canonical names of the charsets {@link findJavaCharset} knows. */
export const JAVA_CHARSET_NAMES: readonly string[] = CHARSETS.map(([charset]) => charset.name)

/** The charset a Java charset name or alias (any case) denotes, or `undefined`. */
export const findJavaCharset = (name: string): JavaCharset | undefined => BY_NAME.get(name.trim().toLowerCase())
