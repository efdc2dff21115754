/**
 * The bounds the REST API puts on a request, each with its reason. Kafka Connect (Jetty + Jersey) sets few of its own,
 * so each bound is chosen to accept anything Kafka Connect accepts in practice while keeping one request from
 * exhausting memory, the stack or the event loop.
 */
export const REST_LIMITS = {
  /**
   * A connector config is stored as one record in the config topic, which the broker caps at `message.max.bytes`
   * (1 MiB by default, often raised). 16 MiB accepts any config a reasonably configured cluster can store; Jetty has no
   * limit of its own on a JSON body.
   */
  bodyBytes: 16 * 1024 * 1024,
  /** Jetty answers 414 past its 8 KiB request header buffer (`HttpConfiguration.requestHeaderSize`); so do we. */
  urlLength: 8 * 1024,
  /**
   * Node's own `maxHeaderSize` default: past it node's HTTP parser stops reading and answers 431 (or 414 while still
   * in the request line).
   */
  headerBytes: 16 * 1024,
  /** Connector configs are flat maps; 64 levels is far beyond any real body and far below any recursion's limit. */
  jsonNestingDepth: 64,
  /**
   * Kafka Connect sets no explicit limit, but a name ends up in record keys, consumer group ids, MQTT client ids and
   * URLs. 249 is Kafka's own limit for a topic name, counted the way Java's `String.length()` counts (UTF-16 units).
   */
  connectorNameLength: 249,
} as const

/** Kafka Connect's `DEFAULT_REST_REQUEST_TIMEOUT_MS`: how long a request waits on the herder before a 500. */
export const DEFAULT_HERDER_TIMEOUT_MS = 90_000

/** How long a client has to send its whole request (headers and body) before it is answered 408 and disconnected. */
export const DEFAULT_RECEIVE_TIMEOUT_MS = 30_000
