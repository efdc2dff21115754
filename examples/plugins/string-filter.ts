// A user plugin: a transformation loaded from the worker's plugin.path, in the spirit of the StringFilter SMT
// shown in the Kafka Connect MQTT talks. It keeps records whose value (text or bytes) matches a regex and
// drops the rest. Run a worker with `CONNECT_PLUGIN_PATH=examples/plugins npm start` and reference it as
// "transforms.only.type": "com.example.StringFilter" (or "StringFilter").
//
// A plugin module exports arrays named like the worker's registry: transformations, predicates, converters,
// headerConverters or connectors. Plugins import only the plugin API (src/plugin) and the data model (src/data).
import { z } from 'zod'
import type { ConnectRecord } from '../../src/data/record.ts'
import { booleanString, documented, type TransformationPlugin } from '../../src/plugin/index.ts'

const config = z.object({
  pattern: documented(
    z.string().refine(isValidRegex, { message: 'must be a valid regular expression' }),
    { description: 'Regular expression the record value must contain a match for.', importance: 'high' },
  ),
  'drop.on.match': documented(booleanString().default(false), {
    description: 'Invert the filter: drop the records that match instead of keeping them.',
    importance: 'low',
  }),
})

function isValidRegex(pattern: string): boolean {
  try {
    new RegExp(pattern)
    return true
  } catch {
    return false
  }
}

const decoder = new TextDecoder()

const stringFilter: TransformationPlugin<typeof config> = {
  className: 'com.example.StringFilter',
  aliases: ['StringFilter'],
  version: '1.0.0',
  config,
  create: ({ pattern, 'drop.on.match': dropOnMatch }) => {
    const regex = new RegExp(pattern)
    return {
      apply<R extends ConnectRecord>(record: R): R | null {
        const { value } = record
        const text = typeof value === 'string' ? value : value instanceof Uint8Array ? decoder.decode(value) : null
        if (text === null) return record
        return regex.test(text) !== dropOnMatch ? record : null
      },
    }
  },
}

export const transformations: readonly TransformationPlugin[] = [stringFilter]
