/** The slice of the internal topics log a store needs to write; stores learn the log's contents through `apply()`. */
export interface LogWriter {
  write(topic: string, entries: readonly { key: string; value: string | null }[], readBack?: boolean): Promise<void>
}

/** Internal topics hold JSON written by Kafka Connect's JsonConverter with schemas disabled. */
export const parseJsonObject = (value: Buffer): Record<string, unknown> | null => {
  try {
    const parsed: unknown = JSON.parse(value.toString('utf8'))
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null
  } catch {
    return null
  }
}

export const stringMap = (value: unknown): Record<string, string> | null => {
  if (typeof value !== 'object' || value === null) return null
  const entries: [string, string][] = []
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string') entries.push([key, item])
    else if (item !== null && item !== undefined) entries.push([key, String(item as string | number | boolean)])
  }
  // fromEntries defines each key as an own property: a `__proto__` key (Kafka Connect allows any key) stays a key
  // instead of vanishing, as it would through `result[key] = item`.
  return Object.fromEntries(entries)
}
