import { HttpError } from './errors.ts'
import { REST_LIMITS } from './limits.ts'

const OPEN_BRACE = 0x7b
const OPEN_BRACKET = 0x5b
const CLOSE_BRACE = 0x7d
const CLOSE_BRACKET = 0x5d
const QUOTE = 0x22
const BACKSLASH = 0x5c

/**
 * Parses a JSON request body. Kafka Connect answers an empty body as no body at all, so this returns `undefined` for
 * one; malformed JSON and JSON nested deeper than `maxDepth` are a 400 before anything recursive sees them.
 */
export const parseJsonBody = (text: string, maxDepth: number = REST_LIMITS.jsonNestingDepth): unknown => {
  if (text.trim() === '') return undefined
  const depth = nestingDepth(text, maxDepth)
  if (depth > maxDepth) throw new HttpError(400, `Request body is nested deeper than ${maxDepth} levels of JSON objects and arrays`)
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new HttpError(400, `Request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/**
 * How deeply objects and arrays nest in `text`, counting brackets outside string literals, without recursion; stops
 * counting once past `limit`. Malformed JSON yields some depth and is left for `JSON.parse` to reject.
 */
const nestingDepth = (text: string, limit: number): number => {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index)
    if (inString) {
      if (char === BACKSLASH) index++
      else if (char === QUOTE) inString = false
    } else if (char === QUOTE) {
      inString = true
    } else if (char === OPEN_BRACE || char === OPEN_BRACKET) {
      depth++
      if (depth > deepest) deepest = depth
      if (deepest > limit) return deepest
    } else if (char === CLOSE_BRACE || char === CLOSE_BRACKET) {
      depth--
    }
  }
  return deepest
}
