import assert from 'node:assert/strict'
import { request } from 'node:http'
import { after, before, describe, it } from 'node:test'
import { createWorkerProcess, type WorkerProcess } from '../harness/worker.ts'

/** mulberry32: a tiny seeded PRNG, so that a failing run replays exactly with the seed it prints. */
const mulberry32 = (seed: number) => {
  let state = seed >>> 0
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface FuzzRequest {
  readonly method: string
  /** Sent as is, percent-encoding mistakes included: node:http does not normalise it as fetch would. */
  readonly path: string
  readonly contentType?: string
  readonly body?: Buffer
}

interface FuzzAnswer {
  readonly status: number
  readonly contentType: string
  readonly body: string
}

const send = (baseUrl: string, { method, path, contentType, body }: FuzzRequest): Promise<FuzzAnswer> => {
  const { hostname, port } = new URL(baseUrl)
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {}
    if (contentType !== undefined) headers['content-type'] = contentType
    if (body !== undefined) headers['content-length'] = body.length
    // A fresh connection each time: the server closes one after the errors node answers itself.
    const outgoing = request({ hostname, port, method, path, headers, agent: false }, (incoming) => {
      const chunks: Buffer[] = []
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
      incoming.on('end', () =>
        resolve({ status: incoming.statusCode ?? 0, contentType: incoming.headers['content-type'] ?? '', body: Buffer.concat(chunks).toString('utf8') }),
      )
      incoming.on('error', reject)
    })
    outgoing.on('error', reject)
    outgoing.end(body)
  })
}

/** What every answer must satisfy: no 5xx, and every error Kafka Connect's {"error_code": status, "message": "..."}. */
const problemWith = (sent: FuzzRequest, answer: FuzzAnswer): string | undefined => {
  if (answer.status >= 500) return `answered ${answer.status}: ${answer.body.slice(0, 300)}`
  if (answer.status < 400 || sent.method === 'HEAD') return undefined
  if (!answer.contentType.startsWith('application/json')) return `error ${answer.status} with content-type ${answer.contentType}`
  let parsed: unknown
  try {
    parsed = JSON.parse(answer.body)
  } catch {
    return `error ${answer.status} body is not JSON: ${answer.body.slice(0, 300)}`
  }
  const { error_code: code, message } = (parsed ?? {}) as { error_code?: unknown; message?: unknown }
  if (code !== answer.status) return `error_code ${String(code)} differs from status ${answer.status}`
  if (typeof message !== 'string') return `error ${answer.status} without a string message: ${answer.body.slice(0, 300)}`
  return undefined
}

const SEED = 0x5eed_2026
const REQUESTS = 400
const OBJECT_PROPERTY_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']

/** Generates requests from the real route list, with every segment, query, header and body mutated at random. */
const fuzzer = (random: () => number) => {
  const int = (below: number) => Math.floor(random() * below)
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T
  const chance = (p: number) => random() < p

  // Names the fuzz also creates come up most often, so that requests reach real connectors too.
  const names = (): string =>
    pick([
      () => `fuzz-${int(3)}`,
      () => `fuzz-${int(3)}`,
      () => pick(OBJECT_PROPERTY_NAMES),
      () => pick(OBJECT_PROPERTY_NAMES),
      () => encodeURIComponent(pick(OBJECT_PROPERTY_NAMES)),
      () => pick(['a%2Fb', 'site%2Fsensors', '%2E%2E', '..', '.', '%20lead', 'trail%20', 'a+b', '%E2%9C%93', '%F0%9F%9A%80']),
      () => pick(['a%00b', 'a%0Ab', 'line%0D%0Abreak', '%7F', '%C2%85', '%09tab']),
      () => pick(['%', '%G1', 'a%2', '%E0%A4%A', '%C0%AF', '%FF%FE', '%%41']),
      () => 'n'.repeat(pick([249, 250, 600, 5_000, 9_000])),
      () => encodeURIComponent(String.fromCharCode(...Array.from({ length: 1 + int(12) }, () => 0x20 + int(0x5e)))),
      () => '',
    ])()
  const taskIds = () => pick(['0', '1', '7', '-1', 'x', '0x1', '1e3', '99999999999999999999', '%30', ''])
  const plugins = () => pick(['MqttSourceConnector', 'io.confluent.connect.mqtt.MqttSourceConnector', 'MqttSink', 'Nope', '__proto__', 'constructor', '%ZZ'])
  const queries = () =>
    pick([
      '',
      '',
      '?expand=status',
      '?expand=info&expand=status&expand=__proto__',
      '?includeTasks=true&onlyFailed=false',
      '?includeTasks=maybe',
      '?onlyFailed=true&onlyFailed=false',
      '?connectorsOnly=false',
      '?connectorsOnly=nope',
      '?__proto__=1&constructor=2',
      '?%ZZ=1',
      '?a=%',
      `?expand=${'s'.repeat(9_000)}`,
    ])

  const routes: readonly { readonly method: string; readonly path: () => string }[] = [
    { method: 'GET', path: () => '/' },
    { method: 'GET', path: () => '/health' },
    { method: 'GET', path: () => '/connectors' },
    { method: 'POST', path: () => '/connectors' },
    { method: 'GET', path: () => `/connectors/${names()}` },
    { method: 'DELETE', path: () => `/connectors/${names()}` },
    { method: 'GET', path: () => `/connectors/${names()}/config` },
    { method: 'PUT', path: () => `/connectors/${names()}/config` },
    { method: 'PATCH', path: () => `/connectors/${names()}/config` },
    { method: 'GET', path: () => `/connectors/${names()}/status` },
    { method: 'GET', path: () => `/connectors/${names()}/tasks` },
    { method: 'GET', path: () => `/connectors/${names()}/tasks/${taskIds()}/status` },
    { method: 'POST', path: () => `/connectors/${names()}/tasks/${taskIds()}/restart` },
    { method: 'POST', path: () => `/connectors/${names()}/restart` },
    { method: 'PUT', path: () => `/connectors/${names()}/pause` },
    { method: 'PUT', path: () => `/connectors/${names()}/resume` },
    { method: 'PUT', path: () => `/connectors/${names()}/stop` },
    { method: 'GET', path: () => `/connectors/${names()}/offsets` },
    { method: 'GET', path: () => '/connector-plugins' },
    { method: 'GET', path: () => `/connector-plugins/${plugins()}/config` },
    { method: 'PUT', path: () => `/connector-plugins/${plugins()}/config/validate` },
    { method: 'GET', path: () => pick(['/connectors//config', '//connectors', '/connectors/a/b/c/d', '/no/such/path', '/CONNECTORS']) },
  ]

  const validConfig = () => ({ 'connector.class': 'MqttSource', 'mqtt.server.uri': 'tcp://127.0.0.1:1883', 'mqtt.topics': 'rest-fuzz/#', 'kafka.topic': 'rest-fuzz' })
  const mqttConfig = (): Record<string, unknown> => ({
    'connector.class': pick(['MqttSource', 'io.confluent.connect.mqtt.MqttSourceConnector', 'com.example.Nope']),
    'mqtt.server.uri': 'tcp://127.0.0.1:1883',
    'mqtt.topics': 'rest-fuzz/#',
    'kafka.topic': 'rest-fuzz',
    ...(chance(0.3) ? { 'mqtt.qos': pick(['0', '1', '3', 1, true, null]) } : {}),
  })
  const jsonValue = (depth: number): unknown => {
    if (depth > 3) return pick([null, 0, 'x'])
    return pick([
      () => null,
      () => int(1_000) - 500,
      () => random(),
      () => chance(0.5),
      () => 'text'.repeat(int(4)),
      () => Array.from({ length: int(4) }, () => jsonValue(depth + 1)),
      () => Object.fromEntries(Array.from({ length: int(4) }, () => [pick(['a', 'name', 'config', '__proto__', 'constructor', '']), jsonValue(depth + 1)])),
    ])()
  }
  const deep = () => {
    const levels = pick([64, 65, 200, 20_000])
    return chance(0.5) ? `${'['.repeat(levels)}${']'.repeat(levels)}` : `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`
  }
  const bodies = (): Pick<FuzzRequest, 'contentType' | 'body'> => {
    const json = (text: string) => ({ contentType: pick(['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON']), body: Buffer.from(text) })
    return pick([
      () => ({}),
      () => json(JSON.stringify({ name: names().replaceAll('%', '%25'), config: mqttConfig() })),
      () => json(JSON.stringify({ name: pick(OBJECT_PROPERTY_NAMES), config: mqttConfig(), initial_state: pick(['PAUSED', 'running', 'GONE', 5, null]) })),
      () => json(JSON.stringify(mqttConfig())),
      () => json(JSON.stringify({ 'mqtt.topics': pick(['rest-fuzz/a', 'rest-fuzz/#']), 'mqtt.username': null })),
      () => json(`{"__proto__":{"polluted":true},"name":"proto-${int(3)}","config":${JSON.stringify(mqttConfig())}}`),
      () => json(`{"connector.class":"MqttSource","__proto__":"x"}`),
      () => json(JSON.stringify(jsonValue(0))),
      () => json(deep()),
      () => json(pick(['{', '{"name":', '[1,]', 'nul', '"\\u12"', '{"a":"b"}}', '\u0000', ''])),
      () => json(JSON.stringify({ name: 'big', config: { ...mqttConfig(), padding: 'p'.repeat(200_000) } })),
      () => ({ contentType: pick(['text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', 'multipart/form-data; boundary=x', 'json']), body: Buffer.from('{"a":"b"}') }),
      () => ({ body: Buffer.from('{"a":"b"}') }),
      () => ({ contentType: 'application/json', body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) }),
    ])()
  }

  // One request in eight creates or reconfigures a connector that validates, so that the others meet real ones.
  const plausibleNames = [...OBJECT_PROPERTY_NAMES, 'fuzz-0', 'fuzz-1', 'fuzz-2', 'a/b', 'lead space']
  const creation = (): FuzzRequest => {
    const name = pick(plausibleNames)
    const asJson = (value: unknown) => ({ contentType: 'application/json', body: Buffer.from(JSON.stringify(value)) })
    return chance(0.5)
      ? { method: 'POST', path: '/connectors', ...asJson({ name, config: validConfig(), ...(chance(0.3) ? { initial_state: pick(['PAUSED', 'STOPPED']) } : {}) }) }
      : { method: 'PUT', path: `/connectors/${encodeURIComponent(name)}/config`, ...asJson(validConfig()) }
  }

  return (): FuzzRequest => {
    if (chance(0.125)) return creation()
    const route = pick(routes)
    const method = chance(0.7) ? route.method : pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'PROPFIND', 'TRACE'])
    const sendsBody = method !== 'GET' && method !== 'HEAD' && method !== 'TRACE' && chance(0.8)
    return { method, path: `${route.path()}${queries()}`, ...(sendsBody ? bodies() : {}) }
  }
}

describe('the REST API under a seeded fuzz of malformed requests', () => {
  let worker: WorkerProcess
  before(async () => {
    worker = await createWorkerProcess()
  })
  after(async () => {
    await worker.stop()
  })

  it(`answers ${REQUESTS} requests without a 5xx, every error in Kafka Connect's shape (seed ${SEED})`, async () => {
    const next = fuzzer(mulberry32(SEED))
    const problems: string[] = []
    for (let index = 0; index < REQUESTS; index++) {
      const sent = next()
      const answer = await send(worker.url, sent)
      const problem = problemWith(sent, answer)
      const shown = `#${index} ${sent.method} ${sent.path.slice(0, 120)} [${sent.contentType ?? 'no content-type'}] ${sent.body?.toString('utf8').slice(0, 120) ?? ''}`
      if (problem !== undefined) problems.push(`${shown}\n    → ${problem}`)
    }
    assert.deepEqual(problems, [], `seed ${SEED}`)

    const root = await send(worker.url, { method: 'GET', path: '/' })
    assert.equal(root.status, 200)
    assert.equal((await send(worker.url, { method: 'GET', path: '/health' })).status, 200)
  })

  it('created only connectors whose names Kafka Connect accepts, each of which can be deleted', async () => {
    const listed = await send(worker.url, { method: 'GET', path: '/connectors' })
    const names = JSON.parse(listed.body) as string[]
    for (const name of names) {
      assert.ok(name.length <= 249 && ![...name].some((char) => (char.codePointAt(0) ?? 0) < 0x20), `accepted name ${JSON.stringify(name)}`)
      const deleted = await send(worker.url, { method: 'DELETE', path: `/connectors/${encodeURIComponent(name)}` })
      assert.equal(deleted.status, 204, `deleting ${JSON.stringify(name)}: ${deleted.body}`)
    }
    assert.equal((await send(worker.url, { method: 'GET', path: '/connectors' })).body, '[]')
  })
})
