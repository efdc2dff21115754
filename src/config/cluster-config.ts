import { z } from 'zod'
import { documented, intString } from '../plugin/config.ts'

/**
 * The worker keys of cluster mode, with Kafka Connect's distributed worker's names and defaults
 * (DistributedConfig). Several workers with one `group.id` form one cluster; a worker alone is a cluster of one.
 */
export const clusterWorkerKeys = {
  'session.timeout.ms': documented(intString().pipe(z.number().min(1)).default(10_000), {
    description: 'How long the group coordinator waits for a heartbeat before it declares a worker dead and rebalances.',
    importance: 'high',
  }),
  'heartbeat.interval.ms': documented(intString().pipe(z.number().min(1)).default(3_000), {
    description: 'How often a worker heartbeats to the group coordinator; also how soon it notices a rebalance. Keep it under a third of session.timeout.ms.',
    importance: 'high',
  }),
  'rebalance.timeout.ms': documented(intString().pipe(z.number().min(1)).default(60_000), {
    description: 'How long the coordinator waits for every worker to rejoin once a rebalance begins.',
    importance: 'high',
  }),
  'scheduled.rebalance.max.delay.ms': documented(intString().pipe(z.number().min(0)).default(300_000), {
    description:
      "How long the leader holds back the connectors and tasks of a worker that left without stopping them (a crash, a lost network) " +
      'in case it comes back, before it hands them to the others. A worker that stops cleanly hands its work over at once.',
    importance: 'low',
  }),
  'worker.sync.timeout.ms': documented(intString().pipe(z.number().min(1)).default(3_000), {
    description: 'How long a worker waits to read the config topic up to the offset its assignment names before it rejoins the group instead.',
    importance: 'medium',
  }),
  'rest.advertised.port': documented(intString().pipe(z.number().min(1).max(65_535)).optional(), {
    description: 'Port other workers reach this one on (forwarded requests) and part of its worker_id; defaults to the REST port.',
    importance: 'low',
  }),
  'rest.advertised.listener': documented(z.enum(['http', 'https']).optional(), {
    description: 'Scheme of the URL other workers forward requests to; defaults to that of the first listener.',
    importance: 'low',
  }),
  'connect.protocol': documented(z.enum(['eager', 'compatible', 'sessioned']).default('sessioned'), {
    description:
      'Rebalance protocol: eager stops every connector and task on every rebalance; compatible and sessioned move only what must move ' +
      "(incremental cooperative). Both incremental ones behave alike here: there are no internal requests to sign.",
    importance: 'low',
  }),
}

/** The protocols a worker offers in JoinGroup, most preferred first, as Kafka Connect's ConnectProtocolCompatibility. */
export const offeredProtocols = (protocol: 'eager' | 'compatible' | 'sessioned'): ('default' | 'compatible' | 'sessioned')[] => {
  if (protocol === 'eager') return ['default']
  if (protocol === 'compatible') return ['compatible', 'default']
  return ['sessioned', 'compatible', 'default']
}
