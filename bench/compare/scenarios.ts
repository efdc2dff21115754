/** QoS of the MQTT side of a scenario. */
export type Qos = 0 | 1

/** MQTT → Kafka through a worker's MQTT source connector. */
export interface SourceScenario {
  readonly kind: 'source'
  /** Stable key in the results file, e.g. `source-qos1-100b`. */
  readonly id: string
  readonly label: string
  readonly qos: Qos
  readonly payloadBytes: number
}

/** Kafka → MQTT through a worker's MQTT sink connector: a backlog pre-produced to Kafka, drained to an MQTT.js subscriber. */
export interface SinkScenario {
  readonly kind: 'sink'
  /** Stable key in the results file, e.g. `sink-qos1-100b`. */
  readonly id: string
  readonly label: string
  readonly qos: Qos
  readonly payloadBytes: number
}

/** Every scenario kind the benchmark knows. */
export type Scenario = SourceScenario | SinkScenario

const sizeLabel = (bytes: number): string => (bytes % 1024 === 0 ? `${bytes / 1024} KB` : `${bytes} B`)

/** The source scenarios: every QoS with every payload size. */
export const sourceScenarios = (qosLevels: readonly Qos[], payloadSizes: readonly number[]): SourceScenario[] =>
  qosLevels.flatMap((qos) =>
    payloadSizes.map((payloadBytes) => ({
      kind: 'source' as const,
      id: `source-qos${qos}-${payloadBytes}b`,
      label: `MQTT source, QoS ${qos}, ${sizeLabel(payloadBytes)}`,
      qos,
      payloadBytes,
    })),
  )

/** The sink scenarios: every QoS with every payload size. */
export const sinkScenarios = (qosLevels: readonly Qos[], payloadSizes: readonly number[]): SinkScenario[] =>
  qosLevels.flatMap((qos) =>
    payloadSizes.map((payloadBytes) => ({
      kind: 'sink' as const,
      id: `sink-qos${qos}-${payloadBytes}b`,
      label: `MQTT sink, QoS ${qos}, ${sizeLabel(payloadBytes)}`,
      qos,
      payloadBytes,
    })),
  )
