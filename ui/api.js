/* global fetch */
// The REST API, by URLs relative to the page (served at <base>/ui/), so the console reaches the API through whatever
// prefix, proxy or authentication the browser reached the page through.

const url = (path) => `..${path}`

/** An error the API answered, in Kafka Connect's {"error_code", "message"} shape when it has one. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message)
    this.status = status
  }
}

const call = async (method, path, body) => {
  const response = await fetch(url(path), {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  let parsed = null
  try {
    parsed = text === '' ? null : JSON.parse(text)
  } catch {
    parsed = null
  }
  if (!response.ok) throw new ApiError(response.status, parsed?.message ?? `HTTP ${response.status} ${response.statusText}`)
  return parsed
}

const named = (name) => `/connectors/${encodeURIComponent(name)}`

export const api = {
  /** {name: {status, info}} for every connector. */
  connectors: () => call('GET', '/connectors?expand=status&expand=info'),
  config: (name) => call('GET', `${named(name)}/config`),
  putConfig: (name, config) => call('PUT', `${named(name)}/config`, config),
  validate: (connectorClass, config) => call('PUT', `/connector-plugins/${encodeURIComponent(connectorClass)}/config/validate`, config),
  plugins: () => call('GET', '/connector-plugins'),
  pause: (name) => call('PUT', `${named(name)}/pause`),
  resume: (name) => call('PUT', `${named(name)}/resume`),
  restart: (name) => call('POST', `${named(name)}/restart?includeTasks=true&onlyFailed=false`),
  stop: (name) => call('PUT', `${named(name)}/stop`),
  remove: (name) => call('DELETE', named(name)),
  /** The Prometheus text of GET /metrics, or null when the worker serves none. */
  metricsText: async () => {
    const response = await fetch(url('/metrics'), { credentials: 'same-origin' })
    return response.ok ? response.text() : null
  },
}
