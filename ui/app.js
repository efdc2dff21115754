/* global document, window, location, confirm, setTimeout, clearTimeout, URLSearchParams */
// The web console: connectors with their state, tasks by worker, live rates and lag, last error, and the actions
// users have through the REST API. It refreshes itself by polling the same API.
import { api } from './api.js'
import { formatRate, rateChart } from './chart.js'
import { h, setText } from './dom.js'
import { connectorForm } from './form.js'
import { connectorTotals, parsePrometheusText, RateHistory } from './metrics.js'

const REFRESH_MS = Number(new URLSearchParams(location.search).get('refreshMs')) || 1500
const CHART_WINDOW_MS = 5 * 60_000

const $ = (selector) => document.querySelector(selector)
const history = new RateHistory(CHART_WINDOW_MS)
/** connector name → { status, info } as the last refresh saw it */
let connectors = new Map()
let metricsServed = true

const showMessage = (text, isError = false) => {
  const message = $('#message')
  message.textContent = text
  message.classList.toggle('error', isError)
}

/** The connector's failure trace, or its first failed task's: what an operator wants to read first. */
const lastError = (status) => {
  if (status.connector.trace) return { where: 'connector', trace: status.connector.trace }
  const task = status.tasks.find((candidate) => candidate.trace)
  return task === undefined ? null : { where: `task ${task.id}`, trace: task.trace }
}

/** worker_id → its tasks, as Kafka Connect spreads tasks over the workers of a cluster. */
const tasksByWorker = (status) => {
  const workers = new Map()
  for (const task of status.tasks) workers.set(task.worker_id, [...(workers.get(task.worker_id) ?? []), task])
  return workers
}

const stateBadge = (state) => h('span', { class: `state state-${state}` }, state)

const ACTIONS = [
  { action: 'pause', label: 'Pause', run: api.pause },
  { action: 'resume', label: 'Resume', run: api.resume },
  { action: 'restart', label: 'Restart', run: api.restart },
  { action: 'stop', label: 'Stop', run: api.stop },
  { action: 'delete', label: 'Delete', run: api.remove, confirm: (name) => `Delete connector ${name}? Its config is removed; its offsets stay.` },
]

let form
const runAction = async (name, { action, run, confirm: question }) => {
  if (question !== undefined && !confirm(question(name))) return
  try {
    await run(name)
    showMessage(`${action} ${name}: done`)
  } catch (error) {
    showMessage(`${action} ${name}: ${error.message}`, true)
  }
  refreshNow()
}

const actionButtons = (name) =>
  h(
    'td',
    { class: 'actions' },
    ...ACTIONS.map((spec) =>
      h('button', { type: 'button', class: spec.action === 'delete' ? 'danger' : null, dataset: { action: spec.action }, on: { click: () => void runAction(name, spec) } }, spec.label),
    ),
    h('button', {
      type: 'button',
      dataset: { action: 'edit' },
      on: { click: () => api.config(name).then(form.edit, (error) => showMessage(`Could not read the config of ${name}: ${error.message}`, true)) },
    }, 'Edit'),
  )

/** The table's rows, kept across refreshes and updated in place, so that a click or an open trace survives one. */
const rows = new Map()

const createRow = (name) => {
  const cells = {
    name: h('td', {}, h('a', { href: `#connector=${encodeURIComponent(name)}` }, name)),
    type: h('td'),
    state: h('td', { class: 'state-cell' }),
    tasks: h('td', { class: 'tasks' }),
    in: h('td', { class: 'number rate-in' }),
    out: h('td', { class: 'number rate-out' }),
    lag: h('td', { class: 'number lag' }),
    error: h('td', { class: 'last-error' }),
  }
  const row = h('tr', { dataset: { connector: name } }, ...Object.values(cells), actionButtons(name))
  return { row, cells, signatures: {} }
}

/** Replaces a cell's children only when what they show changed. */
const updateCell = (entry, cell, signature, build) => {
  if (entry.signatures[cell] === signature) return
  entry.signatures[cell] = signature
  entry.cells[cell].replaceChildren(...build().filter((child) => child !== null))
}

const errorDetails = (error) =>
  error === null ? [] : [h('details', {}, h('summary', {}, `${error.where}: ${error.trace.split('\n')[0]}`), h('pre', { class: 'trace' }, error.trace))]

const tasksCell = (status) =>
  [...tasksByWorker(status)].map(([worker, tasks]) =>
    h('div', {}, h('span', { class: 'worker' }, `${worker}: `), ...tasks.map((task) => h('span', { class: `task state-text-${task.state}` }, `#${task.id} ${task.state} `))),
  )

const rateText = (value) => (value === null || value === undefined ? '–' : formatRate(value))

const renderTable = () => {
  const body = $('#connectors tbody')
  for (const [name, entry] of rows) {
    if (!connectors.has(name)) {
      entry.row.remove()
      rows.delete(name)
    }
  }
  for (const [name, { status, info }] of connectors) {
    let entry = rows.get(name)
    if (entry === undefined) rows.set(name, (entry = createRow(name)))
    if (entry.row.parentElement !== body) body.append(entry.row)
    setText(entry.cells.type, info?.type ?? status.type ?? '')
    // Kafka Connect keeps a connector RUNNING while its tasks fail: the failed ones are counted next to its state.
    const failedTasks = status.tasks.filter((task) => task.state === 'FAILED').length
    updateCell(entry, 'state', `${status.connector.state} ${failedTasks}`, () => [
      stateBadge(status.connector.state),
      failedTasks === 0 ? null : h('span', { class: 'state state-FAILED failed-tasks' }, `${failedTasks} task${failedTasks === 1 ? '' : 's'} failed`),
    ])
    updateCell(entry, 'tasks', JSON.stringify(status.tasks.map((task) => [task.worker_id, task.id, task.state])), () => tasksCell(status))
    const rates = history.latest(name)
    setText(entry.cells.in, metricsServed ? rateText(rates?.in) : '–')
    setText(entry.cells.out, metricsServed ? rateText(rates?.out) : '–')
    setText(entry.cells.lag, rates?.lag === null || rates?.lag === undefined ? '–' : String(rates.lag))
    const error = lastError(status)
    updateCell(entry, 'error', error === null ? '' : `${error.where}\n${error.trace}`, () => errorDetails(error))
  }
  $('#no-connectors').hidden = connectors.size > 0
  $('#no-metrics').hidden = metricsServed
}

/** The per-connector panel, open while the URL's hash is #connector=<name>. */
const selectedConnector = () => {
  const match = /^#connector=(.*)$/.exec(location.hash)
  return match === null ? null : decodeURIComponent(match[1])
}

/** The last 5 minutes, or as much as the page has seen of them (at least one): a new page's chart is not a sliver. */
const chartWindowMs = (points) => {
  const seenMs = points.length < 2 ? 0 : points.at(-1).atMs - points[0].atMs
  return Math.min(CHART_WINDOW_MS, Math.max(60_000, seenMs))
}

let detailSignature = ''
const renderDetail = () => {
  const panel = $('#detail')
  const name = selectedConnector()
  const entry = name === null ? undefined : connectors.get(name)
  if (entry === undefined) {
    panel.hidden = true
    detailSignature = ''
    return
  }
  panel.hidden = false
  const { status } = entry
  const latest = history.latest(name)
  const signature = JSON.stringify([name, status, history.series(name).length, latest?.atMs])
  if (signature === detailSignature) return
  detailSignature = signature
  const error = lastError(status)
  panel.replaceChildren(
    h('h2', {}, `${name} `, stateBadge(status.connector.state), ' ', h('a', { href: '#', class: 'close' }, 'close')),
    h('p', {}, `${status.type} connector on ${status.connector.worker_id}; `,
      h('span', { class: 'legend-in' }, `in ${rateText(latest?.in)}/s`), ', ',
      h('span', { class: 'legend-out' }, `out ${rateText(latest?.out)}/s`),
      latest?.lag === null || latest?.lag === undefined ? '' : `, lag ${latest.lag}`),
    rateChart(history.series(name), chartWindowMs(history.series(name)), latest?.atMs ?? Date.now()),
    h('h3', {}, 'Tasks'),
    h('table', { class: 'task-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Worker'), h('th', {}, 'Task'), h('th', {}, 'State'), h('th', {}, 'Trace'))),
      h('tbody', {}, ...[...tasksByWorker(status)].flatMap(([worker, tasks]) =>
        tasks.map((task) => h('tr', { dataset: { task: task.id } },
          h('td', {}, worker), h('td', {}, String(task.id)), h('td', {}, stateBadge(task.state)),
          h('td', {}, task.trace ? h('details', {}, h('summary', {}, task.trace.split('\n')[0]), h('pre', { class: 'trace' }, task.trace)) : ''))))),
    ),
    ...(error === null ? [] : [h('h3', {}, 'Last error'), h('pre', { class: 'trace' }, error.trace)]),
  )
}

let timer
let refreshing = false
let again = false

/** One refresh: status of every connector and one scrape of /metrics, then the page. */
const refresh = async () => {
  clearTimeout(timer)
  if (refreshing) {
    again = true
    return
  }
  refreshing = true
  try {
    const [expanded, metricsText] = await Promise.all([api.connectors(), api.metricsText().catch(() => null)])
    connectors = new Map(Object.entries(expanded).filter(([, value]) => value.status !== undefined))
    metricsServed = metricsText !== null
    if (metricsText !== null) history.add(Date.now(), connectorTotals(parsePrometheusText(metricsText)))
    renderTable()
    renderDetail()
    $('#banner').hidden = true
    $('#refreshed').textContent = `updated ${new Date().toLocaleTimeString()}`
  } catch (error) {
    const banner = $('#banner')
    banner.textContent = `Cannot reach the worker's REST API: ${error.message}`
    banner.hidden = false
  } finally {
    refreshing = false
    if (again) {
      again = false
      void refresh()
    } else {
      timer = setTimeout(refresh, REFRESH_MS)
    }
  }
}

const refreshNow = () => void refresh()

form = connectorForm({ showMessage, onSaved: refreshNow })
window.addEventListener('hashchange', () => {
  detailSignature = ''
  renderDetail()
})
refreshNow()
