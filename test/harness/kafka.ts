/** Bootstrap servers of the broker the test run uses; test/run.ts starts one unless the variable is already set. */
export function kafkaBootstrapServers(): string {
  const servers = process.env.KAFKA_BOOTSTRAP_SERVERS
  if (servers === undefined || servers.trim() === '') {
    throw new Error('tests must run via `npm test` (test/run.ts starts Kafka) or with KAFKA_BOOTSTRAP_SERVERS set')
  }
  return servers
}
