import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { formatDouble, formatFloat, formatJsonNumber, formatNumber } from '../../../src/data/index.ts'

void describe('formatDouble', () => {
  void it('prints like Java Double.toString', () => {
    const cases: Array<[number, string]> = [
      [1, '1.0'],
      [12.34, '12.34'],
      [-0.5, '-0.5'],
      [0, '0.0'],
      [-0, '-0.0'],
      [0.001, '0.001'],
      [0.0001, '1.0E-4'],
      [1234567, '1234567.0'],
      [1e7, '1.0E7'],
      [12345678.9, '1.23456789E7'],
      [1e21, '1.0E21'],
      [NaN, 'NaN'],
      [-Infinity, '-Infinity'],
    ]
    for (const [value, text] of cases) assert.equal(formatDouble(value), text, `${value}`)
  })
})

void describe('formatFloat', () => {
  void it('prints the nearest float32 with the fewest digits, like Java Float.toString', () => {
    const cases: Array<[number, string]> = [
      [12.34, '12.34'],
      [Math.fround(12.34), '12.34'],
      [0.1, '0.1'],
      [1, '1.0'],
      [3.4028234663852886e38, '3.4028235E38'],
      [1e-5, '1.0E-5'],
    ]
    for (const [value, text] of cases) assert.equal(formatFloat(value), text, `${value}`)
  })
})

void describe('formatNumber and formatJsonNumber', () => {
  void it('print a number by its Connect type, as Java prints that type\'s class', () => {
    assert.equal(formatNumber('float32', 4.85), '4.85')
    assert.equal(formatNumber('float32', Math.fround(4.85)), '4.85')
    assert.equal(formatNumber('float64', Math.fround(4.85)), '4.849999904632568')
    assert.equal(formatNumber('float64', 1), '1.0')
    assert.equal(formatNumber('int32', 42), '42')
    assert.equal(formatNumber('int64', -7), '-7')
  })

  void it('print a number without a type as JsonConverter infers it: safe integers as int64, others as doubles', () => {
    assert.equal(formatNumber(null, 42), '42')
    assert.equal(formatNumber(undefined, 1.5), '1.5')
    assert.equal(formatNumber(null, 1e21), '1.0E21')
    assert.equal(formatNumber(null, 1e-7), '1.0E-7')
  })

  void it('quote NaN and the infinities in JSON, as Jackson does, and nothing else', () => {
    assert.equal(formatJsonNumber('float64', Number.NaN), '"NaN"')
    assert.equal(formatJsonNumber('float32', Number.NEGATIVE_INFINITY), '"-Infinity"')
    assert.equal(formatJsonNumber(null, Number.POSITIVE_INFINITY), '"Infinity"')
    assert.equal(formatJsonNumber('float32', 12.34), '12.34')
  })
})
