import { z } from 'zod'
import type { ConnectHeaders } from '../../src/data/headers.ts'
import { booleanString, documented } from '../../src/plugin/config.ts'
import { parseServerUris } from './server-uri.ts'
import { topicMatchesFilter } from './topic-mapping.ts'

/** The header a source stamps on every record: which broker the message came from. */
export const ORIGIN_HEADER = 'mqtt.origin'
/**
 * The header a source stamps beside it: the filters it subscribes to on that broker, comma-separated as
 * `mqtt.topics` lists them (so no filter holds a comma), captures written `+`.
 */
export const ORIGIN_FILTERS_HEADER = 'mqtt.origin.filters'

/**
 * Loop prevention for a source and a sink bridging the same broker: the source stamps each record with the broker's
 * origin id and its own filters, and a sink on that broker skips a record only when the topic it would publish to
 * matches one of those filters, that is, when the very source that read the record would read it back.
 */
export const originConfig = {
  'mqtt.origin.id': documented(z.string().trim().default(''), {
    description:
      'Identity of the MQTT broker for loop prevention, carried in the mqtt.origin header. Blank uses host:port of the first mqtt.server.uri; set the same value on a source and a sink that name one broker differently.',
    importance: 'low',
    group: 'MQTT',
  }),
  'mqtt.loop.prevention.enabled': documented(booleanString().default(true), {
    description:
      "Sink: skip a record when a source on this sink's broker bridged it (its mqtt.origin header names the broker) and the MQTT topic it would be published to matches one of that source's filters (mqtt.origin.filters), so that source would read it back. Everything else is published.",
    importance: 'low',
    group: 'MQTT',
  }),
}

export const originIdOf = (configured: string, serverUris: readonly string[]): string => {
  if (configured !== '') return configured
  const [first] = parseServerUris('mqtt.server.uri', serverUris)
  return `${first!.host}:${first!.port}`
}


/** Broker-level filters (captures as `+`, no `$share/` prefix) as the {@link ORIGIN_FILTERS_HEADER} value. */
export const originFiltersValue = (filters: readonly string[]): string => filters.join(',')

/** Parsed filter headers are few (one per source config): cached so a record costs a map lookup, not a split. */
const MAX_CACHED_FILTER_SETS = 256

/**
 * Decides, per record, whether publishing it to an MQTT topic of this sink's broker would send it back to the source
 * that bridged it. A record without both stamps, or stamped by another broker, is always published: loop prevention
 * never drops what no source would read again.
 */
export class LoopGuard {
  private readonly parsedFilters = new Map<string, readonly (readonly string[])[]>()

  constructor(private readonly originId: string) {}

  wouldLoop(headers: ConnectHeaders, mqttTopic: string): boolean {
    let fromThisBroker = false
    let filters: string | null = null
    for (const { key, value } of headers) {
      if (key === ORIGIN_HEADER) fromThisBroker ||= headerText(value) === this.originId
      else if (key === ORIGIN_FILTERS_HEADER) filters = headerText(value)
    }
    if (!fromThisBroker || filters === null) return false
    const topicLevels = mqttTopic.split('/')
    return this.filtersOf(filters).some((filterLevels) => topicMatchesFilter(filterLevels, topicLevels))
  }

  private filtersOf(header: string): readonly (readonly string[])[] {
    let parsed = this.parsedFilters.get(header)
    if (parsed === undefined) {
      parsed = header
        .split(',')
        .map((filter) => filter.trim())
        .filter((filter) => filter !== '')
        .map((filter) => filter.split('/'))
      if (this.parsedFilters.size >= MAX_CACHED_FILTER_SETS) this.parsedFilters.clear()
      this.parsedFilters.set(header, parsed)
    }
    return parsed
  }
}

/** A header as text whatever the header converter made of it: SimpleHeaderConverter may read `1` as a number. */
const headerText = (value: unknown): string | null => {
  if (typeof value === 'string') return value
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8')
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  return null
}
