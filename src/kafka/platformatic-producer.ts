import {
  DynamicBuffer,
  kGetApi,
  produceV9,
  produceV10,
  produceV11,
  Producer,
  Writer,
  type API,
  type Callback,
  type Connection,
  type MessageToProduce,
  type ProducerOptions,
} from '@platformatic/kafka'
import { encodeProduceRequest, type ProduceMessage } from './produce-request.ts'
import { keyHash } from './murmur2.ts'
import { ConnectError } from '../plugin/errors.ts'
import type { ProducerTuning } from '../config/kafka-client-config.ts'
import { asConnectError, chunksWithin, MAX_REQUEST_BYTES, type RecordSender, type SerializedRecord } from './record-producer.ts'
import { withSetupErrors, type KafkaConnectionOptions } from './security.ts'

type Message = MessageToProduce<Buffer, Buffer, Buffer, Buffer>

/**
 * A source task's producer on @platformatic/kafka: the same contract as the kafkajs RecordProducer (acks as tuned,
 * records in order, as few requests as the request size limit allows, each acknowledged before the next), at about
 * half the CPU per record (bench/kafka-clients.ts). kafkajs stays for everything else the worker does with Kafka.
 */
export class PlatformaticRecordProducer implements RecordSender {
  private producer: Producer<Buffer, Buffer, Buffer, Buffer> | null = null

  /**
   * `connection` resolves the brokers, TLS and SASL of the task's `producer.*` keys (certificate files read, the CA
   * probed); `keyPrefix` names those keys, so that refused credentials fail the task with the key to fix.
   */
  constructor(
    private readonly connection: () => Promise<KafkaConnectionOptions>,
    private readonly clientId: string,
    private readonly tuning: ProducerTuning = { acks: -1, compression: 'none' },
    private readonly keyPrefix = 'producer.',
  ) {}

  async connect(): Promise<void> {
    await withSetupErrors(async () => {
      if (this.producer !== null) return
      const { brokers, ssl, sasl } = await this.connection()
      const options: ProducerOptions<Buffer, Buffer, Buffer, Buffer> = {
        clientId: this.clientId,
        bootstrapBrokers: [...(typeof brokers === 'function' ? await brokers() : brokers)],
        acks: this.tuning.acks,
        autocreateTopics: true,
        idempotent: false,
        partitioner: javaCompatiblePartitioner(),
        // Few quick attempts inside the client: the source runner retries a refused batch itself, with backoff and
        // the task's health reported, for as long as Kafka is away.
        retries: 3,
        retryDelay: 250,
        // The Java producer's request.timeout.ms (30 s), as kafkajs waits too: this client's 5 s default gives up on
        // a produce request a busy broker is still writing, and sending it again writes the records twice.
        timeout: 30_000,
        ...(typeof ssl === 'object' ? { tls: ssl } : ssl === true ? { tls: {} } : {}),
        ...(sasl === undefined ? {} : { sasl: saslOptions(sasl) }),
      }
      const producer = new OnePassProducer(options)
      try {
        // Connects and authenticates now, as kafkajs's connect() does: bad credentials fail the task at start.
        await producer.metadata({ topics: [] })
      } catch (error) {
        await producer.close().catch(() => {})
        throw error
      }
      this.producer = producer
    }, this.keyPrefix)
  }

  async send(records: readonly SerializedRecord[], onAcknowledged?: (acknowledged: number) => void): Promise<void> {
    const { producer } = this
    if (producer === null) throw new ConnectError('the producer is not connected')
    const compression = this.tuning.compression === 'gzip' ? 'gzip' : 'none'
    let acknowledged = 0
    try {
      for (const chunk of chunksWithin(records, MAX_REQUEST_BYTES)) {
        await producer.send({ messages: chunk.map(toMessage), acks: this.tuning.acks, compression })
        acknowledged += chunk.length
        onAcknowledged?.(acknowledged)
      }
    } catch (error) {
      throw asConnectError(error, isRetriableProduceError)
    }
  }

  async disconnect(): Promise<void> {
    const { producer } = this
    this.producer = null
    await producer?.close()
  }
}

/** What the producer passes the Produce API after the connection: acks, timeout, messages, options. */
type ProduceArguments = [number, number, ProduceMessage[], ProduceOptions]
interface ProduceOptions {
  readonly compression?: string
  readonly producerId?: bigint
  readonly sequences?: unknown
  readonly transactionalId?: string
}

const flexibleProduceVersions = new Map([
  [9, produceV9],
  [10, produceV10],
  [11, produceV11],
])

/**
 * The client's producer with its Produce requests written by `encodeProduceRequest`, in one buffer: the client still
 * finds leaders, keeps connections, retries and parses the answers. Requests it sends compressed, idempotent or
 * transactional, or in a version before 9, keep the client's own encoder.
 */
class OnePassProducer extends Producer<Buffer, Buffer, Buffer, Buffer> {
  override [kGetApi]<RequestArguments extends Array<unknown>, ResponseType>(
    name: string,
    callback: Callback<API<RequestArguments, ResponseType>>,
  ): void {
    if (name !== 'Produce') {
      super[kGetApi](name, callback)
      return
    }
    super[kGetApi]<RequestArguments, ResponseType>(name, (error, api) => {
      if (error !== null || api === undefined) {
        callback(error, undefined as unknown as API<RequestArguments, ResponseType>)
        return
      }
      const flexible = flexibleProduceVersions.get(api.version)
      callback(null, flexible === undefined ? api : onePassProduce(api, flexible.parseResponse))
    })
  }
}

const onePassProduce = <RequestArguments extends Array<unknown>, ResponseType>(
  clientApi: API<RequestArguments, ResponseType>,
  parseResponse: (typeof produceV11)['parseResponse'],
): API<RequestArguments, ResponseType> => {
  const api = ((connection: Connection, ...args: unknown[]) => {
    const [acks, timeout, messages, options] = args as ProduceArguments
    const plain = (options.compression ?? 'none') === 'none' && options.producerId === undefined
    if (!plain || options.sequences !== undefined || options.transactionalId !== undefined) {
      ;(clientApi as unknown as (connection: Connection, ...args: unknown[]) => void)(connection, ...args)
      return
    }
    const callback = args[args.length - 1] as Callback<ResponseType>
    const request = () => {
      const writer = new Writer(new DynamicBuffer(encodeProduceRequest(acks, timeout, messages)))
      // acks=0: the broker sends no answer, so the connection must not wait for one.
      if (acks === 0) writer.context.noResponse = true
      return writer
    }
    connection.send(0, clientApi.version, request, parseResponse as never, true, true, callback)
  }) as unknown as API<RequestArguments, ResponseType>
  return Object.assign(api, { async: clientApi.async, key: clientApi.key, version: clientApi.version })
}

/**
 * The Java client's murmur2 partitioning, so keys land where Kafka Connect would put them (the client takes the result
 * modulo the topic's partitions); records without a key go round robin, as with kafkajs's default partitioner.
 */
export const javaCompatiblePartitioner = (): NonNullable<ProducerOptions<Buffer, Buffer, Buffer, Buffer>['partitioner']> => {
  let nextPartition = 0
  return ({ key }) => (key === undefined ? nextPartition++ : keyHash(key))
}

const toMessage = ({ topic, partition, key, value, timestamp, headers }: SerializedRecord): Message => {
  const message: Message = { topic, key: key ?? undefined, value: value ?? undefined, headers: headerMap(headers) }
  if (partition !== null) message.partition = partition
  if (timestamp !== null) message.timestamp = BigInt(timestamp)
  return message
}

/** Header names as bytes: a source writes the same few names on every record. */
const headerNames = new Map<string, Buffer>()
const MAX_CACHED_HEADER_NAMES = 1_024

const headerName = (name: string): Buffer => {
  let bytes = headerNames.get(name)
  if (bytes === undefined) {
    bytes = Buffer.from(name)
    if (headerNames.size < MAX_CACHED_HEADER_NAMES) headerNames.set(name, bytes)
  }
  return bytes
}

/**
 * A Map keyed by Buffer objects, as the client takes headers: a name that repeats in one record gets a Buffer of its
 * own, so both entries stay, in order, as Kafka allows.
 */
const headerMap = (headers: SerializedRecord['headers']): Map<Buffer, Buffer> => {
  const map = new Map<Buffer, Buffer>()
  for (const [name, value] of headers) {
    if (value === null) continue
    const key = headerName(name)
    map.set(map.has(key) ? Buffer.from(name) : key, value)
  }
  return map
}

const saslOptions = (sasl: NonNullable<KafkaConnectionOptions['sasl']>): NonNullable<ProducerOptions<Buffer, Buffer, Buffer, Buffer>['sasl']> => {
  const { mechanism } = sasl
  if (mechanism !== 'plain' && mechanism !== 'scram-sha-256' && mechanism !== 'scram-sha-512') {
    throw new ConnectError(`SASL mechanism ${mechanism} is not supported by this producer`)
  }
  const { username, password } = sasl as { username: string; password: string }
  return { mechanism: mechanism.toUpperCase() as 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512', username, password }
}

interface ClientError {
  readonly code?: unknown
  readonly canRetry?: unknown
  readonly errors?: unknown
  readonly cause?: unknown
  readonly message?: unknown
}

/**
 * Whether sending again may work: the client says so (`canRetry`), or the broker could not be reached or did not
 * answer in time. An aggregate (one error per broker) is retriable when any of its errors is.
 */
export const isRetriableProduceError = (error: unknown, depth = 0): boolean => {
  if (typeof error !== 'object' || error === null || depth > 5) return false
  const { code, canRetry, errors, cause } = error as ClientError
  if (canRetry === true || code === 'PLT_KFK_NETWORK' || code === 'PLT_KFK_TIMEOUT') return true
  if (Array.isArray(errors) && errors.some((inner) => isRetriableProduceError(inner, depth + 1))) return true
  return isRetriableProduceError(cause, depth + 1)
}
