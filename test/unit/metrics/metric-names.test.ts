import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { connectMetricName, consumerMetricName, isValidMetricName } from '../../../src/metrics/metric-names.ts'

describe('metric names, as the Prometheus JMX exporter translates Kafka Connect’s', () => {
  it('joins kafka_connect, the MBean type and the attribute, with underscores', () => {
    assert.equal(connectMetricName('source-task-metrics', 'source-record-poll-total'), 'kafka_connect_source_task_metrics_source_record_poll_total')
    assert.equal(connectMetricName('sink-task-metrics', 'put-batch-avg-time-ms'), 'kafka_connect_sink_task_metrics_put_batch_avg_time_ms')
    assert.equal(connectMetricName('task-error-metrics', 'deadletterqueue-produce-requests'), 'kafka_connect_task_error_metrics_deadletterqueue_produce_requests')
    assert.equal(connectMetricName('connect-worker-metrics', 'connector-running-task-count'), 'kafka_connect_connect_worker_metrics_connector_running_task_count')
  })

  it('names the consumer’s lag as the exporter’s client rule does', () => {
    assert.equal(consumerMetricName('consumer-fetch-manager-metrics', 'records-lag-max'), 'kafka_consumer_consumer_fetch_manager_metrics_records_lag_max')
  })

  it('tells names Prometheus accepts from the others', () => {
    assert.equal(isValidMetricName('mqtt_kafka_connect_reconnects_total'), true)
    assert.equal(isValidMetricName('9lives'), false)
    assert.equal(isValidMetricName('has-dash'), false)
  })
})
