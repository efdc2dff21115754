/** Percentile of an ascending-sorted array (nearest rank); NaN when empty. */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!

export interface RunFigures {
  readonly scenario: string
  readonly messages: number
  readonly received: number
  readonly messagesPerSecond: number
  readonly p50Ms: number | null
  readonly p99Ms: number | null
  readonly peakRssMb: number | null
}

export const summarise = (
  scenario: string,
  messages: number,
  latenciesMs: readonly number[],
  elapsedMs: number,
  peakRssMb: number | null = null,
): RunFigures => {
  const sorted = [...latenciesMs].sort((a, b) => a - b)
  return {
    scenario,
    messages,
    received: latenciesMs.length,
    messagesPerSecond: Math.round((latenciesMs.length / elapsedMs) * 1000),
    p50Ms: sorted.length ? round(percentile(sorted, 50)) : null,
    p99Ms: sorted.length ? round(percentile(sorted, 99)) : null,
    peakRssMb,
  }
}

const round = (value: number): number => Math.round(value * 10) / 10

export const printTable = (rows: readonly RunFigures[]): void => {
  const header = ['scenario', 'messages', 'received', 'msg/s', 'p50 ms', 'p99 ms', 'peak RSS MB']
  const lines = rows.map((row) => [
    row.scenario,
    String(row.messages),
    String(row.received),
    String(row.messagesPerSecond),
    row.p50Ms === null ? '-' : String(row.p50Ms),
    row.p99Ms === null ? '-' : String(row.p99Ms),
    row.peakRssMb === null ? '-' : String(row.peakRssMb),
  ])
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]!.length)))
  const format = (cells: readonly string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`
  console.log(format(header))
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`)
  for (const line of lines) console.log(format(line))
}
