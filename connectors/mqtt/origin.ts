import { z } from 'zod'
import type { ConnectHeaders } from '../../src/data/headers.ts'
import { booleanString, documented } from '../../src/plugin/config.ts'
import { parseServerUris } from './server-uri.ts'

/** The header a source stamps on every record: which broker the message came from. */
export const ORIGIN_HEADER = 'mqtt.origin'

/**
 * Loop prevention for a source and a sink bridging the same broker: the source stamps each record with the broker's
 * origin id, and a sink whose own origin id matches does not publish the record back to where it came from.
 */
export const originConfig = {
  'mqtt.origin.id': documented(z.string().trim().default(''), {
    description:
      'Identity of the MQTT broker for loop prevention, carried in the mqtt.origin header. Blank uses host:port of the first mqtt.server.uri; set the same value on a source and a sink that name one broker differently.',
    importance: 'low',
    group: 'MQTT',
  }),
  'mqtt.loop.prevention.enabled': documented(booleanString().default(true), {
    description: 'Sink: skip records whose mqtt.origin header names this sink\'s broker, so nothing is bridged back where it came from.',
    importance: 'low',
    group: 'MQTT',
  }),
}

export const originIdOf = (configured: string, serverUris: readonly string[]): string => {
  if (configured !== '') return configured
  const [first] = parseServerUris('mqtt.server.uri', serverUris)
  return `${first!.host}:${first!.port}`
}

export const cameFrom = (headers: ConnectHeaders, originId: string): boolean =>
  headers.some(({ key, value }) => key === ORIGIN_HEADER && value === originId)
