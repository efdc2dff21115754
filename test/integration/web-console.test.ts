import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { Kafka, logLevel } from 'kafkajs'
import { connectAsync, type MqttClient } from 'mqtt'
import { chromium, type Browser, type Page } from 'playwright-core'
import { projectRoot } from '../../scripts/infra/paths.ts'
import { sleep, waitFor } from '../../scripts/infra/wait.ts'
import { useBridge } from '../harness/bridge.ts'
import { dashboardMetricNames, readDashboard } from '../harness/grafana-dashboard.ts'
import { kafkaBootstrapServers } from '../harness/kafka.ts'
import { restCall } from '../harness/rest-client.ts'

/** Debian's chromium package, which .ci/run installs when it is missing. */
const CHROMIUM = '/usr/bin/chromium'
/** Git-ignored: what the page looked like at each step, for a person to look at after a run. */
const SCREENSHOTS = join(projectRoot, 'test-results', 'ui')

interface Status {
  connector: { state: string }
  tasks: { id: number; state: string }[]
}
interface Validation {
  configs: { value: { name: string; errors: string[] } }[]
}

describe('web console at /ui, in headless Chromium against a real worker, Kafka and Mosquitto', () => {
  const bridge = useBridge()
  const id = randomUUID().slice(0, 8)
  const source = `console-source-${id}`
  const sink = `console-sink-${id}`
  /** A sink whose JsonConverter cannot read the source's plain-text records: its task fails, with a trace. */
  const failing = `console-failing-${id}`
  const topic = `console-${id}`
  const inFilter = `console-${id}/in`
  let browser: Browser
  let page: Page
  let publisher: MqttClient

  const status = async (name: string): Promise<Status> => (await restCall<Status>(bridge.worker.url, 'GET', `/connectors/${name}/status`)).body
  const allRunning = async (name: string): Promise<boolean> => {
    const { connector, tasks } = await status(name)
    return connector.state === 'RUNNING' && tasks.length > 0 && tasks.every((task) => task.state === 'RUNNING')
  }
  const sourceConfig = (): Record<string, string> => ({
    'connector.class': 'io.confluent.connect.mqtt.MqttSourceConnector',
    'mqtt.server.uri': `tcp://127.0.0.1:${bridge.mosquitto.port}`,
    'mqtt.topics': `${inFilter}/#`,
    'mqtt.qos': '1',
    'kafka.topic': topic,
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
  })
  /** The sink's sink-record-send-total, from the worker's own /metrics. */
  const sentBySink = async (): Promise<number> => {
    const text = await (await fetch(`${bridge.worker.url}/metrics`)).text()
    const series = new RegExp(`^kafka_connect_sink_task_metrics_sink_record_send_total\\{[^}]*connector="${sink}"[^}]*\\} (\\S+)$`, 'm').exec(text)
    return Number(series?.[1] ?? 0)
  }
  const row = (name: string): string => `#connectors tr[data-connector="${name}"]`
  /** A rate cell's records/s: `12.5`, `830` or `1.2k`; NaN for `–` (no rate yet). */
  const cellNumber = async (name: string, cell: 'rate-in' | 'rate-out'): Promise<number> => {
    const text = (await page.locator(`${row(name)} .${cell}`).textContent()) ?? ''
    return text.endsWith('k') ? Number(text.slice(0, -1)) * 1000 : Number(text)
  }
  const screenshot = (step: string): Promise<Buffer> => page.screenshot({ path: join(SCREENSHOTS, `${step}.png`), fullPage: true })

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`)
    await mkdir(SCREENSHOTS, { recursive: true })
    const kafka = new Kafka({ brokers: kafkaBootstrapServers().split(','), clientId: `console-${id}`, logLevel: logLevel.NOTHING })
    const admin = kafka.admin()
    await admin.connect()
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] })
    await admin.disconnect()

    const created = [
      await restCall(bridge.worker.url, 'POST', '/connectors', { name: source, config: sourceConfig() }),
      await restCall(bridge.worker.url, 'POST', '/connectors', {
        name: sink,
        config: {
          'connector.class': 'io.confluent.connect.mqtt.MqttSinkConnector',
          'mqtt.server.uri': `tcp://127.0.0.1:${bridge.mosquitto.port}`,
          topics: topic,
          'mqtt.topic': `console-${id}/out`,
          'mqtt.qos': '1',
          'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
          'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
        },
      }),
      await restCall(bridge.worker.url, 'POST', '/connectors', {
        name: failing,
        config: {
          'connector.class': 'io.confluent.connect.mqtt.MqttSinkConnector',
          'mqtt.server.uri': `tcp://127.0.0.1:${bridge.mosquitto.port}`,
          topics: topic,
          'mqtt.topic': `console-${id}/failing`,
          'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
          'value.converter.schemas.enable': 'false',
        },
      }),
    ]
    for (const response of created) assert.equal(response.status, 201, JSON.stringify(response.body))
    assert.ok(await waitFor(async () => (await allRunning(source)) && (await allRunning(sink)), { timeoutMs: 30_000 }), 'connectors did not reach RUNNING')

    publisher = await connectAsync(bridge.mosquitto.url, { clientId: `console-publisher-${id}`, clean: true })
    // RUNNING comes before the sink's consumer has joined its group: one message through both connectors first, so
    // that the rates below measure the flow, not the group join.
    await publisher.publishAsync(`${inFilter}/warm-up`, 'warm-up', { qos: 1 })
    assert.ok(await waitFor(async () => (await sentBySink()) > 0, { timeoutMs: 30_000 }), 'the warm-up message did not reach the sink')
    assert.ok(await waitFor(async () => (await status(failing)).tasks[0]?.state === 'FAILED', { timeoutMs: 30_000 }), JSON.stringify(await status(failing)))
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    // A fast refresh keeps the test short; the page's default is 1.5 s.
    await page.goto(`${bridge.worker.url}/ui?refreshMs=400`)
  })

  after(async () => {
    await browser?.close()
    await publisher?.endAsync()
  })

  it('lists the source and the sink with their type and state, and their tasks by worker', async () => {
    assert.equal(new URL(page.url()).pathname, '/ui/', 'GET /ui redirects to /ui/, where the relative URLs resolve')
    for (const [name, type] of [[source, 'source'], [sink, 'sink']] as const) {
      await page.locator(`${row(name)} .state-cell`).getByText('RUNNING').waitFor()
      assert.equal(await page.locator(`${row(name)} td:nth-child(2)`).textContent(), type)
      assert.match((await page.locator(`${row(name)} .tasks`).textContent()) ?? '', /^\S+: #0 RUNNING/)
    }
    await screenshot('01-connectors')
  })

  it('shows records/s in and out that rise while messages flow through the source and the sink', async () => {
    // Idle first: two scrapes of counters that have not moved are a rate of 0.
    const idle = await waitFor(async () => (await page.locator(`${row(source)} .rate-in`).textContent()) === '0.0', { timeoutMs: 15_000, intervalMs: 100 })
    assert.ok(idle, `the idle source shows ${await page.locator(`${row(source)} .rate-in`).textContent()} records/s, not 0.0`)
    let publishing = true
    let published = 0
    const flow = (async () => {
      while (publishing) {
        const batch = Array.from({ length: 50 }, () => publisher.publishAsync(`${inFilter}/m`, `reading ${published++}`, { qos: 1 }))
        // Paced at about 500 messages/s: enough to see, and the worker on a busy machine still answers the page.
        await Promise.all([...batch, sleep(100)])
      }
    })()
    try {
      // Each cell must show a rate above 0 at some refresh while the messages flow; a sink's batches need not land
      // in the same refresh as the source's.
      const cells = [
        [source, 'rate-in'],
        [source, 'rate-out'],
        [sink, 'rate-in'],
        [sink, 'rate-out'],
      ] as const
      const rose = new Set<string>()
      const rising = await waitFor(
        async () => {
          for (const [name, cell] of cells) if ((await cellNumber(name, cell)) > 0) rose.add(`${name} ${cell}`)
          return rose.size === cells.length
        },
        { timeoutMs: 30_000, intervalMs: 100 },
      )
      const shown = await page.locator('#connectors tbody').innerText()
      assert.ok(rising, `only ${[...rose].join(', ')} rose while ${published} messages were published:\n${shown}`)
      // The connector's name opens its panel, with the chart of its rates.
      await page.locator(`${row(source)} a`).click()
      assert.equal(new URL(page.url()).hash, `#connector=${encodeURIComponent(source)}`)
      await page.locator('#detail .rate-chart polyline.line-in').waitFor()
      await waitFor(async () => (await page.locator('#detail .rate-chart polyline.line-in').getAttribute('points'))!.split(' ').length >= 3, { timeoutMs: 10_000 })
      await screenshot('02-source-rate-chart')
    } finally {
      publishing = false
      await flow
    }
    // Once the flow stops the sink catches up, and its lag (records-lag-max) shows 0.
    const caughtUp = await waitFor(async () => (await page.locator(`${row(sink)} .lag`).textContent()) === '0', { timeoutMs: 30_000, intervalMs: 100 })
    assert.ok(caughtUp, `the sink's lag shows ${await page.locator(`${row(sink)} .lag`).textContent()}, not 0`)
  })

  it("shows a failed task's trace under the connector's last error, folded until clicked", async () => {
    const { tasks } = await restCall<{ tasks: { trace?: string }[] }>(bridge.worker.url, 'GET', `/connectors/${failing}/status`).then(({ body }) => body)
    const trace = tasks[0]?.trace ?? ''
    assert.ok(trace !== '', 'the failed task has a trace')
    const cell = page.locator(`${row(failing)} .last-error`)
    await cell.locator('summary').getByText(`task 0: ${trace.split('\n')[0]!}`, { exact: true }).waitFor()
    assert.equal(await cell.locator('pre.trace').isVisible(), false)
    await cell.locator('summary').click()
    assert.equal(await cell.locator('pre.trace').isVisible(), true)
    assert.equal(await cell.locator('pre.trace').textContent(), trace)
    await page.locator(`${row(failing)} .tasks`).getByText('#0 FAILED').waitFor()
    assert.equal(await page.locator(`${row(failing)} .state-cell`).textContent(), 'RUNNING1 task failed')
    await screenshot('05-failed-task-trace')
  })

  it('queries, in the Grafana dashboard, only metric names this worker exposes', async () => {
    const response = await fetch(`${bridge.worker.url}/metrics`)
    assert.equal(response.status, 200)
    const text = await response.text()
    // Each family is declared with # TYPE, whether or not it has a series yet; a histogram's series add suffixes.
    const types = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name, type]) => [name!, type!]))
    const exposed = (name: string): boolean => types.has(name) || types.get(name.replace(/_(bucket|sum|count)$/, '')) === 'histogram'
    const unknown = dashboardMetricNames(readDashboard()).filter((name) => !exposed(name))
    assert.deepEqual(unknown, [], `exposed: ${[...types.keys()].sort().join(', ')}`)
  })

  it('pauses a connector from its Pause button: GET /connectors/{name}/status turns PAUSED', async () => {
    await page.locator(`${row(source)} button[data-action="pause"]`).click()
    assert.ok(await waitFor(async () => (await status(source)).connector.state === 'PAUSED', { timeoutMs: 15_000 }), JSON.stringify(await status(source)))
    await page.locator(`${row(source)} .state-cell`).getByText('PAUSED').waitFor()
    assert.equal((await status(sink)).connector.state, 'RUNNING', 'only the connector whose button was clicked is paused')
    await screenshot('03-source-paused')
  })

  it('resumes it from its Resume button, and deletes a connector from its Delete button once confirmed', async () => {
    await page.locator(`${row(source)} button[data-action="resume"]`).click()
    assert.ok(await waitFor(async () => allRunning(source), { timeoutMs: 15_000 }), JSON.stringify(await status(source)))

    page.once('dialog', (dialog) => void dialog.dismiss())
    await page.locator(`${row(failing)} button[data-action="delete"]`).click()
    assert.equal((await restCall(bridge.worker.url, 'GET', `/connectors/${failing}`)).status, 200, 'a dismissed confirmation deletes nothing')

    page.once('dialog', (dialog) => void dialog.accept())
    await page.locator(`${row(failing)} button[data-action="delete"]`).click()
    assert.ok(await waitFor(async () => (await restCall(bridge.worker.url, 'GET', `/connectors/${failing}`)).status === 404, { timeoutMs: 15_000 }))
    await page.locator(row(failing)).waitFor({ state: 'detached' })
  })

  it('shows a bad config\'s /config/validate error next to its key, and does not save it', async () => {
    const bad = { ...sourceConfig(), name: `console-bad-${id}`, 'mqtt.qos': '7' }
    const answer = await restCall<Validation>(bridge.worker.url, 'PUT', '/connector-plugins/MqttSourceConnector/config/validate', bad)
    const expected = answer.body.configs.find(({ value }) => value.name === 'mqtt.qos')?.value.errors ?? []
    assert.ok(expected.length > 0, `the API itself finds no error in mqtt.qos=7: ${JSON.stringify(answer.body)}`)

    await page.locator('#config-json').fill(JSON.stringify(bad, null, 2))
    await page.locator('#save-config').click()
    const error = page.locator('#validation tr[data-key="mqtt.qos"] .key-error')
    await error.getByText(expected[0]!, { exact: false }).waitFor()
    assert.equal(await error.textContent(), expected.join(' '))
    assert.equal(await page.locator('#validation tr[data-key="kafka.topic"] .key-error').textContent(), '', 'a valid key shows no error')
    await screenshot('04-validate-error')
    const names = (await restCall<string[]>(bridge.worker.url, 'GET', '/connectors')).body
    assert.ok(!names.includes(bad.name), 'a config with errors is not saved')

    // Corrected, the same form creates the connector, which the table then lists.
    await page.locator('#config-json').fill(JSON.stringify({ ...bad, 'mqtt.qos': '1' }, null, 2))
    await page.locator('#save-config').click()
    await page.locator('#message').getByText(`Saved connector ${bad.name}`).waitFor()
    assert.equal((await restCall<Record<string, string>>(bridge.worker.url, 'GET', `/connectors/${bad.name}/config`)).body['mqtt.qos'], '1')
    await page.locator(row(bad.name)).waitFor()
  })
})
