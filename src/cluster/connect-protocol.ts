/**
 * Kafka Connect's group protocol, byte for byte: the metadata a worker sends with JoinGroup and the assignment the
 * leader hands out through SyncGroup (`ConnectProtocol` for "default", the eager v0, and
 * `IncrementalCooperativeConnectProtocol` for "compatible" v1 and "sessioned" v2). Keeping the layout lets a
 * Kafka Connect tool that decodes the group (kafka-consumer-groups --describe, a Java worker) read ours.
 */

/** A connector's own instance in an assignment; task ids are 0 and up. Kafka Connect's CONNECTOR_TASK. */
export const CONNECTOR_TASK = -1

export type ProtocolName = 'default' | 'compatible' | 'sessioned'

export const PROTOCOL_VERSIONS: Readonly<Record<ProtocolName, number>> = { default: 0, compatible: 1, sessioned: 2 }

export interface TaskId {
  readonly connector: string
  readonly task: number
}

/** Connectors and tasks; the unit of an assignment, of a revocation and of what a worker reports it runs. */
export interface Allocation {
  readonly connectors: readonly string[]
  readonly tasks: readonly TaskId[]
}

export const EMPTY_ALLOCATION: Allocation = Object.freeze({ connectors: [], tasks: [] })

export interface WorkerState {
  /** The REST URL other workers forward requests to. */
  readonly url: string
  /** The offset of the last config-topic record this worker has read; -1 before any. */
  readonly configOffset: bigint
  /** What the worker runs now: only incremental protocols carry it. */
  readonly allocation: Allocation
}

/** Kafka Connect's assignment error codes. */
export const ASSIGNMENT_ERROR = { none: 0, configMismatch: 1 } as const

export interface ConnectAssignment {
  readonly version: number
  readonly error: number
  readonly leader: string
  readonly leaderUrl: string
  readonly configOffset: bigint
  readonly assigned: Allocation
  readonly revoked: Allocation
  /** Milliseconds until the leader means to rebalance again, to hand out work of departed workers. */
  readonly delayMs: number
}

export const encodeWorkerState = (version: number, state: WorkerState): Buffer => {
  const writer = new Writer().int16(version).string(state.url).int64(state.configOffset)
  if (version >= 1) {
    const empty = state.allocation.connectors.length === 0 && state.allocation.tasks.length === 0
    writer.nullableBytes(empty ? null : encodeAssignment(assignmentOf(version, state.allocation)))
  }
  return writer.buffer()
}

export const decodeWorkerState = (bytes: Buffer): WorkerState => {
  const reader = new Reader(bytes)
  const version = reader.int16()
  if (version < 0) throw new Error(`Unsupported subscription version: ${version}`)
  const url = reader.string()
  const configOffset = reader.int64()
  let allocation = EMPTY_ALLOCATION
  if (version >= 1 && reader.remaining() > 0) {
    const nested = reader.nullableBytes()
    if (nested !== null) allocation = decodeAssignment(nested).assigned
  }
  return { url, configOffset, allocation }
}

export const encodeAssignment = (assignment: ConnectAssignment): Buffer => {
  const writer = new Writer()
    .int16(assignment.version)
    .int16(assignment.error)
    .string(assignment.leader)
    .string(assignment.leaderUrl)
    .int64(assignment.configOffset)
  writeAllocation(writer, assignment.assigned)
  if (assignment.version >= 1) {
    writeAllocation(writer, assignment.revoked)
    writer.int32(assignment.delayMs)
  }
  return writer.buffer()
}

export const decodeAssignment = (bytes: Buffer): ConnectAssignment => {
  const reader = new Reader(bytes)
  const version = reader.int16()
  if (version < 0) throw new Error(`Unsupported assignment version: ${version}`)
  const error = reader.int16()
  const leader = reader.string()
  const leaderUrl = reader.string()
  const configOffset = reader.int64()
  const assigned = readAllocation(reader)
  // Kafka Connect tolerates v1 fields missing at the end, defaulting them.
  const revoked = version >= 1 && reader.remaining() > 0 ? readAllocation(reader) : EMPTY_ALLOCATION
  const delayMs = version >= 1 && reader.remaining() > 0 ? reader.int32() : 0
  return { version, error, leader, leaderUrl, configOffset, assigned, revoked, delayMs }
}

const assignmentOf = (version: number, allocation: Allocation): ConnectAssignment => ({
  version,
  error: ASSIGNMENT_ERROR.none,
  leader: '',
  leaderUrl: '',
  configOffset: -1n,
  assigned: allocation,
  revoked: EMPTY_ALLOCATION,
  delayMs: 0,
})

/** Connectors and tasks grouped by connector, the connector itself as task CONNECTOR_TASK, as Kafka Connect lays it out. */
const writeAllocation = (writer: Writer, allocation: Allocation): void => {
  const byConnector = new Map<string, number[]>()
  for (const connector of allocation.connectors) byConnector.set(connector, [CONNECTOR_TASK])
  for (const { connector, task } of allocation.tasks) {
    const ids = byConnector.get(connector) ?? []
    ids.push(task)
    byConnector.set(connector, ids)
  }
  writer.int32(byConnector.size)
  for (const [connector, ids] of byConnector) {
    writer.string(connector).int32(ids.length)
    for (const id of ids) writer.int32(id)
  }
}

const readAllocation = (reader: Reader): Allocation => {
  const count = reader.int32()
  const connectors: string[] = []
  const tasks: TaskId[] = []
  for (let i = 0; i < count; i++) {
    const connector = reader.string()
    const ids = reader.int32()
    for (let j = 0; j < ids; j++) {
      const id = reader.int32()
      if (id === CONNECTOR_TASK) connectors.push(connector)
      else tasks.push({ connector, task: id })
    }
  }
  return { connectors, tasks }
}

/** Kafka's primitive types: big-endian integers, int16-prefixed UTF-8 strings, int32-prefixed byte arrays (-1 is null). */
class Writer {
  private readonly chunks: Buffer[] = []

  int16(value: number): this {
    const chunk = Buffer.alloc(2)
    chunk.writeInt16BE(value)
    return this.push(chunk)
  }

  int32(value: number): this {
    const chunk = Buffer.alloc(4)
    chunk.writeInt32BE(value)
    return this.push(chunk)
  }

  int64(value: bigint): this {
    const chunk = Buffer.alloc(8)
    chunk.writeBigInt64BE(value)
    return this.push(chunk)
  }

  string(value: string): this {
    const bytes = Buffer.from(value, 'utf8')
    return this.int16(bytes.length).push(bytes)
  }

  nullableBytes(value: Buffer | null): this {
    if (value === null) return this.int32(-1)
    return this.int32(value.length).push(value)
  }

  buffer(): Buffer {
    return Buffer.concat(this.chunks)
  }

  private push(chunk: Buffer): this {
    this.chunks.push(chunk)
    return this
  }
}

class Reader {
  private offset = 0

  constructor(private readonly bytes: Buffer) {}

  remaining(): number {
    return this.bytes.length - this.offset
  }

  int16(): number {
    return this.advance(2, (at) => this.bytes.readInt16BE(at))
  }

  int32(): number {
    return this.advance(4, (at) => this.bytes.readInt32BE(at))
  }

  int64(): bigint {
    return this.advance(8, (at) => this.bytes.readBigInt64BE(at))
  }

  string(): string {
    const length = this.int16()
    if (length < 0) throw new Error('A null string where Kafka Connect writes none')
    return this.advance(length, (at) => this.bytes.toString('utf8', at, at + length))
  }

  nullableBytes(): Buffer | null {
    const length = this.int32()
    if (length < 0) return null
    return this.advance(length, (at) => this.bytes.subarray(at, at + length))
  }

  private advance<T>(size: number, read: (at: number) => T): T {
    if (this.offset + size > this.bytes.length) throw new Error('Connect protocol message ends early')
    const value = read(this.offset)
    this.offset += size
    return value
  }
}
