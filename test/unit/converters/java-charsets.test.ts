import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { JAVA_CHARSET_NAMES, findJavaCharset } from '../../../src/converters/java-charsets.ts'
import type { JavaCharset } from '../../../src/converters/java-charsets.ts'

// Expected bytes and strings are what Java's String.getBytes(charset) and new String(bytes, charset) give.

const charset = (name: string): JavaCharset => {
  const found = findJavaCharset(name)
  assert.ok(found, name)
  return found
}
const encoded = (name: string, text: string): number[] => [...charset(name).encode(text)]
const decoded = (name: string, bytes: readonly number[]): string => charset(name).decode(new Uint8Array(bytes))

void describe('Java charsets', () => {
  void it('knows UTF-8, UTF-16, UTF-16BE, UTF-16LE, ISO-8859-1 and US-ASCII by their canonical names', () => {
    assert.deepEqual(JAVA_CHARSET_NAMES, ['UTF-8', 'UTF-16', 'UTF-16BE', 'UTF-16LE', 'ISO-8859-1', 'US-ASCII'])
  })

  void it('finds a charset by any of Java\'s aliases, in any case', () => {
    const cases: Array<[string, string]> = [
      ['utf8', 'UTF-8'],
      ['UTF_16', 'UTF-16'],
      ['unicode', 'UTF-16'],
      ['X-UTF-16BE', 'UTF-16BE'],
      ['iso-10646-ucs-2', 'UTF-16BE'],
      ['UnicodeLittleUnmarked', 'UTF-16LE'],
      ['Latin1', 'ISO-8859-1'],
      ['ISO_8859-1:1987', 'ISO-8859-1'],
      ['cp819', 'ISO-8859-1'],
      ['ANSI_X3.4-1968', 'US-ASCII'],
      ['ISO646-US', 'US-ASCII'],
      [' us-ascii ', 'US-ASCII'],
    ]
    for (const [alias, name] of cases) assert.equal(findJavaCharset(alias)?.name, name, alias)
    assert.equal(findJavaCharset('EBCDIC'), undefined)
    assert.equal(findJavaCharset('UTF-32'), undefined)
  })

  void it('encodes UTF-16 with a big-endian byte-order mark, and the empty string as no bytes', () => {
    assert.deepEqual(encoded('UTF-16', 'a€'), [0xfe, 0xff, 0x00, 0x61, 0x20, 0xac])
    assert.deepEqual(encoded('UTF-16', '😀'), [0xfe, 0xff, 0xd8, 0x3d, 0xde, 0x00])
    assert.deepEqual(encoded('UTF-16', ''), [])
  })

  void it('decodes UTF-16 by its byte-order mark, big-endian without one', () => {
    assert.equal(decoded('UTF-16', [0xfe, 0xff, 0x00, 0x61]), 'a')
    assert.equal(decoded('UTF-16', [0xff, 0xfe, 0x61, 0x00]), 'a')
    assert.equal(decoded('UTF-16', [0x00, 0x61, 0x00, 0x62]), 'ab')
    assert.equal(decoded('UTF-16', [0xfe, 0xff, 0xfe, 0xff, 0x00, 0x61]), '\uFEFFa', 'only the first mark is one')
    assert.equal(decoded('UTF-16', []), '')
  })

  void it('writes no mark in UTF-16BE and UTF-16LE, and reads one as U+FEFF', () => {
    assert.deepEqual(encoded('UTF-16BE', 'a€'), [0x00, 0x61, 0x20, 0xac])
    assert.deepEqual(encoded('UTF-16LE', 'a€'), [0x61, 0x00, 0xac, 0x20])
    assert.equal(decoded('UTF-16BE', [0xfe, 0xff, 0x00, 0x61]), '\uFEFFa')
    assert.equal(decoded('UTF-16LE', [0xff, 0xfe, 0x61, 0x00]), '\uFEFFa')
    assert.equal(decoded('UTF-16LE', [0x3d, 0xd8, 0x00, 0xde]), '😀')
  })

  void it('replaces malformed UTF-16 with U+FFFD as Java\'s UnicodeDecoder does', () => {
    assert.equal(decoded('UTF-16BE', [0x00, 0x61, 0x00]), 'a\uFFFD', 'an odd byte at the end')
    assert.equal(decoded('UTF-16BE', [0xdc, 0x00, 0x00, 0x61]), '\uFFFDa', 'an unpaired low surrogate')
    assert.equal(decoded('UTF-16BE', [0xd8, 0x3d, 0x00, 0x61, 0x00, 0x62]), '\uFFFDb', 'a high surrogate takes the next unit with it')
    assert.equal(decoded('UTF-16BE', [0x00, 0x61, 0xd8, 0x3d, 0x00]), 'a\uFFFD', 'a cut-short surrogate and odd byte are one sequence')
    assert.equal(decoded('UTF-16BE', [0x00, 0x61, 0xff, 0xfe]), 'a\uFFFD', 'a reversed mark inside the text')
  })

  void it('encodes unpaired surrogates as U+FFFD in UTF-16 and as ? in UTF-8', () => {
    assert.deepEqual(encoded('UTF-16BE', 'a\uD800'), [0x00, 0x61, 0xff, 0xfd])
    assert.deepEqual(encoded('UTF-8', 'a\uDC00b'), [0x61, 0x3f, 0x62])
    assert.deepEqual(encoded('UTF-8', 'é😀'), [0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80])
  })

  void it('encodes what ISO-8859-1 and US-ASCII cannot hold as ?, one per character', () => {
    assert.deepEqual(encoded('ISO-8859-1', 'aé€😀ÿ'), [0x61, 0xe9, 0x3f, 0x3f, 0xff])
    assert.deepEqual(encoded('US-ASCII', 'aé€😀~'), [0x61, 0x3f, 0x3f, 0x3f, 0x7e])
  })

  void it('decodes every ISO-8859-1 byte as its character, and US-ASCII bytes above 0x7F as U+FFFD', () => {
    assert.equal(decoded('ISO-8859-1', [0x61, 0xe9, 0xff]), 'aéÿ')
    assert.equal(decoded('US-ASCII', [0x61, 0xe9, 0x7f]), 'a\uFFFD\u007F')
  })

  void it('round-trips long texts', () => {
    const text = 'x€'.repeat(20_000)
    for (const name of ['UTF-8', 'UTF-16', 'UTF-16BE', 'UTF-16LE']) assert.equal(charset(name).decode(charset(name).encode(text)), text, name)
  })
})
