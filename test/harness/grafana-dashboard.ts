import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { projectRoot } from '../../scripts/infra/paths.ts'

export const DASHBOARD_FILE = 'examples/grafana/dashboards/mqtt-kafka-connect.json'

interface Target {
  refId: string
  expr: string
  datasource: { uid: string }
}
interface Panel {
  id: number
  type: string
  title: string
  gridPos: { x: number; y: number; w: number; h: number }
  datasource?: { uid: string }
  targets?: Target[]
}
interface Dashboard {
  uid: string
  panels: Panel[]
  templating: { list: { name: string; type: string }[] }
}

export const readDashboard = (): Dashboard => JSON.parse(readFileSync(join(projectRoot, DASHBOARD_FILE), 'utf8')) as Dashboard

/** The metric names the dashboard's PromQL queries: ours all start with kafka_ or mqtt_kafka_connect_. */
export const dashboardMetricNames = (dashboard: Dashboard): string[] => {
  const exprs = dashboard.panels.flatMap((panel) => panel.targets ?? []).map((target) => target.expr)
  return [...new Set(exprs.flatMap((expr) => expr.match(/\b(?:kafka|mqtt_kafka_connect)_[a-z0-9_]+/g) ?? []))].sort()
}
