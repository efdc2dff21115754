import { hideUriCredentials } from '../config/redact.ts'

/** A readable trace for the status topic's `trace` field: the stack, then each cause's, as Java prints "Caused by". */
export const errorTrace = (error: unknown): string => {
  const parts: string[] = []
  for (let current: unknown = error, depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    if (current instanceof Error) {
      parts.push((depth === 0 ? '' : 'Caused by: ') + (current.stack ?? `${current.name}: ${current.message}`))
      current = current.cause
    } else {
      parts.push((depth === 0 ? '' : 'Caused by: ') + (typeof current === 'string' ? current : JSON.stringify(current)))
      break
    }
  }
  // Credentials in a URI (tcp://user:secret@host) often reach messages through client libraries: never into a status.
  return hideUriCredentials(parts.join('\n'))
}
