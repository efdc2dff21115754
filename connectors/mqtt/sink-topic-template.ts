import type { SinkRecord } from '../../src/data/record.ts'
import { Struct } from '../../src/data/struct.ts'
import { isPlainObject } from '../../src/data/values.ts'
import { DataError } from '../../src/plugin/errors.ts'

/** One piece of a parsed `mqtt.topic`: literal text, or a placeholder filled from the record. */
export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'topic' }
  | { readonly kind: 'key' }
  | { readonly kind: 'header'; readonly name: string }
  | { readonly kind: 'value'; readonly field: string }

/** A template that cannot be parsed; `reason` says why, in words fit for a config error. */
export class TopicTemplateError extends Error {
  constructor(readonly reason: string) {
    super(reason)
    this.name = 'TopicTemplateError'
  }
}

const PLACEHOLDERS = '${topic}, ${key}, ${header:<name>} or ${value:<field>}'
/** The first character an MQTT topic name (as opposed to a filter) may not contain, if any. */
const forbiddenCharacter = (text: string): string | undefined => ['+', '#', '\0'].find((character) => text.includes(character))
const MAX_TOPIC_BYTES = 65_535
const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Parses `mqtt.topic`: literal text with `${topic}` (the Kafka topic), `${key}` (the record key), `${header:<name>}`
 * (the last header with that name) and `${value:<field>}` (a field of a struct or map value). A `$` not followed by
 * `{` is literal. Literal text may not contain the wildcards `+` and `#`, which MQTT forbids in topic names.
 */
export const parseTopicTemplate = (template: string): readonly TemplatePart[] => {
  if (template.length === 0) throw new TopicTemplateError('must not be empty')
  const parts: TemplatePart[] = []
  let text = ''
  for (let i = 0; i < template.length; ) {
    const open = template.indexOf('${', i)
    if (open === -1) {
      text += template.slice(i)
      break
    }
    text += template.slice(i, open)
    const close = template.indexOf('}', open + 2)
    if (close === -1) throw new TopicTemplateError(`has an unclosed placeholder at position ${open}; expected ${PLACEHOLDERS}`)
    if (text !== '') parts.push({ kind: 'text', text })
    text = ''
    parts.push(placeholder(template.slice(open + 2, close), open))
    i = close + 1
  }
  if (text !== '') parts.push({ kind: 'text', text })
  for (const part of parts) {
    const forbidden = part.kind === 'text' ? forbiddenCharacter(part.text) : undefined
    if (forbidden !== undefined) {
      throw new TopicTemplateError(
        forbidden === '\0' ? 'contains a NUL character' : `contains '${forbidden}', which MQTT allows only in subscriptions, not in a topic name`,
      )
    }
  }
  return parts
}

const placeholder = (body: string, position: number): TemplatePart => {
  if (body === 'topic') return { kind: 'topic' }
  if (body === 'key') return { kind: 'key' }
  const colon = body.indexOf(':')
  const kind = colon === -1 ? body : body.slice(0, colon)
  const name = colon === -1 ? '' : body.slice(colon + 1)
  if ((kind === 'header' || kind === 'value') && name === '') {
    throw new TopicTemplateError(`has \${${body}} at position ${position} without a ${kind === 'header' ? 'header name' : 'field name'}`)
  }
  if (kind === 'header') return { kind: 'header', name }
  if (kind === 'value') return { kind: 'value', field: name }
  throw new TopicTemplateError(`has an unknown placeholder \${${body}} at position ${position}; expected ${PLACEHOLDERS}`)
}

/**
 * Renders a parsed template for one record. Throws a `DataError` naming the record when a placeholder has no value
 * (a null key, a missing header or field) or when the result is not a valid MQTT topic name.
 */
export const renderTopic = (parts: readonly TemplatePart[], record: SinkRecord): string => {
  // The default template: the Kafka topic, which needs no checks beyond the one it had as a Kafka topic name.
  if (parts.length === 1 && parts[0]!.kind === 'topic') return record.topic
  let topic = ''
  for (const part of parts) {
    if (part.kind === 'text') {
      topic += part.text
      continue
    }
    const value = substitute(part, record)
    if (forbiddenCharacter(value) !== undefined) throw recordError(record, `${describe(part)} is '${value}', which contains an MQTT wildcard or NUL`)
    topic += value
  }
  if (topic === '') throw recordError(record, 'the MQTT topic came out empty')
  if (Buffer.byteLength(topic, 'utf8') > MAX_TOPIC_BYTES) throw recordError(record, `the MQTT topic is longer than ${MAX_TOPIC_BYTES} bytes`)
  return topic
}

const substitute = (part: Exclude<TemplatePart, { kind: 'text' }>, record: SinkRecord): string => {
  switch (part.kind) {
    case 'topic':
      return record.topic
    case 'key':
      return scalarText(part, record.key, record)
    case 'header': {
      let found: { value: unknown } | undefined
      for (const header of record.headers) if (header.key === part.name) found = header
      if (found === undefined) throw recordError(record, `it has no header '${part.name}' for ${describe(part)}`)
      return scalarText(part, found.value, record)
    }
    case 'value':
      return scalarText(part, fieldOf(part, record), record)
  }
}

const fieldOf = (part: { readonly kind: 'value'; readonly field: string }, record: SinkRecord): unknown => {
  const { value } = record
  if (value instanceof Struct) {
    if (!value.schema.fields?.some(({ name }) => name === part.field)) throw recordError(record, `its value has no field '${part.field}'`)
    return value.get(part.field)
  }
  if (value instanceof Map) {
    if (!value.has(part.field)) throw recordError(record, `its value has no field '${part.field}'`)
    return value.get(part.field)
  }
  if (isPlainObject(value)) {
    if (!Object.hasOwn(value, part.field)) throw recordError(record, `its value has no field '${part.field}'`)
    return value[part.field]
  }
  throw recordError(record, `${describe(part)} needs a struct or map value, not ${value === null ? 'null' : typeof value}`)
}

const scalarText = (part: Exclude<TemplatePart, { kind: 'text' }>, value: unknown, record: SinkRecord): string => {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value)
  if (value instanceof Uint8Array) {
    try {
      return utf8.decode(value)
    } catch {
      throw recordError(record, `${describe(part)} is bytes that are not UTF-8`)
    }
  }
  if (value === null || value === undefined) throw recordError(record, `${describe(part)} is null`)
  throw recordError(record, `${describe(part)} is not a string, number or boolean`)
}

const describe = (part: Exclude<TemplatePart, { kind: 'text' }>): string =>
  part.kind === 'header' ? `\${header:${part.name}}` : part.kind === 'value' ? `\${value:${part.field}}` : `\${${part.kind}}`

const recordError = (record: SinkRecord, reason: string): DataError =>
  new DataError(`Cannot build the MQTT topic (mqtt.topic) for the record in ${record.topic}-${record.kafkaPartition} at offset ${record.kafkaOffset}: ${reason}`)
