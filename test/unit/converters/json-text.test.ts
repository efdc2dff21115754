import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { JsonNumber, JsonSyntaxError, decodeBase64, parseJson, quoteJsonString, writeJsonNode } from '../../../src/converters/json-text.ts'

void describe('parseJson', () => {
  void it('keeps number text so no digit is lost', () => {
    const { node } = parseJson('[9223372036854775807, 1.50, -0, 1e3]')
    assert.deepEqual((node as JsonNumber[]).map((n) => n.text), ['9223372036854775807', '1.50', '-0', '1e3'])
    assert.deepEqual((node as JsonNumber[]).map((n) => n.isIntegral), [true, false, true, false])
  })

  void it('keeps object members in order, the last duplicate winning', () => {
    const { node } = parseJson('{"b":1,"a":2,"b":3}')
    assert.deepEqual([...(node as Map<string, JsonNumber>).entries()].map(([k, v]) => [k, v.text]), [['b', '3'], ['a', '2']])
  })

  void it('decodes string escapes', () => {
    assert.equal(parseJson('"a\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00"').node, 'a"b\\c/d\né😀')
  })

  void it('gives no node for blank text', () => {
    assert.equal(parseJson('  \n').node, undefined)
  })

  void it('reports where a document is malformed', () => {
    for (const text of ['{', '[1,]', '{"a":1,}', 'tru', '"unterminated', '"tab\there"', '1.', '-', '01.e', 'NaN', '{} {}', "{'a':1}"]) {
      assert.throws(() => parseJson(text), JsonSyntaxError, text)
    }
  })

  void it('refuses documents nested deeper than 1000 levels', () => {
    assert.throws(() => parseJson('['.repeat(1002) + ']'.repeat(1002)), /nesting depth/)
  })

  void it('records where each top-level member value sits', () => {
    const text = '{"schema":{"type":"int8"},"payload":1}'
    const span = parseJson(text).memberSpans.get('schema')
    assert.ok(span !== undefined)
    assert.equal(text.slice(span[0], span[1]), '{"type":"int8"}')
  })
})

void describe('writing JSON', () => {
  void it('escapes as Jackson does', () => {
    assert.equal(quoteJsonString('plain'), '"plain"')
    assert.equal(quoteJsonString('q"b\\n\n\u0001é'), '"q\\"b\\\\n\\n\\u0001é"')
    assert.equal(quoteJsonString('\u001f'), '"\\u001F"')
  })

  void it('writes a parsed tree back compactly', () => {
    const text = '{ "a" : [ 1 , 2.50 , true , null , "x" ] }'
    assert.equal(writeJsonNode(parseJson(text).node ?? null), '{"a":[1,2.50,true,null,"x"]}')
  })
})

void describe('decodeBase64', () => {
  void it('decodes standard base64 and refuses anything else', () => {
    assert.deepEqual([...decodeBase64('AJw=')], [0, 156])
    assert.deepEqual([...decodeBase64('')], [])
    assert.throws(() => decodeBase64('A*w='), JsonSyntaxError)
    assert.throws(() => decodeBase64('A'), JsonSyntaxError)
  })
})
