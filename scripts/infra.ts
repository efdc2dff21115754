// Local infrastructure for development: `tsx scripts/infra.ts up|down`.
// Starts a Kafka broker and a Mosquitto broker that outlive this script; `down` stops only what `up` started.
import { down, INFRA_HOST, kafkaService, mosquittoService, services, up } from './infra/services.ts'

async function main(command: string | undefined): Promise<number> {
  if (command === 'up') {
    for (const service of services) await up(service)
    console.log(
      `\nFor tests against these brokers:\n  export KAFKA_BOOTSTRAP_SERVERS=${INFRA_HOST}:${kafkaService.port} MQTT_URL=mqtt://${INFRA_HOST}:${mosquittoService.port}`,
    )
    return 0
  }
  if (command === 'down') {
    for (const service of services) await down(service)
    return 0
  }
  console.error('usage: tsx scripts/infra.ts up|down')
  return 2
}

try {
  process.exitCode = await main(process.argv[2])
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
}
