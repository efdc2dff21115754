import { ConfigError } from '../../src/plugin/errors.ts'

export interface MqttServer {
  readonly protocol: 'mqtt' | 'mqtts' | 'ws' | 'wss'
  readonly host: string
  readonly port: number
}

/** Paho-style schemes that existing Kafka Connect configs use, mapped to MQTT.js's. */
const SCHEMES: Readonly<Record<string, { protocol: MqttServer['protocol']; defaultPort: number }>> = {
  'tcp:': { protocol: 'mqtt', defaultPort: 1883 },
  'mqtt:': { protocol: 'mqtt', defaultPort: 1883 },
  'ssl:': { protocol: 'mqtts', defaultPort: 8883 },
  'tls:': { protocol: 'mqtts', defaultPort: 8883 },
  'mqtts:': { protocol: 'mqtts', defaultPort: 8883 },
  'ws:': { protocol: 'ws', defaultPort: 80 },
  'wss:': { protocol: 'wss', defaultPort: 443 },
}

/** Parses `mqtt.server.uri`: one or more comma-separated URIs, tried in order for failover. */
export const parseServerUris = (key: string, uris: readonly string[]): MqttServer[] => {
  if (uris.length === 0) throw new ConfigError(key, '', 'must name at least one broker, e.g. tcp://localhost:1883')
  return uris.map((uri) => {
    let url: URL
    try {
      url = new URL(uri)
    } catch {
      throw new ConfigError(key, uri, 'is not a URI; expected e.g. tcp://localhost:1883')
    }
    const scheme = SCHEMES[url.protocol]
    if (scheme === undefined) {
      throw new ConfigError(key, uri, `has unsupported scheme ${url.protocol} (use tcp, ssl, mqtt, mqtts, ws or wss)`)
    }
    if (url.hostname === '') throw new ConfigError(key, uri, 'names no host')
    return { protocol: scheme.protocol, host: url.hostname, port: url.port === '' ? scheme.defaultPort : Number(url.port) }
  })
}
