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

/**
 * Every scenario kind the benchmark knows. Kafka → MQTT (sink) scenarios wait for our MQTT sink connector: they join
 * as a `SinkScenario` kind here, a `sinkScenarios` list beside `sourceScenarios`, and a runner beside
 * source-run.ts (produce into Kafka, subscribe with MQTT.js, latency = LogAppendTime → MQTT receipt).
 */
export type Scenario = SourceScenario

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
