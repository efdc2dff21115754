import avro from 'avsc'
import type { Type } from 'avsc'
import { DataError } from '../plugin/errors.ts'

/**
 * Avro's binary encoding, by avsc. Values are in the form avro-data.ts produces and reads: unions wrapped as
 * `{ branchName: value }` (so a union of several records is never ambiguous) and longs as bigint (a JS number would
 * lose int64 precision beyond 2^53).
 */
const LONG_AS_BIGINT = avro.types.LongType.__with({
  fromBuffer: (buffer: Buffer): bigint => buffer.readBigInt64LE(),
  toBuffer: (value: bigint): Buffer => {
    const buffer = Buffer.alloc(8)
    buffer.writeBigInt64LE(value)
    return buffer
  },
  fromJSON: (json: unknown): bigint => BigInt(json as number | string),
  toJSON: (value: bigint): number => Number(value),
  isValid: (value: unknown): boolean => typeof value === 'bigint',
  compare: (a: bigint, b: bigint): number => (a === b ? 0 : a < b ? -1 : 1),
})

export type AvroBinaryType = Type

// Every long, written "long" or {"type": "long", ...} (a timestamp-millis, a connect.default), is a bigint.
const longAsBigint = (schema: unknown): Type | undefined =>
  schema === 'long' || (typeof schema === 'object' && schema !== null && (schema as { type?: unknown }).type === 'long') ? LONG_AS_BIGINT : undefined

/** An avsc type for Avro schema JSON text; a schema avsc refuses (an invalid name, a bad default) is a DataError. */
export const avroBinaryType = (schemaText: string): AvroBinaryType => {
  try {
    return avro.Type.forSchema(JSON.parse(schemaText) as avro.Schema, { wrapUnions: true, typeHook: longAsBigint })
  } catch (error) {
    throw new DataError(`Invalid Avro schema: ${(error as Error).message}`, { cause: error })
  }
}

/** Avro binary of `value`, the bytes after a `headerSize`-byte header the caller fills in. */
export class AvroEncoder {
  #scratch = Buffer.allocUnsafe(1024)

  encode(type: AvroBinaryType, value: unknown, headerSize: number): Buffer {
    let end: number
    try {
      end = type.encode(value, this.#scratch, headerSize)
      if (end < 0) {
        // avsc reports how many bytes were missing; grow once to fit, with room for the next record.
        this.#scratch = Buffer.allocUnsafe(2 * (this.#scratch.length - end))
        end = type.encode(value, this.#scratch, headerSize)
      }
    } catch (error) {
      throw new DataError(`Value does not match its Avro schema: ${(error as Error).message}`, { cause: error })
    }
    const bytes = Buffer.allocUnsafe(end)
    this.#scratch.copy(bytes, 0, 0, end)
    return bytes
  }
}

/** The value in Avro binary `bytes` (all of them); malformed bytes are a DataError. */
export const decodeAvro = (type: AvroBinaryType, bytes: Buffer): unknown => {
  try {
    return type.fromBuffer(bytes)
  } catch (error) {
    throw new DataError(`Malformed Avro binary data: ${(error as Error).message}`, { cause: error })
  }
}
