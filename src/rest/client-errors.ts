import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import { jerseyMessage, type ErrorBody } from './errors.ts'
import { REST_LIMITS } from './limits.ts'

/** What node's HTTP server reports through `clientError`: its parser's errors carry the packet they stopped in. */
export interface ClientError extends Error {
  readonly code?: string
  readonly bytesParsed?: number
  readonly rawPacket?: unknown
}

/**
 * Answers what node's HTTP server rejects before fastify sees a request (fastify's `clientErrorHandler`), in Kafka
 * Connect's error shape, then closes the connection as node itself does: a request not received in full in time
 * (408), headers past node's limit (431, or 414 when the request line alone overflowed it), any other malformed
 * request (400).
 */
export const answerClientError =
  (receiveTimeoutMs: number) =>
  (error: ClientError, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return
    // Write nothing into a response already under way on this connection: the client would read it as that response.
    const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage
    if (socket.writable && inFlight?.headersSent !== true) socket.write(rawResponse(clientErrorBody(error, receiveTimeoutMs)))
    socket.destroy(error)
  }

export const clientErrorBody = (error: ClientError, receiveTimeoutMs: number): ErrorBody => {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { error_code: 408, message: `${jerseyMessage(408)}: the request was not received in full within ${receiveTimeoutMs} ms` }
    case 'HPE_HEADER_OVERFLOW':
      return overflowedInRequestLine(error)
        ? { error_code: 414, message: `${jerseyMessage(414)}: the request line is longer than ${REST_LIMITS.headerBytes} bytes` }
        : { error_code: 431, message: `${jerseyMessage(431)}: the request headers are larger than ${REST_LIMITS.headerBytes} bytes` }
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { error_code: 413, message: `${jerseyMessage(413)}: the chunk extensions are too large` }
    default:
      return { error_code: 400, message: `${jerseyMessage(400)}: malformed HTTP request${error.code === undefined ? '' : ` (${error.code})`}` }
  }
}

/**
 * Node counts the request line and the headers against one limit and reports both as HPE_HEADER_OVERFLOW. The parser
 * was still in the request line when the bytes it parsed of its packet hold no line break yet.
 */
const overflowedInRequestLine = ({ rawPacket, bytesParsed }: ClientError): boolean => {
  if (!Buffer.isBuffer(rawPacket)) return false
  const parsed = rawPacket.subarray(0, typeof bytesParsed === 'number' ? bytesParsed : rawPacket.length)
  return !parsed.includes(0x0a)
}

const rawResponse = ({ error_code, message }: ErrorBody): string => {
  const body = JSON.stringify({ error_code, message })
  const head = [`HTTP/1.1 ${error_code} ${STATUS_CODES[error_code] ?? 'Error'}`, 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close']
  return `${head.join('\r\n')}\r\n\r\n${body}`
}
