/**
 * Java regular expressions as Kafka configs write them (RegexRouter, TopicNameMatches, a sink's topics.regex), on
 * JS's engine. Java and JS agree on the syntax topic patterns use (classes, groups, named groups, quantifiers,
 * alternation); leading inline flags (`(?i)`, `(?s)`, `(?m)`) are translated. What JS cannot parse (possessive
 * quantifiers, `(?x)`, inline flags after the start) is rejected at config time, with JS's reason, rather than
 * silently meaning something else.
 */
export class JavaRegexError extends Error {}

export interface JavaPattern {
  readonly source: string
  /** Java's `Matcher.matches()`: the whole input must match. */
  matches(input: string): boolean
  /** The same whole-input match as a RegExp, for APIs that take one (a consumer's topic subscription). */
  readonly wholeMatch: RegExp
  /** Java's `Matcher.replaceFirst(replacement)`, with Java's `$1`/`${name}`/`\` replacement syntax. */
  replaceFirst(input: string, replacement: JavaReplacement): string
  readonly groupCount: number
  readonly groupNames: readonly string[]
}

/** A replacement string compiled against a pattern's groups. */
export type JavaReplacement = readonly (string | { readonly group: number | string })[]

const INLINE_FLAGS = /^\(\?([a-zA-Z]+)\)/
// Without the `u` flag (which would reject escapes Java accepts, such as `\-`), JS reads `\p{Alpha}` as literal text.
const PROPERTY_CLASS = /\\[pP]\{/

export const compileJavaRegex = (source: string): JavaPattern => {
  let body = source
  let flags = ''
  const inline = INLINE_FLAGS.exec(body)
  if (inline !== null) {
    for (const flag of inline[1] as string) {
      if (flag === 'i' || flag === 's' || flag === 'm') flags += flags.includes(flag) ? '' : flag
      else if (flag !== 'u' && flag !== 'd') throw new JavaRegexError(`Unsupported inline flag '${flag}' near index 2\n${source}`)
    }
    body = body.slice(inline[0].length)
  }
  if (PROPERTY_CLASS.test(body)) throw new JavaRegexError(`Character classes of the form \\p{...} are not supported\n${source}`)
  let whole: RegExp
  let first: RegExp
  try {
    whole = new RegExp(`^(?:${body})$`, flags)
    first = new RegExp(body, flags)
  } catch (error) {
    throw new JavaRegexError((error as Error).message)
  }
  const probe = new RegExp(`${body}|`, flags).exec('')
  const groupCount = (probe?.length ?? 1) - 1
  const groupNames = Object.keys(probe?.groups ?? {})
  return Object.freeze({
    source,
    groupCount,
    groupNames,
    matches: (input: string) => whole.test(input),
    wholeMatch: whole,
    replaceFirst: (input: string, replacement: JavaReplacement) => {
      const match = first.exec(input)
      if (match === null) return input
      let text = ''
      for (const part of replacement) {
        if (typeof part === 'string') text += part
        else text += (typeof part.group === 'number' ? match[part.group] : match.groups?.[part.group]) ?? ''
      }
      return input.slice(0, match.index) + text + input.slice(match.index + match[0].length)
    },
  })
}

/** Compiles a replacement as Java's `Matcher.appendReplacement` reads it; throws Java's messages for bad ones. */
export const compileJavaReplacement = (replacement: string, pattern: JavaPattern): JavaReplacement => {
  const parts: (string | { group: number | string })[] = []
  let literal = ''
  let i = 0
  while (i < replacement.length) {
    const c = replacement[i] as string
    if (c === '\\') {
      i++
      if (i >= replacement.length) throw new JavaRegexError('character to be escaped is missing')
      literal += replacement[i]
      i++
      continue
    }
    if (c !== '$') {
      literal += c
      i++
      continue
    }
    i++
    if (i >= replacement.length) throw new JavaRegexError('Illegal group reference: group index is missing')
    if (replacement[i] === '{') {
      const close = replacement.indexOf('}', i)
      const name = close < 0 ? '' : replacement.slice(i + 1, close)
      if (close < 0 || !/^[a-zA-Z][a-zA-Z0-9]*$/.test(name)) throw new JavaRegexError("named capturing group is missing trailing '}'")
      if (!pattern.groupNames.includes(name)) throw new JavaRegexError(`No group with name {${name}}`)
      if (literal !== '') parts.push(literal)
      literal = ''
      parts.push({ group: name })
      i = close + 1
      continue
    }
    const digit = replacement.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) throw new JavaRegexError('Illegal group reference')
    let group = digit
    if (group > pattern.groupCount) throw new JavaRegexError(`No group ${group}`)
    i++
    // Java takes further digits while they still name an existing group.
    while (i < replacement.length) {
      const next = replacement.charCodeAt(i) - 48
      if (next < 0 || next > 9 || group * 10 + next > pattern.groupCount) break
      group = group * 10 + next
      i++
    }
    if (literal !== '') parts.push(literal)
    literal = ''
    parts.push({ group })
  }
  if (literal !== '') parts.push(literal)
  return Object.freeze(parts)
}
