/**
 * The value of the first sample of `name`, in Prometheus's text format, whose labels include every pair of `labels`;
 * `undefined` when there is none.
 */
export const sampleOf = (text: string, name: string, labels: Readonly<Record<string, string>> = {}): number | undefined => {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line)
    if (match?.[1] !== name) continue
    const present = new Map<string, string>()
    for (const [, key, value] of (match[3] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)) present.set(key!, value!)
    if (Object.entries(labels).every(([key, value]) => present.get(key) === value)) return Number(match[4])
  }
  return undefined
}
