import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ConnectorStateInfo } from '../../../src/herder/types.ts'
import { ConnectMetrics } from '../../../src/metrics/connect-metrics.ts'
import { sampleOf } from '../../harness/prometheus-text.ts'

const statusOf = (name: string, state: string, tasks: string[]): ConnectorStateInfo => ({
  name,
  connector: { state, worker_id: 'w:8083' },
  tasks: tasks.map((taskState, id) => ({ id, state: taskState, worker_id: 'w:8083' })),
  type: 'source',
})

describe('the metrics registry', () => {
  it('exposes a source task’s batch counts under Kafka Connect’s names, labelled with connector and task', async () => {
    const metrics = new ConnectMetrics({ processMetrics: false })
    const { recorder } = metrics.addTask({ connector: 'sensors', task: 0 }, 'source', false)
    recorder.polled(100, 4)
    recorder.polled(50, 8)
    recorder.written(140)
    recorder.sourceBatchDone(150, 10)
    recorder.offsetCommit(true, 3)
    const text = await metrics.render()
    const task = { connector: 'sensors', task: '0' }
    assert.equal(sampleOf(text, 'kafka_connect_source_task_metrics_source_record_poll_total', task), 150)
    assert.equal(sampleOf(text, 'kafka_connect_source_task_metrics_source_record_write_total', task), 140)
    assert.equal(sampleOf(text, 'kafka_connect_source_task_metrics_source_record_active_count', task), 0)
    assert.equal(sampleOf(text, 'kafka_connect_source_task_metrics_poll_batch_avg_time_ms', task), 6)
    assert.equal(sampleOf(text, 'kafka_connect_source_task_metrics_poll_batch_max_time_ms', task), 8)
    assert.equal(sampleOf(text, 'kafka_connect_source_task_metrics_source_record_poll_rate', task), 5, '150 records over the 30 s minimum window')
    assert.equal(sampleOf(text, 'kafka_connect_connector_task_metrics_offset_commit_success_total', task), 1)
    assert.equal(sampleOf(text, 'kafka_connect_connector_task_metrics_offset_commit_success_percentage', task), 1)
    assert.match(text, /# TYPE kafka_connect_source_task_metrics_source_record_poll_total counter/)
    assert.equal(sampleOf(text, 'kafka_connect_sink_task_metrics_sink_record_read_total', task), undefined, 'a source task has no sink metrics')
  })

  it('counts tolerated errors and dead letters, and the time of the last one', async () => {
    const metrics = new ConnectMetrics({ processMetrics: false })
    const { recorder } = metrics.addTask({ connector: 'dlq', task: 0 }, 'sink', true)
    const before = Date.now()
    recorder.tolerated(1)
    recorder.tolerated(1)
    const text = await metrics.render()
    const task = { connector: 'dlq', task: '0' }
    assert.equal(sampleOf(text, 'kafka_connect_task_error_metrics_total_record_errors', task), 2)
    assert.equal(sampleOf(text, 'kafka_connect_task_error_metrics_total_records_skipped', task), 2)
    assert.equal(sampleOf(text, 'kafka_connect_task_error_metrics_deadletterqueue_produce_requests', task), 2)
    assert.ok((sampleOf(text, 'kafka_connect_task_error_metrics_last_error_timestamp', task) ?? 0) >= before)
  })

  it('follows a sink task’s lag per partition down to 0 once it has read to the end, and its active count once committed', async () => {
    const metrics = new ConnectMetrics({ processMetrics: false })
    const { recorder } = metrics.addTask({ connector: 'out', task: 0 }, 'sink', false)
    recorder.sinkProgress('t', 0, 0n, 500n, 2_000n)
    let text = await metrics.render()
    const partition = { connector: 'out', task: '0', topic: 't', partition: '0', client_id: 'connector-consumer-out-0' }
    assert.equal(sampleOf(text, 'kafka_consumer_consumer_fetch_manager_metrics_records_lag', partition), 1_500)
    assert.equal(sampleOf(text, 'kafka_consumer_consumer_fetch_manager_metrics_records_lag_max', { connector: 'out' }), 1_500)
    assert.equal(sampleOf(text, 'kafka_connect_sink_task_metrics_sink_record_active_count', { connector: 'out' }), 500)
    recorder.sinkProgress('t', 0, 500n, 2_000n, 2_000n)
    recorder.sinkCommitted([{ topic: 't', partition: 0, offset: 2_000n }])
    text = await metrics.render()
    assert.equal(sampleOf(text, 'kafka_consumer_consumer_fetch_manager_metrics_records_lag', partition), 0)
    assert.equal(sampleOf(text, 'kafka_connect_sink_task_metrics_sink_record_active_count', { connector: 'out' }), 0)
    assert.equal(sampleOf(text, 'mqtt_kafka_connect_task_records_committed_total', { connector: 'out' }), 2_000)
  })

  it('drops every series of a task once it stops, the plugin’s included', async () => {
    const metrics = new ConnectMetrics({ processMetrics: false })
    const { recorder, instruments } = metrics.addTask({ connector: 'gone', task: 3 }, 'source', false)
    recorder.polled(1)
    instruments.counter('mqtt_kafka_connect_things_total', 'Things.', ['kind']).labels('a').inc(2)
    instruments.observedGauge('mqtt_kafka_connect_fill', 'Fill.', () => 0.5)
    let text = await metrics.render()
    assert.equal(sampleOf(text, 'mqtt_kafka_connect_things_total', { connector: 'gone', task: '3', kind: 'a' }), 2)
    assert.equal(sampleOf(text, 'mqtt_kafka_connect_fill', { connector: 'gone' }), 0.5)
    metrics.removeTask({ connector: 'gone', task: 3 })
    text = await metrics.render()
    assert.doesNotMatch(text, /connector="gone"/)
  })

  it('gives plugins histograms in Prometheus’s cumulative buckets, and refuses names and labels it cannot expose', async () => {
    const metrics = new ConnectMetrics({ processMetrics: false })
    const { instruments } = metrics.addTask({ connector: 'h', task: 0 }, 'source', false)
    const latency = instruments.histogram('mqtt_kafka_connect_latency_seconds', 'Latency.', [0.1, 1]).labels()
    latency.observe(0.05)
    latency.observe(0.5)
    latency.observe(5)
    const text = await metrics.render()
    assert.equal(sampleOf(text, 'mqtt_kafka_connect_latency_seconds_bucket', { le: '0.1' }), 1)
    assert.equal(sampleOf(text, 'mqtt_kafka_connect_latency_seconds_bucket', { le: '1' }), 2)
    assert.equal(sampleOf(text, 'mqtt_kafka_connect_latency_seconds_bucket', { le: '+Inf' }), 3)
    assert.equal(sampleOf(text, 'mqtt_kafka_connect_latency_seconds_count'), 3)
    assert.equal(sampleOf(text, 'mqtt_kafka_connect_latency_seconds_sum'), 5.55)
    assert.throws(() => instruments.counter('bad-name', 'x'), /not a valid Prometheus metric name/)
    assert.throws(() => instruments.counter('ok_total', 'x', ['connector']), /cannot have a label named connector/)
    assert.throws(() => instruments.gauge('mqtt_kafka_connect_latency_seconds', 'x'), /already declared as a histogram/)
    assert.throws(() => instruments.counter('kafka_connect_connect_worker_metrics_task_count', 'x'), /the worker's own/)
  })

  it('reads connector and task states from the status source at scrape time, one gauge per state', async () => {
    const metrics = new ConnectMetrics({ processMetrics: false })
    const statuses = new Map([
      ['a', statusOf('a', 'RUNNING', ['RUNNING', 'FAILED'])],
      ['b', statusOf('b', 'PAUSED', ['PAUSED'])],
    ])
    metrics.observeStatuses({ connectorNames: () => [...statuses.keys()], connectorStatus: (name) => statuses.get(name)! }, 'w:8083')
    metrics.worker.taskStartups.started()
    metrics.worker.taskStartups.failed()
    let text = await metrics.render()
    assert.equal(sampleOf(text, 'kafka_connect_connector_metrics_status', { connector: 'a', status: 'running' }), 1)
    assert.equal(sampleOf(text, 'kafka_connect_connector_metrics_status', { connector: 'a', status: 'paused' }), 0)
    assert.equal(sampleOf(text, 'kafka_connect_connector_task_metrics_status', { connector: 'a', task: '1', status: 'failed' }), 1)
    assert.equal(sampleOf(text, 'kafka_connect_connect_worker_metrics_connector_failed_task_count', { connector: 'a' }), 1)
    assert.equal(sampleOf(text, 'kafka_connect_connect_worker_metrics_connector_total_task_count', { connector: 'a' }), 2)
    assert.equal(sampleOf(text, 'kafka_connect_connect_worker_metrics_connector_count'), 2)
    assert.equal(sampleOf(text, 'kafka_connect_connect_worker_metrics_task_count'), 3)
    assert.equal(sampleOf(text, 'kafka_connect_connect_worker_metrics_task_startup_attempts_total'), 2)
    assert.equal(sampleOf(text, 'kafka_connect_connect_worker_metrics_task_startup_failure_percentage'), 0.5)
    statuses.set('b', statusOf('b', 'RUNNING', ['RUNNING']))
    text = await metrics.render()
    assert.equal(sampleOf(text, 'kafka_connect_connector_metrics_status', { connector: 'b', status: 'running' }), 1, 'no cache: the next scrape sees the change')
  })

  it('describes rebalances when the worker reports them', async () => {
    const metrics = new ConnectMetrics({ processMetrics: false })
    metrics.worker.rebalances.rebalanceStarted()
    assert.equal(sampleOf(await metrics.render(), 'kafka_connect_connect_worker_rebalance_metrics_rebalancing'), 1)
    metrics.worker.rebalances.rebalanced(120, 4)
    const text = await metrics.render()
    assert.equal(sampleOf(text, 'kafka_connect_connect_worker_rebalance_metrics_rebalancing'), 0)
    assert.equal(sampleOf(text, 'kafka_connect_connect_worker_rebalance_metrics_completed_rebalances_total'), 1)
    assert.equal(sampleOf(text, 'kafka_connect_connect_worker_rebalance_metrics_rebalance_max_time_ms'), 120)
    assert.equal(sampleOf(text, 'kafka_connect_connect_worker_rebalance_metrics_epoch'), 4)
  })
})
