import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { formatDouble, formatFloat } from '../../../src/data/index.ts'

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
