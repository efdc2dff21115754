import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Schema, SchemaAndValue } from '../../../src/data/schema.ts'
import { valuesEqual } from '../../../src/data/values.ts'
import type { Converter, ConverterPlugin } from '../../../src/plugin/converter.ts'
import { DataError } from '../../../src/plugin/errors.ts'
import { configuredConverter } from '../../../src/converters/converter-options.ts'

export interface ConverterContractCase {
  /** What the converter is given. */
  readonly schema: Schema | null
  readonly value: unknown
  /** What reading the bytes back must give, when not the value itself (e.g. a schemaless JSON integer comes back as bigint). */
  readonly expected?: unknown
}

export interface ConverterContract {
  readonly name: string
  readonly plugin: ConverterPlugin
  readonly options?: Readonly<Record<string, string>>
  /** Values that must survive fromConnectData → toConnectData. */
  readonly roundTrips: readonly ConverterContractCase[]
  /** Optional schemas with which a null value must still be a tombstone. */
  readonly nullableSchemas: readonly (Schema | null)[]
  /** Bytes that must be refused with a DataError, if the format has such bytes. */
  readonly malformed?: readonly Uint8Array[]
}

const TOPIC = 'topic'

/** The behaviour every converter shares: tombstones both ways, lossless round trips, DataError for bad bytes. */
export const describeConverterContract = (contract: ConverterContract): void => {
  void describe(`${contract.name} (converter contract)`, () => {
    const create = (isKey = false): Converter => configuredConverter(contract.plugin, contract.options ?? {}, isKey ? 'key.converter.' : 'value.converter.', isKey)

    void it('is registered with a Kafka class name, aliases and version 0.1.0', () => {
      assert.match(contract.plugin.className, /^org\.apache\.kafka\.connect\./)
      assert.ok(contract.plugin.aliases.length > 0)
      assert.equal(contract.plugin.version, '0.1.0')
    })

    void it('turns a null value into null bytes (a tombstone)', async () => {
      for (const schema of contract.nullableSchemas) {
        assert.equal(await create().fromConnectData(TOPIC, schema, null), null, `schema ${JSON.stringify(schema)}`)
      }
    })

    void it('turns null bytes into a null value', async () => {
      const result: SchemaAndValue = await create().toConnectData(TOPIC, null)
      assert.equal(result.value, null)
    })

    void it('reads back what it wrote, for keys and for values', async () => {
      for (const isKey of [false, true]) {
        const converter = create(isKey)
        for (const sample of contract.roundTrips) {
          const bytes = await converter.fromConnectData(TOPIC, sample.schema, sample.value)
          assert.ok(bytes instanceof Uint8Array, 'fromConnectData must give bytes for a non-null value')
          const back = await converter.toConnectData(TOPIC, bytes)
          const expected = 'expected' in sample ? sample.expected : sample.value
          assert.ok(valuesEqual(back.value, expected), `round trip of ${String(sample.value)} gave ${String(back.value)}`)
        }
      }
    })

    if (contract.malformed !== undefined) {
      const malformed = contract.malformed
      void it('refuses malformed bytes with a DataError', async () => {
        for (const bytes of malformed) {
          await assert.rejects(async () => create().toConnectData(TOPIC, bytes), DataError)
        }
      })
    }
  })
}
