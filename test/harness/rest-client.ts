/** A tiny client for the worker's REST API that keeps the status code next to the parsed body. */
export interface RestResponse<T = unknown> {
  readonly status: number
  readonly body: T
  readonly headers: Headers
}

export const restCall = async <T = unknown>(baseUrl: string, method: string, path: string, body?: unknown): Promise<RestResponse<T>> => {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as T, headers: response.headers }
}
