import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startKafka, type RunningKafka } from '../../scripts/infra/kafka.ts'
import { startMosquitto, type RunningMosquitto } from '../../scripts/infra/mosquitto.ts'
import { findFreePorts } from '../../scripts/infra/ports.ts'
import { BenchKafka } from './kafka-io.ts'

/** A benchmark's own Kafka and Mosquitto, on free ports in a scratch folder, and a free port for a worker's REST API. */
export interface BenchBrokers {
  readonly dir: string
  readonly restPort: number
  readonly broker: RunningKafka
  readonly mosquitto: RunningMosquitto
  /** Connected: topics, sizes and read-back. */
  readonly kafka: BenchKafka
}

export const startBenchBrokers = async (prefix: string, log: (line: string) => void): Promise<BenchBrokers> => {
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-`))
  const [kafkaPort, controllerPort, mqttPort, restPort] = await findFreePorts(4)
  log(`starting Kafka and Mosquitto (scratch ${dir})`)
  const broker = await startKafka({ port: kafkaPort!, controllerPort: controllerPort!, dataDir: join(dir, 'kafka'), logFile: join(dir, 'kafka.log'), detached: false })
  const mosquitto = await startMosquitto({ port: mqttPort!, dataDir: join(dir, 'mosquitto'), logFile: join(dir, 'mosquitto.log'), detached: false })
  const kafka = new BenchKafka(broker.bootstrapServers)
  await kafka.connect()
  return { dir, restPort: restPort!, broker, mosquitto, kafka }
}
