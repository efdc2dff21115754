// Grafana cannot run here, so this reads the dashboard and its provisioning as Grafana would and checks what a broken
// board would show as empty panels: queries without a data source, overlapping panels, metric names we do not export.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { parse } from 'yaml'
import { projectRoot } from '../../../scripts/infra/paths.ts'
import { DASHBOARD_FILE, dashboardMetricNames, readDashboard } from '../../harness/grafana-dashboard.ts'

describe(DASHBOARD_FILE, () => {
  const dashboard = readDashboard()
  const graphs = dashboard.panels.filter((panel) => panel.type !== 'row')

  it('queries through the data source variable, which the provisioned Prometheus fills', () => {
    assert.ok(dashboard.templating.list.some((variable) => variable.name === 'datasource' && variable.type === 'datasource'))
    for (const panel of graphs) {
      assert.equal(panel.datasource?.uid, '${datasource}', panel.title)
      assert.ok((panel.targets ?? []).length > 0, `${panel.title} has no query`)
      for (const target of panel.targets ?? []) {
        assert.equal(target.datasource.uid, '${datasource}', `${panel.title} ${target.refId}`)
        assert.match(target.expr, /connector=~"\$connector"|_count\)$/, `${panel.title} ${target.refId} ignores the connector selection`)
      }
    }
  })

  it('has panel ids of its own and panels that do not overlap on the 24-column grid', () => {
    assert.equal(new Set(dashboard.panels.map((panel) => panel.id)).size, dashboard.panels.length)
    const cells = new Set<string>()
    for (const { title, gridPos } of dashboard.panels) {
      assert.ok(gridPos.x + gridPos.w <= 24, `${title} is wider than the grid`)
      for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++) {
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
          assert.ok(!cells.has(`${x},${y}`), `${title} overlaps another panel at ${x},${y}`)
          cells.add(`${x},${y}`)
        }
      }
    }
  })

  it('covers throughput in and out, task states, errors and dead letters, sink lag, offset commits and MQTT reconnects', () => {
    const names = dashboardMetricNames(dashboard)
    for (const expected of [
      /source_record_poll_total/,
      /source_record_write_total/,
      /sink_record_read_total/,
      /sink_record_send_total/,
      /connector_running_task_count/,
      /connector_failed_task_count/,
      /total_record_errors/,
      /deadletterqueue_produce_requests/,
      /records_lag_max/,
      /offset_commit_avg_time_ms/,
      /reconnect/,
    ]) {
      assert.ok(names.some((name) => expected.test(name)), `no query of ${expected.source}: ${names.join(', ')}`)
    }
  })

  it('is loaded by the provisioning that docker-compose.yml mounts', () => {
    const provider = parse(readFileSync(join(projectRoot, 'examples/grafana/provisioning/dashboards/mqtt-kafka-connect.yml'), 'utf8')) as {
      providers: { type: string; options: { path: string } }[]
    }
    const compose = parse(readFileSync(join(projectRoot, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { volumes?: string[]; profiles?: string[] }> }
    const grafana = compose.services.grafana!
    assert.deepEqual(grafana.profiles, ['monitoring'])
    const mounts = new Map((grafana.volumes ?? []).map((volume) => volume.split(':') as [string, string]))
    assert.equal(mounts.get('./examples/grafana/provisioning/dashboards'), '/etc/grafana/provisioning/dashboards')
    assert.equal(mounts.get('./examples/grafana/dashboards'), provider.providers[0]?.options.path)
  })
})
