/**
 * Reads Java `.properties` text, the format Kafka Connect's worker files use: `key=value` or `key: value`,
 * `#`/`!` comments, a trailing backslash continues a line. Unicode escapes are not needed by any Connect key.
 */
export const parseProperties = (text: string): Record<string, string> => {
  const result: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.trimStart()
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue
    while (endsWithContinuation(line) && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i]!.trimStart()
    const separator = line.search(/[=:]/)
    const key = (separator < 0 ? line : line.slice(0, separator)).trim()
    const value = separator < 0 ? '' : line.slice(separator + 1).trim()
    if (key !== '') result[unescape(key)] = unescape(value)
  }
  return result
}

const endsWithContinuation = (line: string): boolean => {
  let backslashes = 0
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) backslashes++
  return backslashes % 2 === 1
}

const unescape = (text: string): string => text.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c)
