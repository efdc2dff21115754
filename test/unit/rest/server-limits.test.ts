import assert from 'node:assert/strict'
import { once } from 'node:events'
import { connect } from 'node:net'
import { after, before, describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { REST_LIMITS } from '../../../src/rest/limits.ts'
import { restAppWithFakeHerder, type FakeHerder } from './fake-herder.ts'

interface RawAnswer {
  readonly status: number
  readonly headers: string
  readonly body: string
}

/**
 * Writes `request` byte for byte on a fresh connection and reads until the server closes it (or, with keep-alive,
 * until one whole response is in): node's own HTTP parser sees exactly what a broken client sends.
 */
const rawRequest = async (port: number, request: string): Promise<RawAnswer | 'closed without an answer'> => {
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  let received = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => (received += chunk))
  // The server may reset a connection it gave up on while we were still writing; what it answered first still counts.
  socket.on('error', () => {})
  socket.write(request)
  await new Promise<void>((resolve) => {
    const done = () => resolve()
    socket.once('close', done)
    socket.on('data', () => {
      if (isCompleteResponse(received)) done()
    })
  })
  socket.destroy()
  if (received === '') return 'closed without an answer'
  const [head = '', body = ''] = received.split('\r\n\r\n', 2)
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1])
  return { status, headers: head, body }
}

const isCompleteResponse = (text: string): boolean => {
  const end = text.indexOf('\r\n\r\n')
  const length = /content-length: (\d+)/i.exec(text.slice(0, end))?.[1]
  return end >= 0 && length !== undefined && Buffer.byteLength(text.slice(end + 4)) >= Number(length)
}

const expectErrorAnswer = (answer: RawAnswer | 'closed without an answer', status: number, message: RegExp): void => {
  assert.notEqual(answer, 'closed without an answer')
  if (answer === 'closed without an answer') return
  assert.equal(answer.status, status, answer.headers)
  assert.match(answer.headers, /content-type: application\/json/i)
  const body = JSON.parse(answer.body) as { error_code: unknown; message: unknown }
  assert.equal(body.error_code, status)
  assert.equal(typeof body.message, 'string')
  assert.match(body.message as string, message)
}

describe("what node's HTTP server rejects before fastify sees it, still in Kafka Connect's error shape", () => {
  let app: FastifyInstance
  let herder: FakeHerder
  let port = 0
  const receiveTimeoutMs = 300

  before(async () => {
    ;({ app, herder } = restAppWithFakeHerder({ receiveTimeoutMs }))
    await app.listen({ host: '127.0.0.1', port: 0 })
    const address = app.server.address()
    port = typeof address === 'object' && address !== null ? address.port : 0
  })
  after(() => app.close())

  it('headers larger than node allows are a 431', async () => {
    const answer = await rawRequest(port, `GET / HTTP/1.1\r\nHost: test\r\nX-Big: ${'a'.repeat(REST_LIMITS.headerBytes + 1000)}\r\n\r\n`)
    expectErrorAnswer(answer, 431, /^HTTP 431 Request Header Fields Too Large: .*16384 bytes/)
  })

  it('a request line larger than node allows is a 414, not a 431', async () => {
    const answer = await rawRequest(port, `GET /connectors/${'a'.repeat(REST_LIMITS.headerBytes + 1000)} HTTP/1.1\r\nHost: test\r\n\r\n`)
    expectErrorAnswer(answer, 414, /^HTTP 414 URI Too Long: the request line/)
  })

  it('a URL past 8 KiB but within node\'s limit is a 414 too', async () => {
    const answer = await rawRequest(port, `GET /connectors?expand=${'a'.repeat(REST_LIMITS.urlLength)} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n`)
    expectErrorAnswer(answer, 414, /^HTTP 414 URI Too Long: the URL is longer than 8192/)
  })

  it('a request that is not HTTP is a 400', async () => {
    expectErrorAnswer(await rawRequest(port, 'HELLO THERE\r\n\r\n'), 400, /^HTTP 400 Bad Request: malformed HTTP request \(HPE_/)
    expectErrorAnswer(await rawRequest(port, 'GET / HTTP/1.1\r\nHost: test\r\nContent-Length: x\r\n\r\n'), 400, /malformed HTTP request/)
  })

  it('a body that stops arriving is a 408 once the receive timeout has passed', async () => {
    const started = Date.now()
    const partial = 'PUT /connectors/slow/config HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":'
    expectErrorAnswer(await rawRequest(port, partial), 408, /^HTTP 408 Request Timeout: the request was not received in full within 300 ms$/)
    assert.ok(Date.now() - started >= receiveTimeoutMs, 'not before the timeout')
    assert.equal(herder.connectors.has('slow'), false, 'the partial request did nothing')
  })

  it('the receive timeout does not cut short a herder that answers after it', async () => {
    herder.stall()
    const answered = fetch(`http://127.0.0.1:${port}/connectors/slow-herder/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"connector.class":"FakeSourceConnector"}',
    })
    await herder.whenCalled('putConnectorConfig slow-herder')
    // Once a request that stopped sending has been timed out, the stalled one is long past the receive timeout too.
    const stopsSending = 'PUT /connectors/x/config HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{'
    expectErrorAnswer(await rawRequest(port, stopsSending), 408, /Request Timeout/)
    herder.release()
    assert.equal((await answered).status, 201)
  })

  it('still answers GET / afterwards', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/`)
    assert.equal(response.status, 200)
  })
})
