import type { FastifyReply, FastifyRequest } from 'fastify'
import { NotLeaderError } from '../herder/errors.ts'

/** Response headers worth passing back from the worker that answered a forwarded request. */
const RELAYED_HEADERS = ['content-type', 'location']

/**
 * Whether a request this worker may not carry out goes on to `error.url`, as Kafka Connect's HerderRequestHandler
 * forwards it. A request forwarded once (`forward=false`) is not forwarded to a leader again, so two workers that
 * disagree about the leader answer 409 instead of passing a request between them; nor is one sent back to this worker.
 */
export const shouldForward = (error: unknown, request: FastifyRequest, ownUrl: string | undefined): error is NotLeaderError => {
  if (!(error instanceof NotLeaderError) || error.url === '' || sameWorker(error.url, ownUrl)) return false
  const forwarded = (request.query as Record<string, unknown> | undefined)?.forward === 'false'
  return !(error.toLeader && forwarded)
}

/** Sends the request on, body and credentials included, and answers with what that worker answered. */
export const forwardRequest = async (request: FastifyRequest, reply: FastifyReply, baseUrl: string, timeoutMs: number): Promise<FastifyReply> => {
  const target = new URL(request.url, baseUrl)
  target.searchParams.set('forward', 'false')
  const headers: Record<string, string> = { accept: 'application/json' }
  if (typeof request.headers.authorization === 'string') headers.authorization = request.headers.authorization
  const hasBody = request.body !== undefined && request.body !== null
  if (hasBody) headers['content-type'] = 'application/json'
  try {
    const response = await fetch(target, {
      method: request.method,
      headers,
      body: hasBody ? JSON.stringify(request.body) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    })
    const text = await response.text()
    reply.code(response.status)
    for (const name of RELAYED_HEADERS) {
      const value = response.headers.get(name)
      if (value !== null) reply.header(name, value)
    }
    return reply.send(text)
  } catch (error) {
    // Kafka Connect's words when the leader cannot be reached.
    const message = error instanceof Error ? error.message : String(error)
    return reply.code(500).send({ error_code: 500, message: `Error trying to forward REST request: ${message}` })
  }
}

const sameWorker = (url: string, ownUrl: string | undefined): boolean => ownUrl !== undefined && new URL(url).host === new URL(ownUrl).host
